import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestContext } from '../api/context.js';
import type { ControllerOptions } from '../api/resource.js';
import { badRequest, invalidInput, NeutronError, policyNotAuthorized } from '../errors.js';
import type { NetcorePlugin, RequestContext } from '../plugins/plugin.js';
import type { QuotaLimits, QuotaService } from './service.js';

const MAX = 2 ** 31 - 1;

/** A PUT body's limits: known resources only, integers from -1 (Neutron's messages), plus its force / check_limit flags. */
export function parseQuotaBody(body: unknown, resources: string[]): { limits: QuotaLimits; checkLimit: boolean } {
  const quota = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).quota : undefined;
  if (typeof quota !== 'object' || quota === null || Array.isArray(quota)) throw badRequest("Unable to find 'quota' in request body");
  const { force: _force, check_limit: checkLimit, ...rest } = quota as Record<string, unknown>;
  const unknown = Object.keys(rest).filter((k) => !resources.includes(k));
  if (unknown.length) throw badRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  const limits: QuotaLimits = {};
  for (const [resource, raw] of Object.entries(rest)) {
    const n = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw invalidInput(`'${String(raw)}' is not an integer`);
    if (n < -1) throw badRequest(`Invalid input for ${resource}. Reason: '${n}' is too small - must be at least '-1'.`);
    if (n > MAX) throw badRequest(`Invalid input for ${resource}. Reason: '${n}' is too large - must be no larger than '${MAX}'.`);
    limits[resource] = n;
  }
  return { limits, checkLimit: checkLimit === true || checkLimit === 'true' || checkLimit === 'True' };
}

/** Serves Neutron's quotas API (quotasv2 and quota_details) when the plugin has the service. */
export function registerQuotas(app: FastifyInstance, plugin: NetcorePlugin, opts: ControllerOptions): void {
  const q: QuotaService | undefined = plugin.quotas;
  if (!q) return;
  const caller = (req: FastifyRequest) => req.caller;
  // reading another project's quota, listing them and changing any are admin's (Neutron's get_/update_/delete_quota)
  const mayRead = (ctx: RequestContext, projectId: string) => {
    if (!ctx.isAdmin && projectId !== ctx.projectId) throw policyNotAuthorized('get_quota');
  };
  const adminOnly = (ctx: RequestContext, policy: string) => {
    if (!ctx.isAdmin) throw policyNotAuthorized(policy);
  };
  type ById = { Params: { id: string } };

  app.get('/v2.0/quotas', async (req) => {
    const ctx = caller(req);
    adminOnly(ctx, 'get_quota');
    return { quotas: (await q.listQuotas(ctx)).map((p) => ({ ...p.limits, project_id: p.project_id, tenant_id: p.project_id })) };
  });
  app.get('/v2.0/quotas/tenant', async (req) => ({ tenant: { tenant_id: caller(req).projectId } }));
  app.get('/v2.0/quotas/project', async (req) => ({ project: { project_id: caller(req).projectId } }));
  app.post('/v2.0/quotas', async () => {
    throw new NeutronError('HTTPNotImplemented', 501, 'POST requests are not supported on this resource.');
  });
  app.get<ById>('/v2.0/quotas/:id', async (req) => {
    const ctx = caller(req);
    mayRead(ctx, req.params.id);
    return { quota: await q.getQuota(ctx, req.params.id) };
  });
  app.get<ById>('/v2.0/quotas/:id/default', async (req) => {
    mayRead(caller(req), req.params.id);
    return { quota: q.defaults() };
  });
  app.get<ById>('/v2.0/quotas/:id/details', async (req) => {
    const ctx = caller(req);
    mayRead(ctx, req.params.id);
    return { quota: await q.getUsage(ctx, req.params.id) };
  });
  app.put<ById>('/v2.0/quotas/:id', async (req) => {
    const ctx = caller(req);
    adminOnly(ctx, 'update_quota');
    const { limits, checkLimit } = parseQuotaBody(req.body, q.resources());
    if (checkLimit) {
      const usage = await q.getUsage(ctx, req.params.id);
      for (const [resource, limit] of Object.entries(limits)) {
        if (limit >= 0 && usage[resource].used > limit) {
          throw badRequest(`Quota limit ${limit} for ${resource} must be greater than or equal to already used ${usage[resource].used}`);
        }
      }
    }
    return { quota: await q.updateQuota(ctx, req.params.id, limits) };
  });
  app.delete<ById>('/v2.0/quotas/:id', async (req, reply) => {
    const ctx = caller(req);
    adminOnly(ctx, 'delete_quota');
    await q.deleteQuota(ctx, req.params.id);
    reply.code(204).send();
  });
}
