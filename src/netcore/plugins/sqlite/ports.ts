import { randomUUID } from 'node:crypto';
import {
  invalidInput,
  invalidIpForNetwork,
  invalidIpForSubnet,
  ipAddressGenerationFailure,
  ipAddressInUse,
  macAddressInUse,
  NeutronError,
  networkNotFound,
  portNotFound,
  subnetNotFound,
} from '../../errors.js';
import { eui64, ipToBig, parseCidr } from '../../ipam/address.js';
import { hostRange } from '../../ipam/pools.js';
import { randomMac } from '../../mac.js';
import type { FixedIp, FixedIpRequest, Port, PortCreate, PortUpdate, RequestContext } from '../plugin.js';
import type { Core } from './core.js';
import { inChunks, now, type Sql, type TableSpec } from './list.js';
import { standardFields, Table } from './table.js';
import { isAutoAddress, type Subnets, type SubnetRow } from './subnets.js';

export interface PortRow {
  id: string;
  project_id: string;
  network_id: string;
  name: string;
  description: string;
  mac_address: string;
  admin_state_up: number;
  status: string;
  device_id: string;
  device_owner: string;
  created_at: string;
  updated_at: string;
  revision_number: number;
}

// `fixed_ips=ip_address=10.0.0.5` / `fixed_ips=subnet_id=...`: one allocation must match every kind given.
function fixedIpsFilter(values: unknown[]): Sql {
  const byKind: Record<string, string[]> = {};
  for (const v of values as string[]) {
    const m = /^(ip_address|subnet_id|ip_address_substr)=(.+)$/.exec(v);
    if (!m) throw invalidInput(`Invalid fixed_ips filter '${v}'`);
    (byKind[m[1]] ??= []).push(m[1] === 'ip_address' && ipValid(m[2]) ? canonical(m[2]) : m[2]);
  }
  const conds: string[] = [];
  const params: unknown[] = [];
  for (const kind of ['ip_address', 'subnet_id'] as const) {
    if (!byKind[kind]) continue;
    conds.push(`a.${kind} IN (${byKind[kind].map(() => '?').join(', ')})`);
    params.push(...byKind[kind]);
  }
  if (byKind.ip_address_substr) {
    conds.push(`(${byKind.ip_address_substr.map(() => `instr(a.ip_address, ?) > 0`).join(' OR ')})`);
    params.push(...byKind.ip_address_substr);
  }
  return { sql: `p.id IN (SELECT a.port_id FROM ipallocations a WHERE ${conds.join(' AND ')})`, params };
}
const ipValid = (s: string) => {
  try {
    ipToBig(s);
    return true;
  } catch {
    return false;
  }
};
const canonical = (s: string) => parseCidr(`${s}/${s.includes(':') ? 128 : 32}`).text.split('/')[0];

export const portTable: TableSpec = {
  from: 'ports p',
  alias: 'p',
  columns: Object.fromEntries(
    ['id', 'name', 'description', 'project_id', 'network_id', 'mac_address', 'admin_state_up', 'status', 'device_id', 'device_owner', 'created_at', 'updated_at', 'revision_number'].map(
      (f) => [f, `p.${f}`],
    ),
  ),
  special: { fixed_ips: fixedIpsFilter },
  visibility: (ctx) => ({ sql: 'p.project_id = ?', params: [ctx.projectId] }),
  notFound: portNotFound,
};

const macGenerationFailure = (netId: string) =>
  new NeutronError('MacAddressGenerationFailure', 503, `Unable to generate unique mac on network ${netId}.`);
const ROUTER_OWNERS = ['network:router_interface', 'network:router_gateway', 'network:router_interface_distributed', 'network:ha_router_replicated_interface'];

export class Ports extends Table<PortRow, Port> {
  constructor(
    core: Core,
    private readonly subnets: Subnets,
  ) {
    super(core, portTable);
  }

  /** Inserts one port with its MAC and addresses; runs inside the caller's transaction. */
  create(item: PortCreate): string {
    const { db } = this.core;
    if (!db.prepare('SELECT 1 FROM networks WHERE id = ?').get(item.network_id)) throw networkNotFound(item.network_id);
    const mac = item.mac_address ?? this.freeMac(item.network_id);
    if (item.mac_address && this.macUsed(item.network_id, mac)) throw macAddressInUse(item.network_id, mac);
    const id = randomUUID();
    const ts = now();
    db.prepare(
      `INSERT INTO ports (id, project_id, network_id, name, description, mac_address, admin_state_up, status, device_id, device_owner,
       created_at, updated_at, revision_number) VALUES (?, ?, ?, ?, ?, ?, ?, 'DOWN', ?, ?, ?, ?, 0)`,
    ).run(id, item.project_id, item.network_id, item.name, item.description, mac, +item.admin_state_up, item.device_id, item.device_owner, ts, ts);
    const port = { id, network_id: item.network_id, mac_address: mac, device_owner: item.device_owner };
    if (item.fixed_ips === undefined) this.allocateDefault(port);
    else this.allocateRequested(port, item.fixed_ips, []);
    return id;
  }


  update(ctx: RequestContext, id: string, changes: PortUpdate): void {
    const { db } = this.core;
    const row = this.changing(ctx, id);
    const deviceOwner = changes.device_owner ?? row.device_owner;
    if (changes.fixed_ips !== undefined) this.allocateRequested({ ...row, device_owner: deviceOwner }, changes.fixed_ips, this.fixedIps(id));
    db.prepare(
      `UPDATE ports SET name = ?, description = ?, admin_state_up = ?, device_id = ?, device_owner = ?, updated_at = ?,
       revision_number = revision_number + 1 WHERE id = ?`,
    ).run(
      changes.name ?? row.name,
      changes.description ?? row.description,
      changes.admin_state_up === undefined ? row.admin_state_up : +changes.admin_state_up,
      changes.device_id ?? row.device_id,
      deviceOwner,
      now(),
      id,
    );
  }

  delete(ctx: RequestContext, id: string): void {
    const { db } = this.core;
    this.changing(ctx, id);
    for (const ip of this.fixedIps(id)) this.release(ip);
    db.prepare('DELETE FROM ports WHERE id = ?').run(id);
  }

  hydrate(rows: PortRow[]): Port[] {
    const { db } = this.core;
    const ips = new Map<string, FixedIp[]>();
    const all = inChunks(rows.map((r) => r.id), (c, m) =>
      db.prepare(`SELECT port_id, subnet_id, ip_address FROM ipallocations WHERE port_id IN (${m}) ORDER BY rowid`).all(...c) as (FixedIp & { port_id: string })[],
    );
    for (const a of all) {
      const list = ips.get(a.port_id) ?? [];
      list.push({ subnet_id: a.subnet_id, ip_address: a.ip_address });
      ips.set(a.port_id, list);
    }
    return rows.map((r) => ({
      ...standardFields(r),
      network_id: r.network_id,
      admin_state_up: !!r.admin_state_up,
      status: r.status,
      mac_address: r.mac_address,
      fixed_ips: ips.get(r.id) ?? [],
      device_id: r.device_id,
      device_owner: r.device_owner,
    }));
  }

  private fixedIps(portId: string): FixedIp[] {
    return this.core.db.prepare('SELECT subnet_id, ip_address FROM ipallocations WHERE port_id = ? ORDER BY rowid').all(portId) as FixedIp[];
  }

  private macUsed(networkId: string, mac: string): boolean {
    return !!this.core.db.prepare('SELECT 1 FROM ports WHERE network_id = ? AND mac_address = ?').get(networkId, mac);
  }

  // Random MACs under the base, retried on the rare collision (Neutron's mac_generation_retries).
  private freeMac(networkId: string): string {
    for (let i = 0; i < 16; i++) {
      const mac = randomMac(this.core.config.baseMac);
      if (!this.macUsed(networkId, mac)) return mac;
    }
    throw macGenerationFailure(networkId);
  }

  /** No fixed_ips asked: one IPv4 address, one stateful IPv6 address, and one on every EUI-64 subnet. */
  private allocateDefault(port: Pick<PortRow, 'id' | 'network_id' | 'mac_address' | 'device_owner'>): void {
    const subnets = this.subnets.ofNetwork(port.network_id);
    for (const version of [4, 6]) {
      const pooled = subnets.filter((s) => s.ip_version === version && !isAutoAddress(s));
      if (!pooled.length) continue;
      const got = pooled.some((s) => {
        const ip = this.core.ipam.allocateAny(s.id, s.ip_version);
        if (ip) this.insert(port, s, ip);
        return ip !== undefined;
      });
      if (!got) throw ipAddressGenerationFailure(port.network_id);
    }
    if (!ROUTER_OWNERS.includes(port.device_owner)) {
      for (const s of subnets.filter(isAutoAddress)) this.insert(port, s, eui64(parseCidr(s.cidr), port.mac_address));
    }
  }

  /** Brings the port's addresses to the requested list: keeps what matches, releases the rest, allocates the new. */
  private allocateRequested(port: Pick<PortRow, 'id' | 'network_id' | 'mac_address' | 'device_owner'>, requests: FixedIpRequest[], current: FixedIp[]): void {
    if (requests.length > this.core.config.maxFixedIpsPerPort) throw invalidInput('Exceeded maximum amount of fixed ips per port.');
    const subnets = this.subnets.ofNetwork(port.network_id);
    const resolved = requests.map((r) => ({ ...r, subnet: this.resolveSubnet(port.network_id, subnets, r) }));
    const kept = new Set<FixedIp>();
    const keep = (pred: (ip: FixedIp) => boolean) => {
      const hit = current.find((ip) => !kept.has(ip) && pred(ip));
      if (hit) kept.add(hit);
      return hit !== undefined;
    };
    const todo = resolved.filter((r) =>
      r.ip_address !== undefined ? !keep((ip) => ip.ip_address === r.ip_address && ip.subnet_id === r.subnet.id) : true,
    );
    const fresh = todo.filter((r) => (r.ip_address === undefined ? !keep((ip) => ip.subnet_id === r.subnet.id) : true));
    // As Neutron, a port that is not a router's always holds its EUI-64 address on every slaac/dhcpv6-stateless
    // subnet: listing only other addresses neither drops it (update) nor leaves it out (create).
    const autoSubnets = ROUTER_OWNERS.includes(port.device_owner) ? [] : subnets.filter(isAutoAddress);
    for (const ip of current) if (autoSubnets.some((s) => s.id === ip.subnet_id)) kept.add(ip);
    for (const ip of current) if (!kept.has(ip)) this.release(ip);
    for (const r of fresh) {
      const s = r.subnet;
      // As Neutron, a router interface takes a chosen (e.g. the gateway) or pool address even on an EUI-64 subnet.
      if (isAutoAddress(s) && !ROUTER_OWNERS.includes(port.device_owner)) {
        if (r.ip_address !== undefined) {
          throw invalidInput(`IPv6 address ${r.ip_address} cannot be directly assigned to a port on subnet ${s.id} since the subnet is configured for automatic addresses`);
        }
        this.insert(port, s, eui64(parseCidr(s.cidr), port.mac_address));
      } else if (r.ip_address === undefined) {
        const ip = this.core.ipam.allocateAny(s.id, s.ip_version);
        if (!ip) throw ipAddressGenerationFailure(port.network_id);
        this.insert(port, s, ip);
      } else {
        this.takeSpecific(port, s, r.ip_address);
      }
    }
    const held = new Set([...kept].map((ip) => ip.subnet_id).concat(fresh.map((r) => r.subnet.id)));
    for (const s of autoSubnets) if (!held.has(s.id)) this.insert(port, s, eui64(parseCidr(s.cidr), port.mac_address));
  }

  private resolveSubnet(networkId: string, subnets: SubnetRow[], r: FixedIpRequest): SubnetRow {
    if (r.subnet_id !== undefined) {
      const s = subnets.find((x) => x.id === r.subnet_id);
      if (!s) {
        if (this.core.db.prepare('SELECT 1 FROM subnets WHERE id = ?').get(r.subnet_id)) {
          throw invalidInput(`Failed to create port on network ${networkId}, because fixed_ips included invalid subnet ${r.subnet_id}`);
        }
        throw subnetNotFound(r.subnet_id);
      }
      if (r.ip_address !== undefined && !inHostRange(s, r.ip_address)) throw invalidIpForSubnet(r.ip_address);
      return s;
    }
    const s = subnets.find((x) => inHostRange(x, r.ip_address!));
    if (!s) throw invalidIpForNetwork(r.ip_address!);
    return s;
  }

  private takeSpecific(port: Pick<PortRow, 'id' | 'network_id' | 'device_owner'>, s: SubnetRow, ip: string): void {
    if (ip === s.gateway_ip && !ROUTER_OWNERS.includes(port.device_owner)) throw ipAddressInUse(port.network_id, ip);
    // In a pool: carve it out of the free ranges; outside: only the allocation's primary key guards it.
    if (!this.core.ipam.take(s.id, ip) && this.core.db.prepare('SELECT 1 FROM ipallocations WHERE subnet_id = ? AND ip_address = ?').get(s.id, ip)) {
      throw ipAddressInUse(port.network_id, ip);
    }
    this.insert(port, s, ip);
  }

  private insert(port: Pick<PortRow, 'id' | 'network_id'>, s: SubnetRow, ip: string): void {
    try {
      this.core.db.prepare('INSERT INTO ipallocations (port_id, ip_address, subnet_id, network_id) VALUES (?, ?, ?, ?)').run(port.id, ip, s.id, port.network_id);
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw ipAddressInUse(port.network_id, ip);
      throw err;
    }
  }

  private release(ip: FixedIp): void {
    this.core.db.prepare('DELETE FROM ipallocations WHERE subnet_id = ? AND ip_address = ?').run(ip.subnet_id, ip.ip_address);
    this.core.ipam.release(ip.subnet_id, ip.ip_address);
  }
}

function inHostRange(s: SubnetRow, ip: string): boolean {
  const cidr = parseCidr(s.cidr);
  let n: bigint;
  try {
    n = ipToBig(ip);
  } catch {
    return false;
  }
  if ((ip.includes(':') ? 6 : 4) !== s.ip_version) return false;
  const hosts = hostRange(cidr);
  return n >= hosts.first && n <= hosts.last;
}
