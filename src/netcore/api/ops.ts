import type { ListQuery, RequestContext } from '../plugins/plugin.js';
import type { ResourceSpec } from './resource.js';

type Ops<R> = Pick<ResourceSpec<R & { id: string; project_id: string }>, 'create' | 'get' | 'list' | 'update' | 'remove'>;
type Method = (...args: unknown[]) => unknown;

/**
 * A service's five calls for one kind, by Neutron's naming (`createRouters`, `getRouter`,
 * `listRouters`, `updateRouter`, `deleteRouter`), as a resource spec's operations.
 */
export function serviceOps<R>(service: object, kind: string): Ops<R> {
  const call = (method: string, ...args: unknown[]) => Promise.resolve(((service as Record<string, Method>)[method]).call(service, ...args));
  return {
    create: (ctx: RequestContext, items: Record<string, unknown>[]) => call(`create${kind}s`, ctx, items) as Promise<(R & { id: string; project_id: string })[]>,
    get: (ctx: RequestContext, id: string) => call(`get${kind}`, ctx, id) as Promise<R & { id: string; project_id: string }>,
    list: (ctx: RequestContext, q: ListQuery) => call(`list${kind}s`, ctx, q) as Promise<(R & { id: string; project_id: string })[]>,
    update: (ctx: RequestContext, id: string, changes: Record<string, unknown>) => call(`update${kind}`, ctx, id, changes) as Promise<R & { id: string; project_id: string }>,
    remove: (ctx: RequestContext, id: string) => call(`delete${kind}`, ctx, id) as Promise<void>,
  };
}
