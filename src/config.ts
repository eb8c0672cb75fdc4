import { existsSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import { agendaConfigSchema } from './agenda/config.js';
import { checksConfigSchema } from './checks/config.js';
import { color, labelName, logins } from './core/config-fields.js';
import { packageRoot } from './paths.js';
import { routingConfigSchema } from './routing/config.js';
import { triageConfigSchema } from './triage/config.js';

/**
 * The schema of `.github/netbot.yml`: the keys every room shares (people, labels, subteams, templates),
 * composed with each room's own section. Every key has a default, so a repository with no file works on
 * netcore's own layout. Unknown keys are errors (a typo must not silently disable a feature).
 */

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
    keywords: [
      'router', 'floating ip', 'floatingip', 'fip', 'snat', 'l3 agent', 'l3-agent', 'external gateway', 'gateway port', 'add_router_interface', 'extraroute',
      'bgp', 'nat gateway', 'natgateway', 'egress gateway', 'route table', 'routing table', 'static route', 'nexthop', 'next hop',
    ],
  },
  db: {
    name: 'DB (schema and migrations)',
    label: 'area/db',
    color: '5319e7',
    paths: ['src/netcore/db/**', 'test/netcore/migrations/**', 'src/core/store/**'],
    keywords: [
      'alembic', 'db schema', 'database schema', 'database', 'sqlite', 'deadlock', 'foreign key', 'db upgrade', 'transaction',
      'db migration', 'database migration', 'schema migration', 'migration script', 'mysql', 'mariadb', 'postgres', 'postgresql',
    ],
  },
  lbaas: {
    name: 'LBaaS (load balancing)',
    label: 'area/lbaas',
    color: 'fbca04',
    paths: ['src/netcore/lbaas/**', 'src/netcore/api/lb*', 'test/netcore/lbaas/**'],
    keywords: [
      'lbaas', 'load balancer', 'loadbalancer', 'load balancing', 'loadbalancing', 'lb', 'lb policy', 'maglev', 'vip', 'pool member', 'health monitor', 'haproxy', 'octavia', 'listener',
      'elb', 'alb', 'nlb', 'network load balancer', 'networkloadbalancer', 'applicationloadbalancer', 'target group',
    ],
  },
  ipv6: {
    name: 'IPv6',
    label: 'area/ipv6',
    color: 'c5def5',
    // IPv6's own code: its IPAM modules, conformance cases, migrations and tests (the globs match real files).
    paths: ['src/netcore/ipam/**/*v6*', 'src/netcore/conformance/cases/ipv6*', 'src/netcore/db/migrations/*ipv6*', 'test/netcore/ipv6*', 'test/netcore/ipv6/**'],
    keywords: [
      'ipv6', 'slaac', 'dhcpv6', 'eui-64', 'eui64', 'ra_mode', 'ipv6_ra_mode', 'ipv6_address_mode', 'router advertisement', 'radvd', 'prefix delegation',
      'dual stack', 'icmpv6', 'ip6tables', 'neighbor discovery', 'neighbor solicitation', 'neighbor advertisement', 'duplicate address detection',
    ],
  },
};

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
  // Each room owns its section.
  triage: triageConfigSchema.prefault({}),
  routing: routingConfigSchema.prefault({}),
  checks: checksConfigSchema.prefault({}),
  agenda: agendaConfigSchema.prefault({}),
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
