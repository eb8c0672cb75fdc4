import type { RequestContext } from '../plugins/plugin.js';
import { callerOf, header, parseRoles } from './caller.js';

/**
 * Neutron's noauth: with no `X-Project-Id` (or `X-Tenant-Id`) the caller is an admin of the default
 * project (Neutron's NoauthFakeProjectId), so a body's `project_id` names the owner of what it
 * creates and every list shows all projects. With the header, the caller is that project, an admin
 * only with `X-Roles: admin` (as keystonemiddleware would pass them; Neutron's noauth ignores them).
 */
export function noauthCaller(headers: Record<string, string | string[] | undefined>, defaultProjectId: string): RequestContext {
  const project = header(headers, 'x-project-id') ?? header(headers, 'x-tenant-id');
  if (project === undefined) return callerOf(defaultProjectId, ADMIN_ROLES, false);
  return callerOf(project, parseRoles(header(headers, 'x-roles')), false, header(headers, 'x-user-id'));
}

const ADMIN_ROLES: readonly string[] = Object.freeze(['admin', 'member', 'reader']);
