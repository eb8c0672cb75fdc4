import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { attributePolicyNotAuthorized, badRequest, foreignProject, methodNotAllowed, policyNotAuthorized, revisionNumberConstraintFailed } from '../errors.js';
import type { ListQuery, NetcorePlugin, Network, Port, RequestContext, Subnet } from '../plugins/plugin.js';
import { parseCreate, parseUpdate, type AttrMap } from './attributes.js';
import { bodyProject, ifMatchRevision } from './context.js';
import { paginate, parseListQuery, selectFields } from './query.js';

interface Owned {
  id: string;
  project_id: string;
  /** Absent on resources without Neutron's standard attributes (LBaaS v1): If-Match does not apply to them. */
  revision_number?: number;
}

/** How the generic REST controller reaches one resource kind (Neutron's api/v2/base.py in small). */
export interface ResourceSpec<R extends Owned> {
  singular: string;
  collection: string;
  /** The path under /v2.0 when it differs from the collection key (`security-groups`, `lb/pools`). */
  path?: string;
  attrs: AttrMap;
  create(ctx: RequestContext, items: Record<string, unknown>[]): Promise<R[]>;
  get(ctx: RequestContext, id: string): Promise<R>;
  list(ctx: RequestContext, query: ListQuery): Promise<R[]>;
  update(ctx: RequestContext, id: string, changes: Record<string, unknown>): Promise<R>;
  remove(ctx: RequestContext, id: string): Promise<void>;
  /** Extra checks on a parsed create item (e.g. the parent network is visible and the caller may use it). */
  authorizeCreate?(ctx: RequestContext, item: Record<string, unknown>, raw: Record<string, unknown>): Promise<void>;
}

export interface ControllerOptions {
  /** Unused: the caller comes from the auth hook (kept so older callers still compile). */
  defaultProjectId?: string;
  paginationMaxLimit: number;
}

export function registerResource<R extends Owned>(app: FastifyInstance, spec: ResourceSpec<R>, opts: ControllerOptions): void {
  const { singular, collection, attrs } = spec;
  const base = `/v2.0/${spec.path ?? collection}`;
  // names the policy in a refusal (`create_port`); the caller itself is `req.caller`, set by the auth hook
  const route = { config: { resource: singular } };

  app.get(base, route, async (req) => {
    const params = searchParams(req);
    const parsed = parseListQuery(params, attrs, opts.paginationMaxLimit);
    const ctx = req.caller;
    const { items, links } = paginate(await spec.list(ctx, parsed.query), parsed, `${origin(req)}${base}`, params);
    const body: Record<string, unknown> = { [collection]: items.map((r) => selectFields(r, parsed.fields)) };
    if (links) body[`${collection}_links`] = links;
    return body;
  });

  app.get<{ Params: { id: string } }>(`${base}/:id`, route, async (req) => {
    const ctx = req.caller;
    const fields = searchParams(req).getAll('fields').flatMap((f) => f.split(',')).filter(Boolean);
    return { [singular]: selectFields(await spec.get(ctx, req.params.id), fields) };
  });

  app.post(base, route, async (req, reply: FastifyReply) => {
    const body = objectBody(req.body);
    const bulk = collection in body;
    const raw = bulk ? body[collection] : body[singular];
    if (raw === undefined) throw badRequest(`Unable to find '${singular}' in request body`);
    const rawItems = (bulk ? raw : [raw]) as unknown[];
    if (!Array.isArray(rawItems) || rawItems.length === 0 || rawItems.some((i) => typeof i !== 'object' || i === null || Array.isArray(i))) {
      throw badRequest(bulk ? `Resources required` : `Resource body required`);
    }
    const items = rawItems as Record<string, unknown>[];
    const ctx = req.caller;
    const parsed = [];
    for (const item of items) {
      // the body names the owner of what is created, never the caller; only an admin may name another project
      const project = bodyProject(item) ?? ctx.projectId;
      if (!ctx.isAdmin && project !== ctx.projectId) throw foreignProject();
      const values = parseCreate(attrs, item);
      for (const [name, attr] of Object.entries(attrs)) {
        if (attr.adminOnly && !ctx.isAdmin && name in item && values[name] !== attr.default?.()) {
          throw attributePolicyNotAuthorized(`create_${singular}`, name);
        }
      }
      delete values.tenant_id;
      values.project_id = project;
      await spec.authorizeCreate?.(ctx, values, item);
      parsed.push(values);
    }
    const created = await spec.create(ctx, parsed);
    reply.code(201);
    return bulk ? { [collection]: created } : { [singular]: created[0] };
  });

  app.put<{ Params: { id: string } }>(`${base}/:id`, route, async (req) => {
    const body = objectBody(req.body);
    const raw = body[singular];
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest(`Unable to find '${singular}' in request body`);
    const ctx = { ...req.caller, ...ifMatchRevision(req) };
    const changes = parseUpdate(attrs, raw as Record<string, unknown>);
    for (const name of Object.keys(changes)) {
      if (attrs[name].adminOnly && !ctx.isAdmin) throw attributePolicyNotAuthorized(`update_${singular}`, name);
    }
    await authorizeChange(spec, ctx, req.params.id, `update_${singular}`);
    return { [singular]: await spec.update(ctx, req.params.id, changes) };
  });

  app.delete<{ Params: { id: string } }>(`${base}/:id`, route, async (req, reply) => {
    const ctx = { ...req.caller, ...ifMatchRevision(req) };
    await authorizeChange(spec, ctx, req.params.id, `delete_${singular}`);
    await spec.remove(ctx, req.params.id);
    reply.code(204).send();
  });

  // A method the path does not support is 405, as Neutron answers, not 404 (the path exists).
  for (const [url, methods, allow] of [
    [base, ['PUT', 'DELETE', 'PATCH'], 'GET, HEAD, POST'],
    [`${base}/:id`, ['POST', 'PATCH'], 'GET, HEAD, PUT, DELETE'],
  ] as const) {
    app.route({
      ...route,
      method: [...methods],
      url,
      handler: async (_req, reply) => {
        reply.header('allow', allow);
        throw methodNotAllowed();
      },
    });
  }
}

// Invisible resources are 404 (from get); visible but not owned (a shared network) is 403, as Neutron.
async function authorizeChange<R extends Owned>(spec: ResourceSpec<R>, ctx: RequestContext, id: string, policy: string): Promise<R> {
  const current = await spec.get(ctx, id);
  if (!ctx.isAdmin && current.project_id !== ctx.projectId) throw policyNotAuthorized(policy);
  if (ctx.revision !== undefined && current.revision_number !== undefined && current.revision_number !== ctx.revision) {
    throw revisionNumberConstraintFailed(ctx.revision, current.revision_number);
  }
  return current;
}

/** One action on a member of a resource (`PUT /v2.0/routers/{id}/add_router_interface`), or a sub-collection under it. */
export interface MemberAction<R extends Owned> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path under the member: `add_router_interface`, `health_monitors`, `health_monitors/:child`. */
  path: string;
  /** The policy a refusal names (`add_router_interface`). */
  policy: string;
  /** Answer status on success (default 200). */
  status?: number;
  /** Runs once the caller is known to see the member (else its NotFound) and, for writes, to own it or be admin. */
  handle(ctx: RequestContext, member: R, input: { body: unknown; params: Record<string, string> }): Promise<unknown>;
}

/** Registers a member action through the same caller, visibility and ownership rules as the resource's own routes. */
export function registerMemberAction<R extends Owned>(app: FastifyInstance, spec: ResourceSpec<R>, opts: ControllerOptions, action: MemberAction<R>): void {
  app.route<{ Params: Record<string, string> & { id: string } }>({
    method: action.method,
    url: `/v2.0/${spec.path ?? spec.collection}/:id/${action.path}`,
    config: { resource: spec.singular },
    handler: async (req, reply) => {
      const ctx = req.caller;
      const member = action.method === 'GET' ? await spec.get(ctx, req.params.id) : await authorizeChange(spec, ctx, req.params.id, action.policy);
      const out = await action.handle(ctx, member, { body: req.method === 'DELETE' ? undefined : req.body, params: req.params });
      reply.code(action.status ?? 200);
      return out === undefined ? reply.send() : out;
    },
  });
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('Resource body required');
  return body as Record<string, unknown>;
}

export function searchParams(req: FastifyRequest): URLSearchParams {
  const q = req.url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
}

export function origin(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? 'localhost'}`;
}

interface Kinds {
  Network: Network;
  Subnet: Subnet;
  Port: Port;
}
type Ops<R extends Owned> = Pick<ResourceSpec<R>, 'create' | 'get' | 'list' | 'update' | 'remove'>;

/** The five plugin calls of one resource kind (`createNetworks`, `getNetwork`, ...), as a spec's operations. */
export function pluginOps<K extends keyof Kinds>(plugin: NetcorePlugin, kind: K, prepare: (items: Record<string, unknown>[]) => unknown[] = (i) => i): Ops<Kinds[K]> {
  const call = (method: string, ...args: unknown[]) =>
    Promise.resolve((plugin as unknown as Record<string, (...a: unknown[]) => unknown>)[method].call(plugin, ...args));
  return {
    create: (ctx, items) => call(`create${kind}s`, ctx, prepare(items)) as Promise<Kinds[K][]>,
    get: (ctx, id) => call(`get${kind}`, ctx, id) as Promise<Kinds[K]>,
    list: (ctx, q) => call(`list${kind}s`, ctx, q) as Promise<Kinds[K][]>,
    update: (ctx, id, changes) => call(`update${kind}`, ctx, id, changes) as Promise<Kinds[K]>,
    remove: (ctx, id) => call(`delete${kind}`, ctx, id) as Promise<void>,
  };
}
