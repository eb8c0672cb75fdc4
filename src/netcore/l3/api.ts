import type { FastifyInstance } from 'fastify';
import { badRequest, policyNotAuthorized } from '../errors.js';
import { dictOf, InvalidValue, listOf, nullable, toBool, toCidr, toIp, toUuid, type AttrMap } from '../api/attributes.js';
import { registerMemberAction, registerResource, type ControllerOptions, type ResourceSpec } from '../api/resource.js';
import { standardAttrs } from '../api/standard.js';
import type { NetcorePlugin, RequestContext } from '../plugins/plugin.js';
import { serviceOps } from '../api/ops.js';
import type { ExtraRoute, FloatingIp, GatewayRequest, InterfaceRequest, L3Service, Router } from './service.js';

const fixedIp = dictOf({ subnet_id: { convert: toUuid, optional: true }, ip_address: { convert: toIp, optional: true } });

/** external_gateway_info: a dict with network_id, or null / {} for no gateway. */
const gatewayInfo = (v: unknown): GatewayRequest | null => {
  if (v === null || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)) return null;
  return dictOf({
    network_id: { convert: toUuid },
    enable_snat: { convert: toBool, optional: true },
    external_fixed_ips: { convert: listOf(fixedIp), optional: true },
  })(v) as unknown as GatewayRequest;
};

/** neutron-lib's type:hostroutes (null is none): CIDR destinations, IP nexthops, no duplicates. */
const extraRoutes = (v: unknown): ExtraRoute[] => {
  if (v === null) return [];
  const routes = listOf(dictOf({ destination: { convert: toCidr }, nexthop: { convert: toIp } }))(v) as unknown as ExtraRoute[];
  const keys = routes.map((r) => `${r.destination} ${r.nexthop}`);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) throw new InvalidValue(`Duplicate hostroute '${dup}'`);
  return routes;
};

export const routerAttrs: AttrMap = {
  ...standardAttrs(),
  admin_state_up: { post: true, put: true, default: () => true, convert: toBool, filter: 'bool', sort: true },
  status: { filter: 'string', sort: true },
  external_gateway_info: { post: true, put: true, default: () => null, convert: gatewayInfo, filter: 'none' },
  routes: { put: true, convert: extraRoutes, filter: 'none' },
};

const { name: _noName, ...fipStandard } = standardAttrs();
export const floatingIpAttrs: AttrMap = {
  ...fipStandard,
  floating_ip_address: { post: true, convert: toIp, adminOnly: true, filter: 'string', sort: true },
  subnet_id: { post: true, convert: nullable(toUuid), filter: 'none' },
  floating_network_id: { post: true, required: true, convert: toUuid, filter: 'string', sort: true },
  router_id: { filter: 'string', sort: true },
  port_id: { post: true, put: true, default: () => null, convert: nullable(toUuid), filter: 'string', sort: true },
  fixed_ip_address: { post: true, put: true, convert: nullable(toIp), filter: 'string', sort: true },
  status: { filter: 'string', sort: true },
  port_details: { filter: 'none' },
};

// Neutron's policy: only admin picks SNAT or the gateway's addresses (create_/update_router:external_gateway_info:*).
function checkGatewayPolicy(ctx: RequestContext, gateway: unknown, verb: 'create' | 'update'): void {
  if (ctx.isAdmin || gateway === null || typeof gateway !== 'object') return;
  for (const key of ['enable_snat', 'external_fixed_ips'] as const) {
    if (key in gateway) throw policyNotAuthorized(`${verb}_router:external_gateway_info:${key}`);
  }
}

export function routerSpec(l3: L3Service): ResourceSpec<Router> {
  return {
    singular: 'router',
    collection: 'routers',
    attrs: routerAttrs,
    ...serviceOps<Router>(l3, 'Router'),
    update: async (ctx, id, changes) => {
      checkGatewayPolicy(ctx, changes.external_gateway_info, 'update');
      return l3.updateRouter(ctx, id, changes);
    },
    async authorizeCreate(ctx, item) {
      checkGatewayPolicy(ctx, item.external_gateway_info, 'create');
    },
  };
}

export function floatingIpSpec(l3: L3Service): ResourceSpec<FloatingIp> {
  return {
    singular: 'floatingip',
    collection: 'floatingips',
    attrs: floatingIpAttrs,
    ...serviceOps<FloatingIp>(l3, 'FloatingIp'),
  };
}

/** The body of add_/remove_router_interface: `{"subnet_id": ...}` or `{"port_id": ...}`, not wrapped. */
function interfaceRequest(body: unknown): InterfaceRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('Resource body required');
  const { subnet_id, port_id } = body as Record<string, unknown>;
  return { ...(subnet_id !== undefined ? { subnet_id: subnet_id as string } : {}), ...(port_id !== undefined ? { port_id: port_id as string } : {}) };
}

/** Serves routers (with their interface actions) and floating IPs when the plugin has an L3 service. */
export function registerL3(app: FastifyInstance, plugin: NetcorePlugin, opts: ControllerOptions): void {
  const l3 = plugin.l3;
  if (!l3) return;
  const routers = routerSpec(l3);
  registerResource(app, routers, opts);
  for (const action of ['add_router_interface', 'remove_router_interface'] as const) {
    registerMemberAction(app, routers, opts, {
      method: 'PUT',
      path: action,
      policy: action,
      handle: async (ctx, router, { body }) =>
        action === 'add_router_interface' ? l3.addRouterInterface(ctx, router.id, interfaceRequest(body)) : l3.removeRouterInterface(ctx, router.id, interfaceRequest(body)),
    });
  }
  registerResource(app, floatingIpSpec(l3), opts);
}
