import { existsSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import { packageRoot } from './paths.js';

/**
 * The schema of `.github/netbot.yml`. Every key has a default, so a repository with no file works on
 * netcore's own layout. Unknown keys are errors (a typo must not silently disable a feature).
 */

const login = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'must be a GitHub login');
const logins = z.array(login).default([]);
const labelName = z.string().min(1).max(50);
const color = z.string().regex(/^[0-9a-fA-F]{6}$/, 'must be a 6-digit hex colour without #');
/** A template override names one of netbot's own templates: a typo would silently override nothing. */
const templateName = z
  .string()
  .refine((name) => /^[a-z]+\/[a-z0-9-]+\.(md|html)\.njk$/.test(name) && existsSync(join(packageRoot(), 'templates', name)), {
    message: "not one of netbot's templates (templates/<feature>/<name>.njk)",
  });

/** A glob picomatch throws on (it refuses very long ones) would throw in every handler that matches paths. */
function compilesAsGlob(glob: string): boolean {
  try {
    picomatch.makeRe(glob, { dot: true });
    return true;
  } catch {
    return false;
  }
}

export const subteamSchema = z.strictObject({
  name: z.string().min(1),
  label: labelName,
  color: color.default('1d76db'),
  description: z.string().max(100).optional(),
  leads: logins,
  backups: logins,
  /** Globs (picomatch) over repository paths. */
  paths: z.array(z.string().min(1).refine(compilesAsGlob, 'not a glob picomatch can compile (too long?)')).default([]),
  /** Words or phrases that point at this subteam in issue text and diffs (case-insensitive). */
  keywords: z.array(z.string().regex(/[\p{L}\p{N}]/u, 'must contain a letter or digit')).default([]),
});
export type Subteam = z.infer<typeof subteamSchema>;

export const DEFAULT_SUBTEAMS: Record<string, z.input<typeof subteamSchema>> = {
  l3: {
    name: 'L3 (routers and floating IPs)',
    label: 'area/l3',
    color: '0e8a16',
    // the metadata lookup is the L3 agent's (Neutron's metadata proxy runs in the router's namespace)
    paths: ['src/netcore/l3/**', 'src/netcore/metadata/**', 'src/netcore/api/routers*', 'src/netcore/api/floatingips*', 'test/netcore/l3/**', 'test/netcore/metadata/**'],
    keywords: ['router', 'floating ip', 'floatingip', 'fip', 'snat', 'l3 agent', 'l3-agent', 'external gateway', 'gateway port', 'add_router_interface', 'extraroute'],
  },
  db: {
    name: 'DB (schema and migrations)',
    label: 'area/db',
    color: '5319e7',
    paths: ['src/netcore/db/**', 'test/netcore/migrations/**', 'src/store/**'],
    keywords: ['migration', 'alembic', 'schema', 'database', 'sqlite', 'deadlock', 'foreign key', 'db upgrade', 'transaction'],
  },
  lbaas: {
    name: 'LBaaS (load balancing)',
    label: 'area/lbaas',
    color: 'fbca04',
    paths: ['src/netcore/lbaas/**', 'src/netcore/api/lb*', 'test/netcore/lbaas/**'],
    keywords: ['lbaas', 'load balancer', 'loadbalancer', 'vip', 'pool member', 'health monitor', 'haproxy', 'listener'],
  },
  ipv6: {
    name: 'IPv6',
    label: 'area/ipv6',
    color: 'c5def5',
    paths: ['src/netcore/ipam/**/*v6*', 'src/netcore/ipam/ipv6*', 'test/netcore/ipv6/**'],
    keywords: ['ipv6', 'slaac', 'dhcpv6', 'eui-64', 'eui64', 'ra_mode', 'ipv6_ra_mode', 'ipv6_address_mode', 'router advertisement', 'radvd', 'prefix delegation'],
  },
};

const triageSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Score (0..1) at or above which a bug is labelled low-hanging fruit. */
  lhfThreshold: z.number().min(0).max(1).default(0.6),
  /** Only issues carrying one of these labels are scored (empty: every issue). */
  bugLabels: z.array(labelName).default([]),
  claims: z
    .strictObject({
      maxOpenPerPerson: z.number().int().min(1).max(50).default(1),
      /** A claim with no linked pull request and no activity for this many days is released. */
      staleDays: z.number().int().min(1).max(365).default(14),
    })
    .prefault({}),
  welcome: z
    .strictObject({
      enabled: z.boolean().default(true),
      chat: z.url().optional(),
      mailingList: z.string().optional(),
    })
    .prefault({}),
  /** Public base URL of this app's HTTP server, used to link the starter-bug board. */
  boardUrl: z.url().optional(),
});

const routingSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Open review requests at which a reviewer counts as full and a backup is asked instead. */
  maxOpenReviews: z.number().int().min(1).max(100).default(5),
  /** Reviewers away: never asked while listed here (or set away with `/vacation on`). */
  vacation: logins,
  /** Asked when no subteam matches a pull request. */
  defaultReviewers: logins,
});

const checksSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** netcore plugins whose conformance suite runs on pull requests. */
  plugins: z.array(z.string().min(1)).default(['sqlite']),
  /** Authors whose pull requests run without `/ok-to-test` (besides maintainers). */
  trustedAuthors: logins,
});

const agendaSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Cron expression (UTC) for when the agenda is built and posted. */
  schedule: z.string().default('0 12 * * 1'),
  chair: login.optional(),
});

export const configSchema = z.strictObject({
  /** People treated as maintainers besides those with write access. */
  maintainers: logins,
  /** People who may run triage commands (/lhf, /not-lhf) without write access. */
  triagers: logins,
  labels: z
    .strictObject({
      lowHangingFruit: labelName.default('low-hanging-fruit'),
      needsTriage: labelName.default('needs-triage'),
    })
    .prefault({}),
  subteams: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'subteam keys are lower-case words'), subteamSchema)
    .prefault(() => structuredClone(DEFAULT_SUBTEAMS)),
  /** Template overrides: template name (e.g. `triage/lhf-comment.md.njk`) to a path in the repository. */
  templates: z.record(templateName, z.string().min(1)).default({}),
  triage: triageSchema.prefault({}),
  routing: routingSchema.prefault({}),
  checks: checksSchema.prefault({}),
  agenda: agendaSchema.prefault({}),
}).superRefine(checkLabelsDistinct);

/** Each subteam needs its own label: two subteams on one label could not be told apart, nor from triage's. */
function checkLabelsDistinct(config: { labels: Record<string, string>; subteams: Record<string, { label: string }> }, ctx: z.RefinementCtx) {
  const owner = new Map(Object.entries(config.labels).map(([key, name]) => [name.toLowerCase(), `labels.${key}`]));
  for (const [key, team] of Object.entries(config.subteams)) {
    const taken = owner.get(team.label.toLowerCase());
    if (taken) ctx.addIssue({ code: 'custom', path: ['subteams', key, 'label'], message: `"${team.label}" is already the label of ${taken}` });
    else owner.set(team.label.toLowerCase(), `subteams.${key}`);
  }
}

export type NetbotConfig = z.infer<typeof configSchema>;

export interface ConfigProblem {
  /** Dotted key path, e.g. `subteams.l3.leads.0`. */
  path: string;
  message: string;
}

export type ConfigResult = { ok: true; config: NetbotConfig } | { ok: false; problems: ConfigProblem[] };

/** Validates a parsed config object (null or undefined: no file, all defaults). */
export function parseConfig(raw: unknown): ConfigResult {
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: '(root)', message: 'the file must be a YAML mapping of keys to values' }] };
  }
  const result = configSchema.safeParse(raw);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({
      path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
      message: describeIssue(issue),
    })),
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_key') return `bad key: ${issue.issues.map((i) => i.message).join('; ')}`;
  return issue.message;
}

export const DEFAULT_CONFIG: NetbotConfig = configSchema.parse({});
