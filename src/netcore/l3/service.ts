import type { FixedIp, FixedIpRequest, ListQuery, RequestContext, Standard as CoreStandard } from '../plugins/plugin.js';

type Awaitable<T> = T | Promise<T>;

export interface ExternalGatewayInfo {
  network_id: string;
  enable_snat: boolean;
  external_fixed_ips: FixedIp[];
}

export interface ExtraRoute {
  destination: string;
  nexthop: string;
}

/** Neutron's standard attributes; floating IPs have no name. */
type Standard = Omit<CoreStandard, 'name'>;

export interface Router extends CoreStandard {
  status: string;
  admin_state_up: boolean;
  external_gateway_info: ExternalGatewayInfo | null;
  routes: ExtraRoute[];
}

/** The port a floating IP maps to, as the fip-port-details extension shows it. */
export interface FloatingIpPortDetails {
  name: string;
  network_id: string;
  mac_address: string;
  admin_state_up: boolean;
  status: string;
  device_id: string;
  device_owner: string;
}

export interface FloatingIp extends Standard {
  floating_ip_address: string;
  floating_network_id: string;
  router_id: string | null;
  port_id: string | null;
  fixed_ip_address: string | null;
  status: string;
  port_details: FloatingIpPortDetails | null;
}

/** What `external_gateway_info` asks for; enable_snat and external_fixed_ips only from admin (the API checks). */
export interface GatewayRequest {
  network_id: string;
  enable_snat?: boolean;
  external_fixed_ips?: FixedIpRequest[];
}

export interface RouterCreate {
  project_id: string;
  name: string;
  description: string;
  admin_state_up: boolean;
  /** null or absent: no gateway. */
  external_gateway_info?: GatewayRequest | null;
}
export type RouterUpdate = Partial<Omit<RouterCreate, 'project_id'>> & { routes?: ExtraRoute[] };

export interface FloatingIpCreate {
  project_id: string;
  description: string;
  floating_network_id: string;
  /** The external subnet to allocate from, and/or the address (admin only: the API checks). */
  subnet_id?: string;
  floating_ip_address?: string;
  port_id?: string | null;
  fixed_ip_address?: string | null;
}
export type FloatingIpUpdate = Partial<Pick<FloatingIpCreate, 'description' | 'port_id' | 'fixed_ip_address'>>;

/** The body of add_router_interface / remove_router_interface. */
export interface InterfaceRequest {
  subnet_id?: string;
  port_id?: string;
}

/** What add_router_interface / remove_router_interface answer (Neutron's router interface info). */
export interface RouterInterfaceInfo {
  id: string;
  tenant_id: string;
  port_id: string;
  network_id: string;
  subnet_id: string;
  subnet_ids: string[];
}

/**
 * Neutron's L3 service: routers (external gateway with SNAT, interfaces, extra routes) and
 * floating IPs. Visibility and atomicity as for the core resources (plugin.ts); errors are the
 * NeutronErrors of ./errors.ts and ../errors.ts.
 */
export interface L3Service {
  createRouters(ctx: RequestContext, items: RouterCreate[]): Awaitable<Router[]>;
  getRouter(ctx: RequestContext, id: string): Awaitable<Router>;
  listRouters(ctx: RequestContext, query: ListQuery): Awaitable<Router[]>;
  updateRouter(ctx: RequestContext, id: string, changes: RouterUpdate): Awaitable<Router>;
  /** 409 RouterInUse while interfaces remain. */
  deleteRouter(ctx: RequestContext, id: string): Awaitable<void>;
  addRouterInterface(ctx: RequestContext, routerId: string, request: InterfaceRequest): Awaitable<RouterInterfaceInfo>;
  removeRouterInterface(ctx: RequestContext, routerId: string, request: InterfaceRequest): Awaitable<RouterInterfaceInfo>;

  createFloatingIps(ctx: RequestContext, items: FloatingIpCreate[]): Awaitable<FloatingIp[]>;
  getFloatingIp(ctx: RequestContext, id: string): Awaitable<FloatingIp>;
  listFloatingIps(ctx: RequestContext, query: ListQuery): Awaitable<FloatingIp[]>;
  updateFloatingIp(ctx: RequestContext, id: string, changes: FloatingIpUpdate): Awaitable<FloatingIp>;
  deleteFloatingIp(ctx: RequestContext, id: string): Awaitable<void>;
}
