import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../plugins/plugin.js';
import type { ServiceAccess } from '../plugins/sqlite/hooks.js';
import { now, type TableSpec } from '../plugins/sqlite/list.js';
import type { Networks } from '../plugins/sqlite/networks.js';
import type { Ports } from '../plugins/sqlite/ports.js';
import { standardFields, Table } from '../plugins/sqlite/table.js';
import { badRouterRequest, externalGatewayForFloatingIpNotFound, externalIpAddressExhausted, floatingIpNotFound, floatingIpPortAlreadyAssociated } from './errors.js';
import { FLOATINGIP_OWNER, INTERFACE_OWNER, servicePort } from './routers.js';
import type { FloatingIp, FloatingIpCreate, FloatingIpPortDetails, FloatingIpUpdate } from './service.js';
import { subnetsOfNetwork } from './topology.js';

export interface FloatingIpRow {
  id: string;
  project_id: string;
  description: string;
  floating_ip_address: string;
  floating_network_id: string;
  floating_port_id: string;
  fixed_port_id: string | null;
  fixed_ip_address: string | null;
  router_id: string | null;
  status: string;
  created_at: string;
  updated_at: string;
  revision_number: number;
}

export const floatingIpTable: TableSpec = {
  from: 'floatingips f',
  alias: 'f',
  columns: {
    ...Object.fromEntries(
      ['id', 'description', 'project_id', 'floating_ip_address', 'floating_network_id', 'status', 'created_at', 'updated_at', 'revision_number'].map((c) => [c, `f.${c}`]),
    ),
    router_id: `IFNULL(f.router_id, '')`,
    port_id: `IFNULL(f.fixed_port_id, '')`,
    fixed_ip_address: `IFNULL(f.fixed_ip_address, '')`,
  },
  visibility: (ctx) => ({ sql: 'f.project_id = ?', params: [ctx.projectId] }),
  notFound: floatingIpNotFound,
};

interface Association {
  fixed_port_id: string | null;
  fixed_ip_address: string | null;
  router_id: string | null;
}
const NONE: Association = { fixed_port_id: null, fixed_ip_address: null, router_id: null };

/** Floating IPs: an address on an external network, mapped to a fixed address behind a router with a gateway there. */
export class FloatingIps extends Table<FloatingIpRow, FloatingIp> {
  constructor(
    private readonly access: ServiceAccess,
    private readonly networks: Networks,
    private readonly ports: Ports,
  ) {
    super(access.core, floatingIpTable);
  }

  create(ctx: RequestContext, item: FloatingIpCreate): string {
    const { db } = this.core;
    const network = this.networks.find(ctx, item.floating_network_id);
    if (!network.router_external) throw badRouterRequest('floatingip', `Network ${network.id} is not a valid external network`);
    if (!subnetsOfNetwork(db, network.id).some((s) => s.ip_version === 4)) throw badRouterRequest('floatingip', `Network ${network.id} does not contain any IPv4 subnet`);
    const id = randomUUID();
    const requested = { ...(item.subnet_id ? { subnet_id: item.subnet_id } : {}), ...(item.floating_ip_address ? { ip_address: item.floating_ip_address } : {}) };
    // the external port is the system's, never the tenant's (Neutron leaves its project empty)
    const portId = this.access.createPort(ctx, servicePort(FLOATINGIP_OWNER, id, network.id, '', Object.keys(requested).length ? [requested] : undefined));
    const address = this.access.showPort(portId).fixed_ips.find((ip) => !ip.ip_address.includes(':'));
    if (!address) throw externalIpAddressExhausted(network.id);
    const fip = { id, project_id: item.project_id, floating_ip_address: address.ip_address, floating_network_id: network.id, fixed_port_id: null };
    const assoc = item.port_id ? this.associate(ctx, fip, { port_id: item.port_id, fixed_ip_address: item.fixed_ip_address ?? undefined }) : this.refuseStrayFixedIp(item, NONE);
    const ts = now();
    db.prepare(
      `INSERT INTO floatingips (id, project_id, description, floating_ip_address, floating_network_id, floating_port_id, fixed_port_id, fixed_ip_address,
       router_id, status, created_at, updated_at, revision_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'DOWN', ?, ?, 0)`,
    ).run(id, item.project_id, item.description, address.ip_address, network.id, portId, assoc.fixed_port_id, assoc.fixed_ip_address, assoc.router_id, ts, ts);
    return id;
  }

  update(ctx: RequestContext, id: string, changes: FloatingIpUpdate): void {
    const row = this.changing(ctx, id);
    const fip = { id, project_id: row.project_id, floating_ip_address: row.floating_ip_address, floating_network_id: row.floating_network_id, fixed_port_id: row.fixed_port_id };
    let assoc: Association = row;
    if (changes.port_id === null) assoc = this.refuseStrayFixedIp(changes, NONE);
    else if (changes.port_id !== undefined) assoc = this.associate(ctx, fip, { port_id: changes.port_id, fixed_ip_address: changes.fixed_ip_address ?? undefined });
    else if (changes.fixed_ip_address !== undefined) {
      if (!row.fixed_port_id) this.refuseStrayFixedIp(changes, NONE);
      else assoc = this.associate(ctx, fip, { port_id: row.fixed_port_id, fixed_ip_address: changes.fixed_ip_address ?? undefined });
    }
    this.core.db
      .prepare(`UPDATE floatingips SET description = ?, fixed_port_id = ?, fixed_ip_address = ?, router_id = ?, updated_at = ?, revision_number = revision_number + 1 WHERE id = ?`)
      .run(changes.description ?? row.description, assoc.fixed_port_id, assoc.fixed_ip_address, assoc.router_id, now(), id);
  }

  delete(ctx: RequestContext, id: string): void {
    const row = this.changing(ctx, id);
    this.core.db.prepare('DELETE FROM floatingips WHERE id = ?').run(id);
    this.access.deletePort(row.floating_port_id);
  }

  /** Lets go of the port's floating IPs (its port is going, or no longer holds the fixed address); returns the ones changed. */
  disassociate(portId: string, keepAddresses: string[] = []): string[] {
    const { db } = this.core;
    const held = db.prepare('SELECT id, fixed_ip_address FROM floatingips WHERE fixed_port_id = ?').all(portId) as { id: string; fixed_ip_address: string }[];
    const gone = held.filter((f) => !keepAddresses.includes(f.fixed_ip_address)).map((f) => f.id);
    const clear = db.prepare(`UPDATE floatingips SET fixed_port_id = NULL, fixed_ip_address = NULL, router_id = NULL, updated_at = ?, revision_number = revision_number + 1 WHERE id = ?`);
    for (const id of gone) clear.run(now(), id);
    return gone;
  }

  /** Whether the floating IP a service port stands for still exists (a stale port may go). */
  exists(id: string): boolean {
    return !!this.core.db.prepare('SELECT 1 FROM floatingips WHERE id = ?').get(id);
  }

  hydrate(rows: FloatingIpRow[]): FloatingIp[] {
    const details = this.core.db.prepare('SELECT name, network_id, mac_address, admin_state_up, status, device_id, device_owner FROM ports WHERE id = ?');
    return rows.map((r) => {
      const { name: _name, ...standard } = standardFields({ ...r, name: '' });
      const port = r.fixed_port_id ? (details.get(r.fixed_port_id) as (Omit<FloatingIpPortDetails, 'admin_state_up'> & { admin_state_up: number }) | undefined) : undefined;
      return {
        ...standard,
        floating_ip_address: r.floating_ip_address,
        floating_network_id: r.floating_network_id,
        router_id: r.router_id,
        port_id: r.fixed_port_id,
        fixed_ip_address: r.fixed_ip_address,
        status: r.status,
        port_details: port ? { ...port, admin_state_up: !!port.admin_state_up } : null,
      };
    });
  }

  private refuseStrayFixedIp(request: { fixed_ip_address?: string | null }, assoc: Association): Association {
    if (request.fixed_ip_address) throw badRouterRequest('floatingip', 'fixed_ip_address cannot be specified without a port_id');
    return assoc;
  }

  /** Neutron's _internal_fip_assoc_data and get_router_for_floatingip: which fixed address, behind which router. */
  private associate(
    ctx: RequestContext,
    fip: { id: string; project_id: string; floating_ip_address: string; floating_network_id: string; fixed_port_id: string | null },
    request: { port_id: string; fixed_ip_address?: string },
  ): Association {
    const { db } = this.core;
    const port = this.ports.find(ctx, request.port_id);
    if (port.project_id !== fip.project_id && !ctx.isAdmin) {
      throw badRouterRequest('floatingip', `Cannot process floating IP association with Port ${port.id}, since that port is owned by a different tenant`);
    }
    // as Neutron's is_fip_serviced: only a DHCP port is refused outright (others fail on finding no router)
    if (port.device_owner === 'network:dhcp') {
      throw badRouterRequest('floatingip', `Port ${port.id} is unable to be assigned a floating IP`);
    }
    const ips = this.access.showPort(port.id).fixed_ips;
    let fixed: { subnet_id: string; ip_address: string };
    if (request.fixed_ip_address) {
      if (request.fixed_ip_address.includes(':')) {
        throw badRouterRequest('floatingip', `Cannot process floating IP association with ${request.fixed_ip_address}, since that is not an IPv4 address`);
      }
      const hit = ips.find((ip) => ip.ip_address === request.fixed_ip_address);
      if (!hit) throw badRouterRequest('floatingip', `Port ${port.id} does not have fixed ip ${request.fixed_ip_address}`);
      fixed = hit;
    } else {
      const v4 = ips.filter((ip) => !ip.ip_address.includes(':'));
      if (!v4.length) throw badRouterRequest('floatingip', `Cannot add floating IP to port ${port.id} that has no fixed IPv4 addresses`);
      if (v4.length > 1) {
        throw badRouterRequest('floatingip', `Port ${port.id} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP`);
      }
      fixed = v4[0];
    }
    const routerId = this.routerFor(port.network_id, fixed.subnet_id, fip.floating_network_id);
    if (!routerId) throw externalGatewayForFloatingIpNotFound(fip.floating_network_id, fixed.subnet_id, port.id);
    if (port.id !== fip.fixed_port_id) {
      const taken = db
        .prepare('SELECT 1 FROM floatingips WHERE fixed_port_id = ? AND floating_network_id = ? AND fixed_ip_address = ? AND id != ?')
        .get(port.id, fip.floating_network_id, fixed.ip_address, fip.id);
      if (taken) throw floatingIpPortAlreadyAssociated({ id: fip.id, address: fip.floating_ip_address }, port.id, fixed.ip_address, fip.floating_network_id);
    }
    return { fixed_port_id: port.id, fixed_ip_address: fixed.ip_address, router_id: routerId };
  }

  /** A router with an interface on the subnet and its gateway on the external network; the one holding the subnet's gateway first. */
  private routerFor(networkId: string, subnetId: string, externalNetworkId: string): string | undefined {
    const candidates = this.core.db
      .prepare(
        `SELECT DISTINCT rp.router_id, a.ip_address, s.gateway_ip FROM routerports rp
         JOIN ports p ON p.id = rp.port_id
         JOIN ipallocations a ON a.port_id = p.id
         JOIN subnets s ON s.id = a.subnet_id
         JOIN routers r ON r.id = rp.router_id
         JOIN ports g ON g.id = r.gw_port_id
         WHERE p.network_id = ? AND rp.port_type = ? AND a.subnet_id = ? AND g.network_id = ?
         ORDER BY rp.rowid`,
      )
      .all(networkId, INTERFACE_OWNER, subnetId, externalNetworkId) as { router_id: string; ip_address: string; gateway_ip: string | null }[];
    return (candidates.find((c) => c.ip_address === c.gateway_ip) ?? candidates[0])?.router_id;
  }
}
