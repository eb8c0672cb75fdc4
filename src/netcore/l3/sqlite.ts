import type { ListQuery, RequestContext } from '../plugins/plugin.js';
import type { CoreHooks, ServiceAccess } from '../plugins/sqlite/hooks.js';
import type { Networks } from '../plugins/sqlite/networks.js';
import type { Ports } from '../plugins/sqlite/ports.js';
import type { Subnets } from '../plugins/sqlite/subnets.js';
import { routerInUse, servicePortInUse } from './errors.js';
import { FloatingIps } from './floatingips.js';
import { Gateways } from './gateway.js';
import { Interfaces } from './interfaces.js';
import { FLOATINGIP_OWNER, GATEWAY_OWNER, INTERFACE_OWNER, Routers } from './routers.js';
import type { FloatingIp, FloatingIpCreate, FloatingIpUpdate, InterfaceRequest, L3Service, Router, RouterCreate, RouterInterfaceInfo, RouterUpdate } from './service.js';

const SYSTEM: RequestContext = { projectId: '', isAdmin: true };
const ROUTER_OWNERS = [INTERFACE_OWNER, GATEWAY_OWNER, 'network:router_interface_distributed', 'network:ha_router_replicated_interface'];

/** The reference plugin's L3 service, over netcore's schema (routers, routerports, routerroutes, floatingips). */
export class SqliteL3 implements L3Service {
  private readonly routers: Routers;
  private readonly gateways: Gateways;
  private readonly interfaces: Interfaces;
  private readonly fips: FloatingIps;
  readonly hooks: CoreHooks;

  constructor(
    private readonly access: ServiceAccess,
    tables: { networks: Networks; subnets: Subnets; ports: Ports },
  ) {
    this.routers = new Routers(access);
    this.gateways = new Gateways(access, this.routers, tables.networks);
    this.interfaces = new Interfaces(access, this.routers, tables.subnets, tables.ports);
    this.fips = new FloatingIps(access, tables.networks, tables.ports);
    this.hooks = {
      // A router's or a floating IP's port goes with its owner, never through the ports API (Neutron's prevent_l3_port_deletion).
      deletingPort: (_ctx, port) => {
        const owned = port.device_owner === FLOATINGIP_OWNER ? this.fips.exists(port.device_id) : ROUTER_OWNERS.includes(port.device_owner) && this.routerExists(port.device_id);
        if (owned && this.access.showPort(port.id).fixed_ips.length) throw servicePortInUse(port.id, `has device owner ${port.device_owner}`);
        this.recordFips(this.fips.disassociate(port.id));
      },
      portUpdated: (_ctx, id, changes) => {
        if (changes.fixed_ips === undefined) return;
        this.recordFips(this.fips.disassociate(id, this.access.showPort(id).fixed_ips.map((ip) => ip.ip_address)));
      },
    };
  }

  createRouters(ctx: RequestContext, items: RouterCreate[]): Router[] {
    return this.access.write(() => {
      this.access.checkQuota('router', items);
      const ids = items.map((item) => {
        const row = this.routers.insert(item);
        if (item.external_gateway_info) this.gateways.set(ctx, row, item.external_gateway_info);
        return row.id;
      });
      return ids.map((id) => this.recordRouter(id, 'create'));
    });
  }
  getRouter(ctx: RequestContext, id: string): Router {
    return this.routers.get(ctx, id);
  }
  listRouters(ctx: RequestContext, query: ListQuery): Router[] {
    return this.routers.list(ctx, query);
  }
  updateRouter(ctx: RequestContext, id: string, changes: RouterUpdate): Router {
    return this.access.write(() => {
      const row = this.routers.forChange(ctx, id);
      if ('external_gateway_info' in changes) this.gateways.set(ctx, row, changes.external_gateway_info ?? null);
      if (changes.routes !== undefined) {
        this.gateways.validateRoutes(id, changes.routes);
        this.routers.replaceRoutes(id, changes.routes);
      }
      const { name, description, admin_state_up } = changes;
      this.routers.setColumns(id, {
        ...(name !== undefined ? { name } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(admin_state_up !== undefined ? { admin_state_up: +admin_state_up } : {}),
      });
      return this.recordRouter(id, 'update');
    });
  }
  deleteRouter(ctx: RequestContext, id: string): void {
    this.access.write(() => {
      const row = this.routers.forChange(ctx, id);
      const attached = this.routers.ports(id, INTERFACE_OWNER);
      if (attached.length) throw routerInUse(id, `has ports still attached: ${attached.join(', ')}`);
      if (row.gw_port_id) this.gateways.remove(row, this.access.showPort(row.gw_port_id).network_id);
      this.routers.delete(id);
      this.access.record({ type: 'router', id, op: 'delete' });
    });
  }
  addRouterInterface(ctx: RequestContext, routerId: string, request: InterfaceRequest): RouterInterfaceInfo {
    return this.access.write(() => {
      const info = this.interfaces.add(ctx, this.routers.forChange(ctx, routerId), request);
      this.recordRouter(routerId, 'update');
      return info;
    });
  }
  removeRouterInterface(ctx: RequestContext, routerId: string, request: InterfaceRequest): RouterInterfaceInfo {
    return this.access.write(() => {
      const info = this.interfaces.remove(ctx, this.routers.forChange(ctx, routerId), request);
      this.recordRouter(routerId, 'update');
      return info;
    });
  }

  createFloatingIps(ctx: RequestContext, items: FloatingIpCreate[]): FloatingIp[] {
    return this.access.write(() => {
      this.access.checkQuota('floatingip', items);
      const ids = items.map((item) => this.fips.create(ctx, item));
      return ids.map((id) => this.recordFip(id, 'create'));
    });
  }
  getFloatingIp(ctx: RequestContext, id: string): FloatingIp {
    return this.fips.get(ctx, id);
  }
  listFloatingIps(ctx: RequestContext, query: ListQuery): FloatingIp[] {
    return this.fips.list(ctx, query);
  }
  updateFloatingIp(ctx: RequestContext, id: string, changes: FloatingIpUpdate): FloatingIp {
    return this.access.write(() => {
      this.fips.update(ctx, id, changes);
      return this.recordFip(id, 'update');
    });
  }
  deleteFloatingIp(ctx: RequestContext, id: string): void {
    this.access.write(() => {
      this.fips.delete(ctx, id);
      this.access.record({ type: 'floatingip', id, op: 'delete' });
    });
  }

  private routerExists(id: string): boolean {
    return !!this.access.core.db.prepare('SELECT 1 FROM routers WHERE id = ?').get(id);
  }

  private recordRouter(id: string, op: 'create' | 'update'): Router {
    const router = this.routers.get(SYSTEM, id);
    this.access.record({ type: 'router', id, op, data: router, deps: router.external_gateway_info ? [router.external_gateway_info.network_id] : [] });
    return router;
  }

  private recordFip(id: string, op: 'create' | 'update'): FloatingIp {
    const fip = this.fips.get(SYSTEM, id);
    this.access.record({ type: 'floatingip', id, op, data: fip, deps: [fip.floating_network_id, ...(fip.router_id ? [fip.router_id] : []), ...(fip.port_id ? [fip.port_id] : [])] });
    return fip;
  }

  private recordFips(ids: string[]): void {
    for (const id of ids) this.recordFip(id, 'update');
  }
}
