import type { FastifyRequest } from 'fastify';
import '../auth/index.js';
import type { RequestContext } from '../plugins/plugin.js';
import { badRequest } from '../errors.js';

/**
 * Who is calling: what the auth hook (src/netcore/auth) found for this request. Never the body. The
 * arguments after `req` are accepted for callers written before it and ignored.
 */
export function requestContext(req: FastifyRequest, ..._ignored: unknown[]): RequestContext {
  return req.caller;
}

/** The project named in one body item; `project_id` and `tenant_id` must agree when both are given. */
export function bodyProject(item: Record<string, unknown>): string | undefined {
  const { project_id: project, tenant_id: tenant } = item;
  if (project !== undefined && tenant !== undefined && project !== tenant) {
    throw badRequest("'project_id' and 'tenant_id' do not match");
  }
  const value = project ?? tenant;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 255) {
    throw badRequest(`Invalid input for project_id. Reason: '${String(value)}' is not a valid string.`);
  }
  return value;
}

/** The `If-Match: revision_number=N` constraint of an update or delete, as Neutron reads it; other etags are ignored. */
export function ifMatchRevision(req: FastifyRequest): { revision?: number } {
  const header = headerValue(req, 'if-match');
  if (!header) return {};
  const revisions = header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'))
    .filter((tag) => tag.startsWith('revision_number='));
  if (revisions.length === 0) return {};
  if (revisions.length > 1) throw badRequest('Multiple revision_number etags are not supported.');
  const value = revisions[0].slice('revision_number='.length);
  if (!/^\d+$/.test(value)) throw badRequest('Revision number etag must be in the format of revision_number=<int>');
  return { revision: Number(value) };
}

function headerValue(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.trim() ? s.trim() : undefined;
}
