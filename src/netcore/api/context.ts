import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../plugins/plugin.js';
import { badRequest } from '../errors.js';

/** The noauth caller: X-Project-Id (or X-Tenant-Id), else the body's project, else the default. */
export function requestContext(req: FastifyRequest, defaultProjectId: string, bodyItems: Record<string, unknown>[] = []): RequestContext {
  const header = headerValue(req, 'x-project-id') ?? headerValue(req, 'x-tenant-id');
  const roles = (headerValue(req, 'x-roles') ?? '').split(',').map((r) => r.trim().toLowerCase());
  const fromBody = bodyItems.map(bodyProject).find((p) => p !== undefined);
  return { projectId: header ?? fromBody ?? defaultProjectId, isAdmin: roles.includes('admin') };
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

function headerValue(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.trim() ? s.trim() : undefined;
}
