import type { RequestContext } from '../plugins/plugin.js';

type Awaitable<T> = T | Promise<T>;

/** Limits per resource (`network`, `port`, ...); -1 is unlimited. */
export type QuotaLimits = Record<string, number>;

/** One resource's line of a project's quota details (the quota_details extension). */
export interface QuotaUsage {
  limit: number;
  used: number;
  reserved: number;
}

/**
 * Neutron's quotas (extensions quotas and quota_details): per project and resource, a limit that
 * falls back to the configured default. The plugin enforces them on create, counting what the
 * project has inside the create's transaction, so usage stays exact whatever runs at once; an
 * excess is 409 OverQuota naming the resources. Who may read or set them is the API's business.
 */
export interface QuotaService {
  /** The resources with a quota: the core ones and those of the plugin's services. */
  resources(): string[];
  defaults(): QuotaLimits;
  /** The project's limits: its own where set, else the defaults. */
  getQuota(ctx: RequestContext, projectId: string): Awaitable<QuotaLimits>;
  getUsage(ctx: RequestContext, projectId: string): Awaitable<Record<string, QuotaUsage>>;
  /** Projects with limits of their own, with them. */
  listQuotas(ctx: RequestContext): Awaitable<{ project_id: string; limits: QuotaLimits }[]>;
  updateQuota(ctx: RequestContext, projectId: string, limits: QuotaLimits): Awaitable<QuotaLimits>;
  /** Back to the defaults. */
  deleteQuota(ctx: RequestContext, projectId: string): Awaitable<void>;
}
