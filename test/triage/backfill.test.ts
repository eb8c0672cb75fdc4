import { Command } from 'commander';
import nock from 'nock';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createServices } from '../../src/services.js';
import { registerTriageCli } from '../../src/triage/cli.js';
import { learningStoreFor } from '../../src/triage/learn/store.js';
import { triageStoreFor } from '../../src/triage/store.js';
import { BUGS } from './fixtures/bugs.js';

const REPO_ID = 9;
/** What GET /repos/netcore/netcore answers: the repository id the store keys by. */
const repoData = (extra: Record<string, unknown>) => ({ id: REPO_ID, name: 'netcore', owner: { login: 'netcore' }, private: false, html_url: 'https://github.com/netcore/netcore', ...extra });
const saved = { db: process.env.NETBOT_DB, token: process.env.GITHUB_TOKEN };
let dir: string;

beforeEach(() => {
  nock.disableNetConnect();
  dir = mkdtempSync(join(tmpdir(), 'netbot-triage-cli-'));
  process.env.NETBOT_DB = join(dir, 'netbot.sqlite');
  process.env.GITHUB_TOKEN = 'cli-token';
});
afterEach(() => {
  vi.restoreAllMocks();
  const pending = nock.pendingMocks();
  nock.cleanAll();
  for (const [key, value] of [['NETBOT_DB', saved.db], ['GITHUB_TOKEN', saved.token]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(dir, { recursive: true, force: true });
  expect(pending).toEqual([]);
});

const issue = (number: number, title: string, body: string | null, extra: Record<string, unknown> = {}) => ({
  number,
  title,
  body,
  html_url: `https://github.com/netcore/netcore/issues/${number}`,
  created_at: '2026-11-01T00:00:00Z',
  user: { login: 'reporter' },
  labels: [],
  assignees: [],
  ...extra,
});

async function netbot(...args: string[]): Promise<string> {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const program = new Command().exitOverride();
  registerTriageCli(program);
  await program.parseAsync(['node', 'netbot', ...args]);
  return out.join('\n');
}

test('--backfill reads every page of open issues, classifies them into the store and writes nothing to GitHub', async () => {
  const api = nock('https://api.github.com', { reqheaders: { authorization: 'token cli-token' } });
  api.get('/repos/netcore/netcore').reply(200, repoData({ open_issues_count: 4 }));
  api
    .get('/repos/netcore/netcore/issues')
    .query({ state: 'open', per_page: 100 })
    .reply(200, [issue(1, BUGS[0]!.title, BUGS[0]!.body), issue(2, 'A pull request', '', { pull_request: { url: 'x' } })], {
      link: '<https://api.github.com/repositories/9/issues?state=open&per_page=100&page=2>; rel="next"',
    });
  api
    .get('/repositories/9/issues')
    .query({ state: 'open', per_page: 100, page: 2 })
    .reply(200, [
      issue(3, BUGS[15]!.title, BUGS[15]!.body),
      issue(4, 'Things', null, { labels: [{ name: 'low-hanging-fruit' }, { name: 'area/lbaas' }], assignees: [{ login: 'helper' }] }),
    ]);
  // The history: closed issues, newest first, read as labelled examples (with care: a duplicate teaches nothing).
  api
    .get('/repos/netcore/netcore/issues')
    .query({ state: 'closed', sort: 'updated', direction: 'desc', per_page: 100 })
    .reply(200, [
      issue(10, BUGS[1]!.title, BUGS[1]!.body, { state: 'closed', state_reason: 'completed', labels: [{ name: 'low-hanging-fruit' }, { name: 'area/l3' }] }),
      issue(11, BUGS[20]!.title, BUGS[20]!.body, { state: 'closed', state_reason: 'completed', labels: [{ name: 'bug' }] }),
      issue(12, 'Duplicate of #10', 'dup', { state: 'closed', state_reason: 'not_planned', labels: [] }),
      issue(13, 'A closed pull request', '', { state: 'closed', pull_request: { url: 'x' } }),
    ]);
  const out = await netbot('triage', '--backfill', 'netcore/netcore');
  expect(out).toContain('3 open bugs (1 low-hanging fruit, 1 assigned) out of 4 open issues and pull requests');
  expect(out).toContain('1 more scores as low-hanging fruit but is not labelled (#1): a triager can /lhf it');
  expect(out).toContain('Nothing was written to GitHub.');
  // Open #4 (labelled) and closed #10 are starters; closed #11 is not; the duplicate and the pull request are left out.
  expect(out).toContain('Examples for the learned model (3 closed issues read): 2 starters, 1 not, 2 with an area label');

  const services = await createServices(process.env.NETBOT_DB!);
  const decisions = await learningStoreFor(services).decisions(REPO_ID);
  expect(decisions.starter.map((e) => [e.number, e.starter, e.source]).sort()).toEqual([[10, true, 'backfill'], [11, false, 'backfill'], [4, true, 'backfill']].sort());
  expect(decisions.areas.map((e) => [e.number, e.areas]).sort()).toEqual([[10, ['l3']], [4, ['lbaas']]].sort());
  expect(decisions.starter.find((e) => e.number === 10)).toMatchObject({ title: BUGS[1]!.title, body: BUGS[1]!.body });
  const store = triageStoreFor(services);
  // The board shows what GitHub shows (the label), as the webhooks keep it: a newcomer's /claim on an
  // unlabelled bug would be refused, and the next webhook would take it off the board anyway.
  expect((await store.openLhf(REPO_ID)).map((i) => [i.number, i.areas, i.claimedBy])).toEqual([[4, ['lbaas'], 'helper']]);
  expect((await store.get(REPO_ID, 1))).toMatchObject({ lhf: false, score: expect.any(Number) });
  expect((await store.get(REPO_ID, 3))).toMatchObject({ lhf: false, areas: [] });
  expect((await store.get(REPO_ID, 2))).toBeUndefined();
  await services.close();
});

test('--backfill marks bugs the store still had open but GitHub no longer lists as closed', async () => {
  const before = await createServices(process.env.NETBOT_DB!);
  const stale = triageStoreFor(before);
  await stale.upsertIssue(REPO_ID, { number: 9, title: 'Closed while netbot was down', url: 'https://github.com/netcore/netcore/issues/9', author: 'x', state: 'open', areas: [], lhf: true, createdAt: '2026-01-01T00:00:00Z' });
  await stale.claim(REPO_ID, 9, 'newbie');
  await stale.upsertIssue(REPO_ID, { number: 4, title: 'Things', url: 'https://github.com/netcore/netcore/issues/4', author: 'x', state: 'open', areas: [], lhf: true, createdAt: '2026-01-01T00:00:00Z' });
  await stale.claim(REPO_ID, 4, 'gone-quiet'); // unassigned on GitHub while netbot was down
  await before.close();
  const api = nock('https://api.github.com');
  api.get('/repos/netcore/netcore').reply(200, repoData({ open_issues_count: 1 }));
  api.get('/repos/netcore/netcore/issues').query(true).reply(200, [issue(4, 'Things', null, { labels: [{ name: 'low-hanging-fruit' }] })]);
  await netbot('triage', '--backfill', 'netcore/netcore', '--history', '0');
  const services = await createServices(process.env.NETBOT_DB!);
  const store = triageStoreFor(services);
  expect((await store.openLhf(REPO_ID)).map((i) => i.number)).toEqual([4]);
  expect((await store.get(REPO_ID, 9))?.state).toBe('closed');
  expect((await store.openClaimsOf(REPO_ID, 'newbie'))).toEqual([]);
  expect((await store.get(REPO_ID, 4))?.claimedBy).toBeNull();
  await services.close();
});

test('--learn refits from the examples in the store (no GitHub call) and says when the built-in score stays in charge', async () => {
  await expect(netbot('triage', '--learn', 'netcore/netcore')).rejects.toThrow('netbot has not seen netcore/netcore');
  const services = await createServices(process.env.NETBOT_DB!);
  await services.repos.remember({ owner: 'netcore', repo: 'netcore', repoId: REPO_ID, isPrivate: false });
  const store = learningStoreFor(services);
  for (let n = 1; n <= 40; n++) {
    const bug = BUGS[n % BUGS.length]!;
    await store.addExample({ repoId: REPO_ID, number: n, eventKey: `t:${n}`, title: bug.title, body: bug.body ?? '', labels: [], starter: bug.lhf, source: 'command', actor: 't', at: new Date(n) });
  }
  await services.close();
  const few = await netbot('triage', '--learn', 'netcore/netcore');
  expect(few).toMatch(/netcore\/netcore starter model: too few examples \(\d+ starters and \d+ others; 30 of each needed\): the built-in score stays in charge\./);
  expect(few).toContain('netcore/netcore area l3: too few examples');
});

test('a bad repository argument is refused before any call', async () => {
  await expect(netbot('triage', '--backfill', 'not a repo')).rejects.toThrow('expected owner/repo');
  await expect(netbot('triage')).rejects.toThrow('give one of --backfill owner/repo or --learn owner/repo');
});
