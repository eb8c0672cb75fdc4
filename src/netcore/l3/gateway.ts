import { contains, ipToBig, parseCidr } from '../ipam/address.js';
import type { FixedIpRequest, RequestContext } from '../plugins/plugin.js';
import type { ServiceAccess } from '../plugins/sqlite/hooks.js';
import type { Networks } from '../plugins/sqlite/networks.js';
import { badRouterRequest, invalidRoutes, routerExternalGatewayInUseByFloatingIp, routesExhausted } from './errors.js';
import { GATEWAY_OWNER, servicePort, type RouterRow, type Routers } from './routers.js';
import type { ExtraRoute, GatewayRequest } from './service.js';
import { checkDuplicateSubnets, routerPorts, subnetsById, subnetsOfNetwork } from './topology.js';

/** A router's external gateway (ext-gw-mode) and its extra routes (extraroute). */
export class Gateways {
  constructor(
    private readonly access: ServiceAccess,
    private readonly routers: Routers,
    private readonly networks: Networks,
  ) {}

  /** Sets, changes or clears (null) the gateway, as Neutron's _update_router_gw_info. */
  set(ctx: RequestContext, router: RouterRow, request: GatewayRequest | null): void {
    const { db } = this.access.core;
    const current = router.gw_port_id ? (db.prepare('SELECT id, network_id FROM ports WHERE id = ?').get(router.gw_port_id) as { id: string; network_id: string }) : undefined;
    if (!request) {
      if (current) this.remove(router, current.network_id);
      return;
    }
    const network = this.networks.find(ctx, request.network_id);
    if (!network.router_external) throw badRouterRequest('router', `Network ${network.id} is not an external network`);
    const externalIps = request.external_fixed_ips ?? [];
    for (const s of subnetsOfNetwork(db, network.id)) {
      const clash = externalIps.find((ip) => ip.ip_address !== undefined && s.gateway_ip !== null && ip.ip_address === s.gateway_ip);
      if (clash) throw badRouterRequest('router', `External IP ${clash.ip_address} is the same as the gateway IP`);
    }
    const snat = request.enable_snat ?? true;
    if (current && current.network_id === network.id) {
      if (externalIps.length && this.ipsChange(current.id, externalIps)) this.access.updatePort(ctx, current.id, { fixed_ips: externalIps });
      this.routers.setColumns(router.id, { enable_snat: +snat });
    } else {
      if (current) this.remove(router, current.network_id);
      checkDuplicateSubnets(db, router.id, subnetsOfNetwork(db, network.id));
      const portId = this.access.createPort(ctx, servicePort(GATEWAY_OWNER, router.id, network.id, '', externalIps.length ? externalIps : undefined));
      this.routers.attach(router.id, portId, GATEWAY_OWNER);
      this.routers.setColumns(router.id, { gw_port_id: portId, enable_snat: +snat });
    }
    const routes = this.routers.routes(router.id);
    if (routes.length) this.validateRoutes(router.id, routes);
  }

  /** Drops the gateway port, unless floating IPs reach the external network through it. */
  remove(router: RouterRow, networkId: string): void {
    const { db } = this.access.core;
    if (db.prepare('SELECT 1 FROM floatingips WHERE router_id = ? LIMIT 1').get(router.id)) throw routerExternalGatewayInUseByFloatingIp(router.id, networkId);
    const portId = router.gw_port_id!;
    this.routers.setColumns(router.id, { gw_port_id: null });
    this.routers.detach(portId);
    this.access.deletePort(portId);
  }

  /** Extra routes: at most maxRoutes, each nexthop on a subnet the router is on and none of the router's own addresses. */
  validateRoutes(routerId: string, routes: ExtraRoute[]): void {
    const { db, config } = this.access.core;
    if (routes.length > config.maxRoutes) throw routesExhausted(routerId, config.maxRoutes);
    const ports = routerPorts(db, routerId);
    const ips = ports.flatMap((p) => p.ips);
    const cidrs = subnetsById(db, [...new Set(ips.map((ip) => ip.subnet_id))]).map((s) => parseCidr(s.cidr));
    const own = new Set(ips.map((ip) => ip.ip_address));
    for (const r of routes) {
      const hop = ipToBig(r.nexthop);
      const version = r.nexthop.includes(':') ? 6 : 4;
      if (!cidrs.some((c) => c.version === version && contains(c, hop))) throw invalidRoutes(routes, 'the nexthop is not connected with router');
      if (own.has(r.nexthop)) throw invalidRoutes(routes, 'the nexthop is used by router');
    }
  }

  private ipsChange(portId: string, requested: FixedIpRequest[]): boolean {
    const held = this.access.showPort(portId).fixed_ips;
    const subnets = new Set(requested.map((r) => r.subnet_id).filter(Boolean));
    const addresses = new Set(requested.map((r) => r.ip_address).filter(Boolean));
    const heldSubnets = new Set(held.map((h) => h.subnet_id));
    const heldAddresses = new Set(held.map((h) => h.ip_address));
    const same = (a: Set<unknown>, b: Set<unknown>) => a.size === b.size && [...a].every((x) => b.has(x));
    return (subnets.size > 0 && !same(subnets, heldSubnets)) || (addresses.size > 0 && !same(addresses, heldAddresses));
  }
}
