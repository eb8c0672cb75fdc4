import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../plugins/plugin.js';
import type { CoreHooks, ServiceAccess } from '../plugins/sqlite/hooks.js';
import { overQuota } from './errors.js';
import type { QuotaLimits, QuotaService, QuotaUsage } from './service.js';

/** Where each resource with a quota lives: a project's usage is a count of its rows there. */
const TABLES: Record<string, string> = {
  network: 'networks',
  subnet: 'subnets',
  port: 'ports',
  router: 'routers',
  floatingip: 'floatingips',
  security_group: 'securitygroups',
  security_group_rule: 'securitygrouprules',
  pool: 'pools',
  vip: 'vips',
  member: 'members',
  health_monitor: 'healthmonitors',
};

/** The reference plugin's quotas: limits in the quotas table, usage counted from the resources' own tables. */
export class SqliteQuotas implements QuotaService {
  readonly hooks: CoreHooks = {};

  constructor(
    private readonly access: ServiceAccess,
    /** The resources the plugin serves (core, and its services'). */
    private readonly names: string[],
  ) {}

  resources(): string[] {
    return [...this.names];
  }

  defaults(): QuotaLimits {
    const all = this.access.core.config.quotas as Record<string, number>;
    return Object.fromEntries(this.names.map((n) => [n, all[n]]));
  }

  /**
   * Refuses creating one `resource` per item where a project would pass its limit. Runs inside the
   * create's write transaction, which holds the database lock: the count cannot change under it.
   */
  check(resource: string, items: { project_id: string }[]): void {
    if (!this.names.includes(resource)) return;
    const wanted = new Map<string, number>();
    for (const i of items) wanted.set(i.project_id, (wanted.get(i.project_id) ?? 0) + 1);
    for (const [project, n] of wanted) {
      const limit = this.limitsOf(project)[resource];
      if (limit >= 0 && this.used(resource, project) + n > limit) throw overQuota([resource]);
    }
  }

  getQuota(_ctx: RequestContext, projectId: string): QuotaLimits {
    return this.limitsOf(projectId);
  }

  getUsage(_ctx: RequestContext, projectId: string): Record<string, QuotaUsage> {
    const limits = this.limitsOf(projectId);
    return Object.fromEntries(this.names.map((n) => [n, { limit: limits[n], used: this.used(n, projectId), reserved: 0 }]));
  }

  listQuotas(_ctx: RequestContext): { project_id: string; limits: QuotaLimits }[] {
    const projects = this.access.core.db.prepare('SELECT DISTINCT project_id FROM quotas ORDER BY project_id').all() as { project_id: string }[];
    return projects.map((p) => ({ project_id: p.project_id, limits: this.limitsOf(p.project_id) }));
  }

  updateQuota(_ctx: RequestContext, projectId: string, limits: QuotaLimits): QuotaLimits {
    return this.access.write(() => {
      const upsert = this.access.core.db.prepare(
        `INSERT INTO quotas (id, project_id, resource, "limit") VALUES (?, ?, ?, ?) ON CONFLICT (project_id, resource) DO UPDATE SET "limit" = excluded."limit"`,
      );
      for (const [resource, limit] of Object.entries(limits)) upsert.run(randomUUID(), projectId, resource, limit);
      return this.limitsOf(projectId);
    });
  }

  deleteQuota(_ctx: RequestContext, projectId: string): void {
    this.access.write(() => this.access.core.db.prepare('DELETE FROM quotas WHERE project_id = ?').run(projectId));
  }

  private limitsOf(projectId: string): QuotaLimits {
    const own = this.access.core.db.prepare('SELECT resource, "limit" AS n FROM quotas WHERE project_id = ?').all(projectId) as { resource: string; n: number }[];
    const limits = this.defaults();
    for (const o of own) if (o.resource in limits) limits[o.resource] = o.n;
    return limits;
  }

  private used(resource: string, projectId: string): number {
    return (this.access.core.db.prepare(`SELECT count(*) AS n FROM ${TABLES[resource]} WHERE project_id = ?`).get(projectId) as { n: number }).n;
  }
}
