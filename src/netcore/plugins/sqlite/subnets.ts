import { randomUUID } from 'node:crypto';
import { dnsNameServersExhausted, gatewayIpInUse, hostRoutesExhausted, invalidInput, networkNotFound, subnetInUse, subnetNotFound } from '../../errors.js';
import { eui64, overlaps, parseCidr, type Cidr } from '../../ipam/address.js';
import { defaultGateway, defaultPools, validateGateway, validatePools } from '../../ipam/pools.js';
import type { HostRoute, Ipv6Mode, RequestContext, Subnet, SubnetCreate, SubnetUpdate } from '../plugin.js';
import type { Core } from './core.js';
import { now, type TableSpec } from './list.js';
import { standardFields, Table } from './table.js';

export interface SubnetRow {
  id: string;
  project_id: string;
  network_id: string;
  name: string;
  description: string;
  ip_version: 4 | 6;
  cidr: string;
  gateway_ip: string | null;
  enable_dhcp: number;
  ipv6_ra_mode: Ipv6Mode | null;
  ipv6_address_mode: Ipv6Mode | null;
  created_at: string;
  updated_at: string;
  revision_number: number;
}

export const subnetTable: TableSpec = {
  from: 'subnets s',
  alias: 's',
  columns: Object.fromEntries(
    ['id', 'name', 'description', 'project_id', 'network_id', 'ip_version', 'cidr', 'enable_dhcp', 'created_at', 'updated_at', 'revision_number']
      .map((f) => [f, `s.${f}`])
      .concat(['gateway_ip', 'ipv6_ra_mode', 'ipv6_address_mode'].map((f) => [f, `IFNULL(s.${f}, '')`]))
      // no subnet comes from a pool: subnetpool_id is always null, which filters compare as ''
      .concat([['subnetpool_id', `''`]]),
  ),
  visibility: (ctx) => ({
    sql: '(s.project_id = ? OR EXISTS (SELECT 1 FROM networks x WHERE x.id = s.network_id AND x.shared = 1))',
    params: [ctx.projectId],
  }),
  notFound: subnetNotFound,
};

/** slaac and dhcpv6-stateless subnets give EUI-64 addresses instead of pool ones. */
export function isAutoAddress(s: Pick<SubnetRow, 'ip_version' | 'ipv6_ra_mode' | 'ipv6_address_mode'>): boolean {
  const mode = s.ipv6_address_mode ?? s.ipv6_ra_mode;
  return s.ip_version === 6 && (mode === 'slaac' || mode === 'dhcpv6-stateless');
}

export class Subnets extends Table<SubnetRow, Subnet> {
  constructor(core: Core) {
    super(core, subnetTable);
  }

  /** Inserts one subnet, its pools and options; runs inside the caller's transaction. */
  create(item: SubnetCreate): string {
    const { db, config, ipam } = this.core;
    if (!db.prepare('SELECT 1 FROM networks WHERE id = ?').get(item.network_id)) throw networkNotFound(item.network_id);
    const cidr = parseCidr(item.cidr);
    if (cidr.version !== item.ip_version) throw invalidInput(`Cidr ${item.cidr} does not match ip_version ${item.ip_version}`);
    validateIpv6Modes(item, cidr);
    for (const other of db.prepare('SELECT cidr FROM subnets WHERE network_id = ?').all(item.network_id) as { cidr: string }[]) {
      if (overlaps(cidr, parseCidr(other.cidr))) {
        throw invalidInput(`Requested subnet with cidr: ${cidr.text} for network: ${item.network_id} overlaps with another subnet`);
      }
    }
    const gateway = item.gateway_ip === undefined ? defaultGateway(cidr) : item.gateway_ip;
    validateGateway(cidr, gateway);
    const pools = item.allocation_pools ? validatePools(cidr, item.allocation_pools, gateway) : validatePools(cidr, defaultPools(cidr, gateway), gateway);
    const id = randomUUID();
    this.checkOptions(id, cidr, item.dns_nameservers, item.host_routes);
    const ts = now();
    db.prepare(
      `INSERT INTO subnets (id, project_id, network_id, name, description, ip_version, cidr, gateway_ip, enable_dhcp,
       ipv6_ra_mode, ipv6_address_mode, created_at, updated_at, revision_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
    ).run(id, item.project_id, item.network_id, item.name, item.description, item.ip_version, cidr.text, gateway, +item.enable_dhcp,
      item.ipv6_ra_mode, item.ipv6_address_mode, ts, ts);
    ipam.setPools(id, cidr.version, pools);
    this.writeOptions(id, item.dns_nameservers, item.host_routes);
    if (isAutoAddress(item)) this.addAutoAddresses(id, item.network_id, cidr);
    this.touchNetwork(item.network_id);
    return id;
  }


  update(ctx: RequestContext, id: string, changes: SubnetUpdate): void {
    const { db, ipam } = this.core;
    const row = this.changing(ctx, id);
    const cidr = parseCidr(row.cidr);
    const gateway = changes.gateway_ip === undefined ? row.gateway_ip : changes.gateway_ip;
    const enableDhcp = changes.enable_dhcp ?? !!row.enable_dhcp;
    if (!enableDhcp && (row.ipv6_ra_mode || row.ipv6_address_mode)) {
      throw invalidInput('ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False.');
    }
    validateGateway(cidr, gateway);
    // As Neutron: a router interface on the current gateway keeps it there.
    if (changes.gateway_ip !== undefined && changes.gateway_ip !== null && row.gateway_ip !== null && changes.gateway_ip !== row.gateway_ip) {
      const holder = db
        .prepare(`SELECT p.id FROM ipallocations a JOIN ports p ON p.id = a.port_id WHERE a.subnet_id = ? AND a.ip_address = ? AND p.device_owner LIKE 'network:router%'`)
        .get(id, row.gateway_ip) as { id: string } | undefined;
      if (holder) throw gatewayIpInUse(row.gateway_ip, holder.id);
    }
    if (changes.gateway_ip !== undefined || changes.allocation_pools !== undefined) {
      const ranges = validatePools(cidr, changes.allocation_pools ?? ipam.pools(id), gateway);
      if (changes.allocation_pools !== undefined) ipam.setPools(id, cidr.version, ranges);
    }
    if (changes.dns_nameservers !== undefined || changes.host_routes !== undefined) {
      const dns = changes.dns_nameservers ?? this.dns(id);
      const routes = changes.host_routes ?? this.routes(id);
      this.checkOptions(id, cidr, dns, routes);
      db.prepare('DELETE FROM dnsnameservers WHERE subnet_id = ?').run(id);
      db.prepare('DELETE FROM subnetroutes WHERE subnet_id = ?').run(id);
      this.writeOptions(id, dns, routes);
    }
    db.prepare(
      `UPDATE subnets SET name = ?, description = ?, gateway_ip = ?, enable_dhcp = ?, updated_at = ?, revision_number = revision_number + 1 WHERE id = ?`,
    ).run(changes.name ?? row.name, changes.description ?? row.description, gateway, +enableDhcp, now(), id);
    this.touchNetwork(row.network_id);
  }

  /** Refuses while ports other than DHCP ones hold addresses (on EUI-64 subnets, only router ports count). */
  delete(ctx: RequestContext, id: string): void {
    const { db } = this.core;
    const row = this.changing(ctx, id);
    const blocking = isAutoAddress(row) ? `p.device_owner LIKE 'network:router%'` : `p.device_owner != 'network:dhcp'`;
    const inUse = db.prepare(`SELECT 1 FROM ipallocations a JOIN ports p ON p.id = a.port_id WHERE a.subnet_id = ? AND ${blocking} LIMIT 1`).get(id);
    if (inUse) throw subnetInUse(id);
    const holders = db.prepare('SELECT DISTINCT port_id FROM ipallocations WHERE subnet_id = ?').all(id) as { port_id: string }[];
    db.prepare('DELETE FROM ipallocations WHERE subnet_id = ?').run(id);
    db.prepare('DELETE FROM subnets WHERE id = ?').run(id);
    this.touchPorts(holders.map((h) => h.port_id));
    this.touchNetwork(row.network_id);
  }

  // As Neutron's revision plugin: a subnet's change is its network's, an allocation's change its port's.
  private touchNetwork(networkId: string): void {
    this.core.db.prepare('UPDATE networks SET revision_number = revision_number + 1, updated_at = ? WHERE id = ?').run(now(), networkId);
  }

  private touchPorts(portIds: string[]): void {
    const bump = this.core.db.prepare('UPDATE ports SET revision_number = revision_number + 1, updated_at = ? WHERE id = ?');
    const ts = now();
    for (const id of portIds) bump.run(ts, id);
  }

  /** Every subnet of a network, oldest first (IPAM's view, no visibility). */
  ofNetwork(networkId: string): SubnetRow[] {
    return this.core.db.prepare('SELECT * FROM subnets WHERE network_id = ? ORDER BY rowid').all(networkId) as SubnetRow[];
  }

  hydrate(rows: SubnetRow[]): Subnet[] {
    return rows.map((r) => ({
      ...standardFields(r),
      network_id: r.network_id,
      ip_version: r.ip_version,
      cidr: r.cidr,
      gateway_ip: r.gateway_ip,
      allocation_pools: this.core.ipam.pools(r.id),
      dns_nameservers: this.dns(r.id),
      host_routes: this.routes(r.id),
      enable_dhcp: !!r.enable_dhcp,
      ipv6_ra_mode: r.ipv6_ra_mode,
      ipv6_address_mode: r.ipv6_address_mode,
      subnetpool_id: null,
      service_types: [],
    }));
  }

  private dns(id: string): string[] {
    return (this.core.db.prepare('SELECT address FROM dnsnameservers WHERE subnet_id = ? ORDER BY "order"').all(id) as { address: string }[]).map((r) => r.address);
  }

  private routes(id: string): HostRoute[] {
    return this.core.db.prepare('SELECT destination, nexthop FROM subnetroutes WHERE subnet_id = ? ORDER BY rowid').all(id) as HostRoute[];
  }

  private checkOptions(id: string, cidr: Cidr, dns: string[], routes: HostRoute[]): void {
    const { config } = this.core;
    if (dns.length > config.maxDnsNameservers) throw dnsNameServersExhausted(id, config.maxDnsNameservers);
    const dup = dns.find((d, i) => dns.indexOf(d) !== i);
    if (dup) throw invalidInput(`Duplicate nameserver '${dup}'`);
    if (routes.length > config.maxSubnetHostRoutes) throw hostRoutesExhausted(id, config.maxSubnetHostRoutes);
    for (const r of routes) {
      if (parseCidr(r.destination).version !== cidr.version || !r.nexthop.includes(cidr.version === 4 ? '.' : ':')) {
        throw invalidInput(`Host route ${r.destination} via ${r.nexthop} does not match the subnet's IP version`);
      }
    }
    const key = (r: HostRoute) => `${r.destination} ${r.nexthop}`;
    const dupRoute = routes.find((r, i) => routes.findIndex((o) => key(o) === key(r)) !== i);
    if (dupRoute) throw invalidInput(`Duplicate hostroute '${key(dupRoute)}'`);
  }

  private writeOptions(id: string, dns: string[], routes: HostRoute[]): void {
    const { db } = this.core;
    const insertDns = db.prepare('INSERT INTO dnsnameservers (subnet_id, address, "order") VALUES (?, ?, ?)');
    dns.forEach((d, i) => insertDns.run(id, d, i));
    const insertRoute = db.prepare('INSERT INTO subnetroutes (subnet_id, destination, nexthop) VALUES (?, ?, ?)');
    for (const r of routes) insertRoute.run(id, r.destination, r.nexthop);
  }

  // As Neutron, a new EUI-64 subnet gives an address to every existing port but router ones.
  private addAutoAddresses(id: string, networkId: string, cidr: Cidr): void {
    const { db } = this.core;
    const ports = db.prepare(`SELECT id, mac_address FROM ports WHERE network_id = ? AND device_owner NOT LIKE 'network:router%'`).all(networkId) as {
      id: string;
      mac_address: string;
    }[];
    const insert = db.prepare('INSERT INTO ipallocations (port_id, ip_address, subnet_id, network_id) VALUES (?, ?, ?, ?)');
    for (const p of ports) insert.run(p.id, eui64(cidr, p.mac_address), id, networkId);
    this.touchPorts(ports.map((p) => p.id));
  }
}

/** Neutron's IPv6 attribute rules. */
function validateIpv6Modes(item: SubnetCreate, cidr: Cidr): void {
  const ra = item.ipv6_ra_mode;
  const address = item.ipv6_address_mode;
  if (item.ip_version === 4) {
    if (ra) throw invalidInput('ipv6_ra_mode is not valid when ip_version is 4');
    if (address) throw invalidInput('ipv6_address_mode is not valid when ip_version is 4');
    return;
  }
  if ((ra || address) && !item.enable_dhcp) throw invalidInput('ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False.');
  if (ra && address && ra !== address) {
    throw invalidInput(
      `ipv6_ra_mode set to '${ra}' with ipv6_address_mode set to '${address}' is not valid. If both attributes are set, they must be the same value`,
    );
  }
  if (isAutoAddress(item) && cidr.prefix !== 64) {
    throw invalidInput(`Invalid CIDR ${cidr.text} for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64`);
  }
}
