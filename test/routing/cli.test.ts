import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { formatLoad, loadReport, registerRoutingCommands } from '../../src/routing/cli.js';
import { RoutingStore } from '../../src/routing/store.js';
import { createServices } from '../../src/services.js';

const repo = { owner: 'netcore', repo: 'netcore' };
let dir: string;
let previousDb: string | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netbot-routing-cli-'));
  previousDb = process.env.NETBOT_DB;
  process.env.NETBOT_DB = join(dir, 'netbot.sqlite');
});
afterEach(() => {
  vi.restoreAllMocks();
  if (previousDb === undefined) delete process.env.NETBOT_DB;
  else process.env.NETBOT_DB = previousDb;
  rmSync(dir, { recursive: true, force: true });
});

/** Seeds the store file the CLI will read, as the webhook handlers would have. */
function seed(): void {
  const services = createServices(process.env.NETBOT_DB!, { now: () => new Date(Date.now() - 3 * 86_400_000) });
  const store = new RoutingStore(services.db, services.now);
  store.requested(repo, 12, 'zzzeek', { byBot: true, subteams: ['db'] });
  store.requested(repo, 14, 'zzzeek', { byBot: true, subteams: ['db', 'l3'] });
  store.requested(repo, 14, 'amuller', { byBot: false });
  store.requested(repo, 15, 'amuller', { byBot: false });
  store.reviewed(repo, 15, 'amuller');
  store.requested({ owner: 'other', repo: 'repo' }, 1, 'zzzeek', { byBot: true });
  services.db.close();
}

async function netbot(...args: string[]): Promise<string> {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const program = new Command().exitOverride();
  registerRoutingCommands(program);
  await program.parseAsync(['node', 'netbot', ...args]);
  return out.join('\n');
}

test('prints each reviewer of the repository with their open requests, busiest first; reviewed and other repos do not count', async () => {
  seed();
  const out = await netbot('routing', '--load', 'netcore/netcore');
  expect(out.split('\n')).toEqual([
    'open review requests in netcore/netcore: 3 across 2 reviewers',
    'reviewer  open  pull requests (subteams, age)',
    'zzzeek       2  #12 (db, 3d), #14 (db+l3, 3d)',
    'amuller      1  #14 (by a person, 3d)',
  ]);
});

test('--json gives the same data as JSON', async () => {
  seed();
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

test('formatLoad and loadReport are usable without the CLI', () => {
  const services = createServices(':memory:');
  const store = new RoutingStore(services.db, () => new Date('2026-11-20T00:00:00Z'));
  store.requested(repo, 3, 'baoli', { byBot: true, subteams: ['ipv6'] });
  const rows = loadReport(store, repo, new Date('2026-11-25T12:00:00Z'));
  expect(rows).toEqual([{ reviewer: 'baoli', open: [{ pr: 3, subteams: ['ipv6'], requestedByBot: true, requestedAt: '2026-11-20T00:00:00.000Z', ageDays: 5 }] }]);
  expect(formatLoad('netcore/netcore', rows)).toContain('baoli        1  #3 (ipv6, 5d)');
});

test('a default reviewer the bot asked (no subteam) is not reported as asked by a person', () => {
  const services = createServices(':memory:');
  const store = new RoutingStore(services.db, () => new Date('2026-11-25T00:00:00Z'));
  store.requested(repo, 7, 'markmcclain', { byBot: true, subteams: [] });
  expect(formatLoad('netcore/netcore', loadReport(store, repo, new Date('2026-11-25T12:00:00Z')))).toContain('markmcclain     1  #7 (default reviewer, 0d)');
});
