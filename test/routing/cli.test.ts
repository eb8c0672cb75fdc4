import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { formatLoad, loadReport, registerRoutingCli } from '../../src/routing/cli.js';
import { RoutingStore } from '../../src/routing/store.js';
import { createServices } from '../../src/services.js';

/** The repository the CLI is asked about, by name; the store knows it by GitHub's id. */
const repo = { repoId: 41, owner: 'netcore', repo: 'netcore' };
const other = { repoId: 42, owner: 'other', repo: 'repo' };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netbot-routing-cli-'));
  vi.stubEnv('DATABASE_URL', undefined); // else the CLI would read that PostgreSQL instead of this file
  vi.stubEnv('NETBOT_DB', join(dir, 'netbot.sqlite'));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

/** Seeds the store file the CLI will read, as the webhook handlers would have (the registry included). */
async function seed(): Promise<void> {
  const services = await createServices(process.env.NETBOT_DB!, { now: () => new Date(Date.now() - 3 * 86_400_000) });
  const store = new RoutingStore(services.store.db, services.now);
  await services.repos.remember(repo);
  await services.repos.remember(other);
  await store.requested(repo.repoId, 12, 'zzzeek', { byBot: true, subteams: ['db'] });
  await store.requested(repo.repoId, 14, 'zzzeek', { byBot: true, subteams: ['db', 'l3'] });
  await store.requested(repo.repoId, 14, 'amuller', { byBot: false });
  await store.requested(repo.repoId, 15, 'amuller', { byBot: false });
  await store.reviewed(repo.repoId, 15, 'amuller');
  await store.requested(other.repoId, 1, 'zzzeek', { byBot: true });
  await services.close();
}

async function netbot(...args: string[]): Promise<string> {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const program = new Command().exitOverride();
  registerRoutingCli(program);
  await program.parseAsync(['node', 'netbot', ...args]);
  return out.join('\n');
}

test('prints each reviewer of the repository with their open requests, busiest first; reviewed and other repos do not count', async () => {
  await seed();
  const out = await netbot('routing', '--load', 'netcore/netcore');
  expect(out.split('\n')).toEqual([
    'open review requests in netcore/netcore: 3 across 2 reviewers',
    'reviewer  open  pull requests (subteams, age)',
    'zzzeek       2  #12 (db, 3d), #14 (db+l3, 3d)',
    'amuller      1  #14 (by a person, 3d)',
  ]);
});

test('--json gives the same data as JSON', async () => {
  await seed();
  const report = JSON.parse(await netbot('routing', '--load', 'netcore/netcore', '--json'));
  expect(report.repo).toBe('netcore/netcore');
  expect(report.reviewers.map((r: { reviewer: string; open: { pr: number }[] }) => [r.reviewer, r.open.map((o) => o.pr)])).toEqual([
    ['zzzeek', [12, 14]],
    ['amuller', [14]],
  ]);
});

test('an empty store says so clearly; a bad repository argument is an error', async () => {
  expect(await netbot('routing', '--load', 'netcore/netcore')).toMatch(/^no open review requests recorded for netcore\/netcore/);
  await expect(netbot('routing', '--load', 'not-a-repo')).rejects.toThrow('expected owner/repo, got "not-a-repo"');
});

test('formatLoad and loadReport are usable without the CLI', async () => {
  const services = await createServices(':memory:');
  const store = new RoutingStore(services.store.db, () => new Date('2026-11-20T00:00:00Z'));
  await store.requested(repo.repoId, 3, 'baoli', { byBot: true, subteams: ['ipv6'] });
  const rows = await loadReport(store, repo.repoId, new Date('2026-11-25T12:00:00Z'));
  expect(rows).toEqual([{ reviewer: 'baoli', open: [{ pr: 3, subteams: ['ipv6'], requestedByBot: true, requestedAt: '2026-11-20T00:00:00.000Z', ageDays: 5 }] }]);
  expect(formatLoad('netcore/netcore', rows)).toContain('baoli        1  #3 (ipv6, 5d)');
  await services.close();
});

test('a default reviewer the bot asked (no subteam) is not reported as asked by a person', async () => {
  const services = await createServices(':memory:');
  const store = new RoutingStore(services.store.db, () => new Date('2026-11-25T00:00:00Z'));
  await store.requested(repo.repoId, 7, 'markmcclain', { byBot: true, subteams: [] });
  expect(formatLoad('netcore/netcore', await loadReport(store, repo.repoId, new Date('2026-11-25T12:00:00Z')))).toContain('markmcclain     1  #7 (default reviewer, 0d)');
  await services.close();
});
