import { randomUUID } from 'node:crypto';
import { routerNotFound } from './errors.js';
import type { ExternalGatewayInfo, ExtraRoute, Router, RouterCreate } from './service.js';
import type { FixedIp, FixedIpRequest, PortCreate, RequestContext } from '../plugins/plugin.js';
import type { ServiceAccess } from '../plugins/sqlite/hooks.js';
import { inChunks, now, type TableSpec } from '../plugins/sqlite/list.js';
import { standardFields, Table } from '../plugins/sqlite/table.js';

export interface RouterRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  status: string;
  admin_state_up: number;
  gw_port_id: string | null;
  enable_snat: number;
  created_at: string;
  updated_at: string;
  revision_number: number;
}

export const GATEWAY_OWNER = 'network:router_gateway';
export const INTERFACE_OWNER = 'network:router_interface';
export const FLOATINGIP_OWNER = 'network:floatingip';

/** A port L3 makes for itself: no port security, and (gateways, floating IPs) no project, so no tenant sees it. */
export function servicePort(owner: string, deviceId: string, networkId: string, projectId: string, fixedIps: FixedIpRequest[] | undefined): PortCreate {
  return {
    project_id: projectId,
    network_id: networkId,
    name: '',
    description: '',
    admin_state_up: true,
    fixed_ips: fixedIps,
    device_id: deviceId,
    device_owner: owner,
    port_security_enabled: false,
  };
}

export const routerTable: TableSpec = {
  from: 'routers r',
  alias: 'r',
  columns: Object.fromEntries(
    ['id', 'name', 'description', 'project_id', 'status', 'admin_state_up', 'created_at', 'updated_at', 'revision_number'].map((f) => [f, `r.${f}`]),
  ),
  visibility: (ctx) => ({ sql: 'r.project_id = ?', params: [ctx.projectId] }),
  notFound: routerNotFound,
};

/** The routers table and what hangs off a router: its gateway port, its interface ports (routerports), its extra routes. */
export class Routers extends Table<RouterRow, Router> {
  constructor(private readonly access: ServiceAccess) {
    super(access.core, routerTable);
  }

  insert(item: RouterCreate): RouterRow {
    const id = randomUUID();
    const ts = now();
    this.core.db
      .prepare(
        `INSERT INTO routers (id, project_id, name, description, status, admin_state_up, gw_port_id, enable_snat, created_at, updated_at, revision_number)
         VALUES (?, ?, ?, ?, 'ACTIVE', ?, NULL, 1, ?, ?, 0)`,
      )
      .run(id, item.project_id, item.name, item.description, +item.admin_state_up, ts, ts);
    return this.byId(id);
  }

  /** The row whatever the caller may see (services act on the routers the API already let them reach). */
  byId(id: string): RouterRow {
    const row = this.core.db.prepare('SELECT * FROM routers WHERE id = ?').get(id) as RouterRow | undefined;
    if (!row) throw routerNotFound(id);
    return row;
  }

  /** The visible row about to change, checked against If-Match. */
  forChange(ctx: RequestContext, id: string): RouterRow {
    return this.changing(ctx, id);
  }

  setColumns(id: string, values: Partial<Pick<RouterRow, 'name' | 'description' | 'admin_state_up' | 'gw_port_id' | 'enable_snat'>>): void {
    const cols = Object.keys(values);
    this.core.db
      .prepare(`UPDATE routers SET ${cols.map((c) => `${c} = ?`).join(', ')}${cols.length ? ', ' : ''}updated_at = ?, revision_number = revision_number + 1 WHERE id = ?`)
      .run(...cols.map((c) => values[c as keyof typeof values]), now(), id);
  }

  delete(id: string): void {
    this.core.db.prepare('DELETE FROM routers WHERE id = ?').run(id);
  }

  /** The router's ports of one kind (interfaces, or its gateway), oldest first. */
  ports(routerId: string, owner: string): string[] {
    return (this.core.db.prepare('SELECT port_id FROM routerports WHERE router_id = ? AND port_type = ? ORDER BY rowid').all(routerId, owner) as { port_id: string }[]).map(
      (r) => r.port_id,
    );
  }

  attach(routerId: string, portId: string, owner: string): void {
    this.core.db.prepare('INSERT INTO routerports (router_id, port_id, port_type) VALUES (?, ?, ?)').run(routerId, portId, owner);
  }

  detach(portId: string): void {
    this.core.db.prepare('DELETE FROM routerports WHERE port_id = ?').run(portId);
  }

  routes(routerId: string): ExtraRoute[] {
    return this.core.db.prepare('SELECT destination, nexthop FROM routerroutes WHERE router_id = ? ORDER BY rowid').all(routerId) as ExtraRoute[];
  }

  replaceRoutes(routerId: string, routes: ExtraRoute[]): void {
    const { db } = this.core;
    db.prepare('DELETE FROM routerroutes WHERE router_id = ?').run(routerId);
    const insert = db.prepare('INSERT INTO routerroutes (router_id, destination, nexthop) VALUES (?, ?, ?)');
    for (const r of routes) insert.run(routerId, r.destination, r.nexthop);
  }

  hydrate(rows: RouterRow[]): Router[] {
    const { db } = this.core;
    const gwPorts = rows.map((r) => r.gw_port_id).filter((p): p is string => p !== null);
    const gwNetwork = new Map<string, string>();
    for (const p of inChunks(gwPorts, (c, m) => db.prepare(`SELECT id, network_id FROM ports WHERE id IN (${m})`).all(...c) as { id: string; network_id: string }[])) {
      gwNetwork.set(p.id, p.network_id);
    }
    const gwIps = new Map<string, FixedIp[]>();
    for (const a of inChunks(gwPorts, (c, m) =>
      db.prepare(`SELECT port_id, subnet_id, ip_address FROM ipallocations WHERE port_id IN (${m}) ORDER BY rowid`).all(...c) as (FixedIp & { port_id: string })[],
    )) {
      gwIps.set(a.port_id, [...(gwIps.get(a.port_id) ?? []), { subnet_id: a.subnet_id, ip_address: a.ip_address }]);
    }
    const routes = new Map<string, ExtraRoute[]>();
    for (const r of inChunks(rows.map((x) => x.id), (c, m) =>
      db.prepare(`SELECT router_id, destination, nexthop FROM routerroutes WHERE router_id IN (${m}) ORDER BY rowid`).all(...c) as (ExtraRoute & { router_id: string })[],
    )) {
      routes.set(r.router_id, [...(routes.get(r.router_id) ?? []), { destination: r.destination, nexthop: r.nexthop }]);
    }
    return rows.map((r) => {
      const gateway: ExternalGatewayInfo | null =
        r.gw_port_id === null
          ? null
          : { network_id: gwNetwork.get(r.gw_port_id)!, enable_snat: !!r.enable_snat, external_fixed_ips: gwIps.get(r.gw_port_id) ?? [] };
      return {
        ...standardFields(r),
        status: r.status,
        admin_state_up: !!r.admin_state_up,
        external_gateway_info: gateway,
        routes: routes.get(r.id) ?? [],
      };
    });
  }
}
