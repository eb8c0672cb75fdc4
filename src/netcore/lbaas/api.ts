import type { FastifyInstance } from 'fastify';
import { badRequest } from '../errors.js';
import { InvalidValue, listOf, nullable, oneOf, toBool, toInt, toIp, toStr, toUuid, type AttrMap } from '../api/attributes.js';
import { serviceOps } from '../api/ops.js';
import { registerMemberAction, registerResource, type ControllerOptions, type ResourceSpec } from '../api/resource.js';
import type { NetcorePlugin } from '../plugins/plugin.js';
import { sessionPersistenceInvalid } from './errors.js';
import type { HealthMonitor, LbaasService, Member, Pool, SessionPersistence, Vip } from './service.js';
import { PROVIDER } from './tables.js';

// Havana's LBaaS v1 attribute maps (neutron/extensions/loadbalancer.py), under /v2.0/lb/.

const PROTOCOLS = ['TCP', 'HTTP', 'HTTPS'] as const;
const port = toInt(0, 65535);
const identity: AttrMap = {
  id: { filter: 'string', sort: true, convert: toUuid },
  project_id: { post: true, convert: toStr(255), filter: 'string', sort: true },
  tenant_id: { post: true, convert: toStr(255), filter: 'string', sort: true },
};
const named: AttrMap = {
  name: { post: true, put: true, default: () => '', convert: toStr(255), filter: 'string', sort: true },
  description: { post: true, put: true, default: () => '', convert: toStr(255), filter: 'string', sort: true },
};
const state: AttrMap = {
  admin_state_up: { post: true, put: true, default: () => true, convert: toBool, filter: 'bool', sort: true },
  status: { filter: 'string', sort: true },
  status_description: { filter: 'none' },
};

/** type:dict_or_empty with a required type; then Havana's rule: a cookie name for APP_COOKIE only. */
export function sessionPersistence(v: unknown): SessionPersistence | null {
  if (v === null || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new InvalidValue(`'${JSON.stringify(v)}' is not a dictionary`);
  const { type, cookie_name: cookie, ...rest } = v as Record<string, unknown>;
  if (Object.keys(rest).length) throw new InvalidValue(`Unrecognized key '${Object.keys(rest)[0]}' in session_persistence`);
  const kind = oneOf(['APP_COOKIE', 'HTTP_COOKIE', 'SOURCE_IP'] as const)(type);
  if (cookie !== undefined && typeof cookie !== 'string') throw new InvalidValue(`'${String(cookie)}' is not a valid string`);
  if (kind === 'APP_COOKIE') {
    if (!cookie) throw sessionPersistenceInvalid("'cookie_name' should be specified for this type of session persistence.");
    return { type: kind, cookie_name: cookie };
  }
  if (cookie !== undefined) throw sessionPersistenceInvalid("'cookie_name' is not allowed for this type of session persistence");
  return { type: kind };
}

export const poolAttrs: AttrMap = {
  ...identity,
  ...named,
  ...state,
  vip_id: { filter: 'string', sort: true },
  subnet_id: { post: true, required: true, convert: toUuid, filter: 'string', sort: true },
  protocol: { post: true, required: true, convert: oneOf(PROTOCOLS), filter: 'string', sort: true },
  provider: {
    post: true,
    convert: (v) => {
      if (v !== PROVIDER) throw new InvalidValue(`provider '${String(v)}' is not one of ['${PROVIDER}']`);
      return undefined;
    },
    filter: 'none',
  },
  lb_method: { post: true, put: true, required: true, convert: oneOf(['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP'] as const), filter: 'string', sort: true },
  members: { filter: 'none' },
  health_monitors: { post: true, put: true, convert: nullable(listOf(toUuid)), filter: 'none' },
  health_monitors_status: { filter: 'none' },
};

export const memberAttrs: AttrMap = {
  ...identity,
  ...state,
  pool_id: { post: true, put: true, required: true, convert: toUuid, filter: 'string', sort: true },
  address: { post: true, required: true, convert: toIp, filter: 'string', sort: true },
  protocol_port: { post: true, required: true, convert: port, filter: 'int', sort: true },
  weight: { post: true, put: true, default: () => 1, convert: toInt(0, 256), filter: 'int', sort: true },
};

export const vipAttrs: AttrMap = {
  ...identity,
  ...named,
  ...state,
  subnet_id: { post: true, required: true, convert: toUuid, filter: 'none' },
  address: { post: true, convert: nullable(toIp), filter: 'none' },
  port_id: { filter: 'string', sort: true },
  protocol_port: { post: true, required: true, convert: port, filter: 'int', sort: true },
  protocol: { post: true, required: true, convert: oneOf(PROTOCOLS), filter: 'string', sort: true },
  pool_id: { post: true, put: true, required: true, convert: toUuid, filter: 'string', sort: true },
  session_persistence: { post: true, put: true, default: () => null, convert: sessionPersistence, filter: 'none' },
  connection_limit: { post: true, put: true, default: () => -1, convert: toInt(-1, 2 ** 31 - 1), filter: 'int', sort: true },
};

const EXPECTED_CODES = /^(\d{3}(\s*,\s*\d{3})*)$|^(\d{3}-\d{3})$/;
export const healthMonitorAttrs: AttrMap = {
  ...identity,
  ...state,
  type: { post: true, required: true, convert: oneOf(['PING', 'TCP', 'HTTP', 'HTTPS'] as const), filter: 'string', sort: true },
  delay: { post: true, put: true, required: true, convert: toInt(0, 2 ** 31 - 1), filter: 'int', sort: true },
  timeout: { post: true, put: true, required: true, convert: toInt(0, 2 ** 31 - 1), filter: 'int', sort: true },
  max_retries: { post: true, put: true, required: true, convert: toInt(1, 10), filter: 'int', sort: true },
  http_method: { post: true, put: true, default: () => 'GET', convert: toStr(16), filter: 'string', sort: true },
  url_path: { post: true, put: true, default: () => '/', convert: toStr(255), filter: 'string', sort: true },
  expected_codes: {
    post: true,
    put: true,
    default: () => '200',
    convert: (v) => {
      if (typeof v !== 'string' || !EXPECTED_CODES.test(v)) throw new InvalidValue(`'${String(v)}' is not a valid input`);
      return v;
    },
    filter: 'string',
    sort: true,
  },
  pools: { filter: 'none' },
};

const lbSpec = <R extends { id: string; project_id: string }>(lb: LbaasService, singular: string, collection: string, kind: string, attrs: AttrMap): ResourceSpec<R> => ({
  singular,
  collection,
  path: `lb/${collection}`,
  attrs,
  ...serviceOps<R>(lb, kind),
});

/** The body of POST /lb/pools/{id}/health_monitors: `{"health_monitor": {"id": ...}}`. */
function monitorId(body: unknown): string {
  const hm = typeof body === 'object' && body !== null ? (body as { health_monitor?: { id?: unknown } }).health_monitor : undefined;
  if (typeof hm !== 'object' || hm === null) throw badRequest("Unable to find 'health_monitor' in request body");
  try {
    return toUuid(hm.id);
  } catch {
    throw badRequest(`Invalid input for id. Reason: '${String(hm.id)}' is not a valid UUID.`);
  }
}

/** Serves LBaaS v1 (pools, members, vips, health monitors, their association) when the plugin has it. */
export function registerLbaas(app: FastifyInstance, plugin: NetcorePlugin, opts: ControllerOptions): void {
  const lb = plugin.lbaas;
  if (!lb) return;
  const pools = lbSpec<Pool>(lb, 'pool', 'pools', 'Pool', poolAttrs);
  registerResource(app, pools, opts);
  registerResource(app, lbSpec<Member>(lb, 'member', 'members', 'Member', memberAttrs), opts);
  registerResource(app, lbSpec<Vip>(lb, 'vip', 'vips', 'Vip', vipAttrs), opts);
  registerResource(app, lbSpec<HealthMonitor>(lb, 'health_monitor', 'health_monitors', 'HealthMonitor', healthMonitorAttrs), opts);
  registerMemberAction(app, pools, opts, {
    method: 'POST',
    path: 'health_monitors',
    policy: 'create_pool_health_monitor',
    status: 201,
    // Havana's documented answer: 201 with an empty health_monitor
    handle: async (ctx, pool, { body }) => {
      await lb.associateHealthMonitor(ctx, pool.id, monitorId(body));
      return { health_monitor: {} };
    },
  });
  registerMemberAction(app, pools, opts, {
    method: 'GET',
    path: 'health_monitors/:monitor',
    policy: 'get_pool_health_monitor',
    handle: async (ctx, pool, { params }) => ({ health_monitor: await lb.getPoolHealthMonitor(ctx, pool.id, params.monitor) }),
  });
  registerMemberAction(app, pools, opts, {
    method: 'DELETE',
    path: 'health_monitors/:monitor',
    policy: 'delete_pool_health_monitor',
    status: 204,
    handle: async (ctx, pool, { params }) => lb.disassociateHealthMonitor(ctx, pool.id, params.monitor),
  });
  // no driver reports traffic here: the counters stay at zero
  registerMemberAction(app, pools, opts, {
    method: 'GET',
    path: 'stats',
    policy: 'get_pool_stats',
    handle: async () => ({ stats: { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0 } }),
  });
}
