import { parseConfig, type NetbotConfig } from '../../src/config.js';
import type { ChangedFile } from '../../src/routing/subteams.js';

/** A repository config with people in every subteam (the defaults have none). */
export const ROUTING_CONFIG = {
  maintainers: ['markmcclain'],
  subteams: {
    l3: {
      name: 'L3',
      label: 'area/l3',
      leads: ['carl-baldwin'],
      backups: ['amuller', 'kevinbenton'],
      paths: ['src/netcore/l3/**', 'src/netcore/api/routers*', 'src/netcore/api/floatingips*'],
      keywords: ['router', 'floating ip', 'floatingip', 'snat', 'external gateway'],
    },
    db: {
      name: 'DB',
      label: 'area/db',
      leads: ['zzzeek'],
      backups: ['ihrachys', 'annp'],
      paths: ['src/netcore/db/**', 'test/netcore/migrations/**'],
      keywords: ['migration', 'alembic', 'schema', 'deadlock', 'foreign key'],
    },
    lbaas: {
      name: 'LBaaS',
      label: 'area/lbaas',
      leads: ['dougwig'],
      backups: ['blogan'],
      paths: ['src/netcore/lbaas/**'],
      keywords: ['lbaas', 'load balancer', 'health monitor', 'haproxy'],
    },
    ipv6: {
      name: 'IPv6',
      label: 'area/ipv6',
      leads: ['sc68cal'],
      backups: ['baoli', 'xuhanp'],
      paths: ['src/netcore/ipam/ipv6*'],
      keywords: ['ipv6', 'slaac', 'dhcpv6', 'ipv6_ra_mode', 'ipv6_address_mode'],
    },
  },
  routing: { maxOpenReviews: 3, defaultReviewers: ['markmcclain', 'salv-orlando'] },
};

/** The config as the repository's .github/netbot.yml text (JSON is YAML). */
// The checks room answers the same pull request events (files, check runs, a job): these tests mock routing's calls only.
export const routingYaml = (overrides: Record<string, unknown> = {}) => JSON.stringify({ ...ROUTING_CONFIG, checks: { enabled: false }, ...overrides });

export function routingConfig(overrides: Record<string, unknown> = {}): NetbotConfig {
  const result = parseConfig(structuredClone({ ...ROUTING_CONFIG, ...overrides }));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

export const file = (filename: string, patch?: string, extra: Partial<ChangedFile> = {}): ChangedFile => ({
  filename,
  status: 'modified',
  ...(patch === undefined ? {} : { patch }),
  ...extra,
});

export const patchOf = (...lines: string[]) => `@@ -10,3 +10,${lines.length + 2} @@ def handler():\n context\n${lines.join('\n')}\n context`;

/** A generated pull request of `n` files across the tree, every one with a patch. */
export function bigPullRequest(n: number): ChangedFile[] {
  const dirs = ['src/netcore/api', 'src/netcore/plugins/acme', 'docs', 'src/netcore/segments', 'test/netcore', 'src/netcore/l3', 'src/netcore/db/migrations'];
  return Array.from({ length: n }, (_, i) =>
    file(`${dirs[i % dirs.length]}/module_${i}.ts`, patchOf(`+const value${i} = compute(${i});`, `-const value${i} = old(${i});`, `+// keeps the network ${i} in sync`)),
  );
}
