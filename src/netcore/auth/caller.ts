import type { RequestContext } from '../plugins/plugin.js';

/** Role names from an `X-Roles`-style list: trimmed, lower case (oslo.policy compares roles case-blind). */
export function parseRoles(header: string | undefined): string[] {
  if (!header) return [];
  const roles: string[] = [];
  for (const r of header.split(',')) {
    const role = r.trim().toLowerCase();
    if (role) roles.push(role);
  }
  return roles;
}

/**
 * The caller a project and its roles make. As Neutron's default policies (new defaults): `admin` may
 * do anything, `member` reads and writes its project, `reader` alone only reads. A caller with other
 * roles only is treated as a member, as Neutron Zed's legacy rules do.
 */
export function callerOf(projectId: string, roles: readonly string[], authenticated: boolean, userId?: string): RequestContext {
  const isAdmin = roles.includes('admin');
  const isReader = !isAdmin && !roles.includes('member') && roles.includes('reader');
  const caller: RequestContext = { projectId, isAdmin, roles, isReader, authenticated };
  if (userId !== undefined) caller.userId = userId;
  return Object.freeze(caller);
}

/** One header's value, trimmed; undefined when absent or blank. A repeated header counts by its first value. */
export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined) return undefined;
  const t = s.trim();
  return t === '' ? undefined : t;
}
