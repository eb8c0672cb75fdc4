import nock from 'nock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { markerFor } from '../../src/github/sticky-comment.js';
import { createServices, type AppServices } from '../../src/services.js';
import { triageStoreFor, type TriageStore } from '../../src/triage/store.js';
import { claimVerdict, registerSweep, SWEEP_CRON, SWEEP_JOB, SWEEP_REPO_JOB } from '../../src/triage/sweep.js';
import { TEST_INSTALLATION_ID, TEST_REPO_ID } from '../helpers/payloads.js';
import { TestOctokit, expectAllMocksUsed, mockConfig } from '../helpers/probot.js';
import { api, OWNER, R, REPO } from './support.js';

const REPO_ID = TEST_REPO_ID;
const DAY = 24 * 60 * 60 * 1000;
let clock: Date;
let services: AppServices;
let store: TriageStore;
const octokit = new TestOctokit({ auth: 'token' }) as any;
const installations: number[] = [];

/** The repository's config as the sweep reads it before writing. */
const configNow = (yaml = 'triage:\n  claims:\n    staleDays: 7\n') => mockConfig(OWNER, REPO, yaml);

function bug(number: number) {
  return store.upsertIssue(REPO_ID, { number, title: `Bug ${number}`, url: `https://github.com/${OWNER}/${REPO}/issues/${number}`, author: 'x', state: 'open', areas: [], lhf: true, createdAt: '2026-10-01T00:00:00Z' });
}

/** Bugs 1 and 2, claimed by newbie and other a month ago; the config is read once by the sweep. */
async function twoStaleClaims() {
  await bug(1);
  await bug(2);
  await store.claim(REPO_ID, 1, 'newbie');
  await store.claim(REPO_ID, 2, 'other');
  clock = new Date(clock.getTime() + 30 * DAY);
  configNow();
}

let occurrences = 0;
/** One occurrence of the hourly sweep, run to its end: the fan-out job, then each repository's job. */
async function sweep() {
  await services.runner.enqueue(SWEEP_JOB, { scheduledAt: `occurrence-${++occurrences}` }, { key: `test-sweep-${occurrences}` });
  await services.runner.drain();
}

beforeEach(async () => {
  nock.disableNetConnect();
  clock = new Date('2026-11-01T00:00:00Z');
  services = await createServices(':memory:', { now: () => clock });
  services.octokitFor = async (id) => (installations.push(id), octokit);
  registerSweep(services);
  store = triageStoreFor(services);
  await services.repos.remember({ repoId: REPO_ID, owner: OWNER, repo: REPO, installationId: TEST_INSTALLATION_ID, isPrivate: false });
  installations.length = 0;
});
afterEach(async () => {
  expectAllMocksUsed();
  await services.close();
});

test('verdict: pinned and linked claims are kept; activity restarts the clock', async () => {
  await bug(1);
  await store.claim(REPO_ID, 1, 'newbie');
  const claim = (await store.get(REPO_ID, 1))!;
  const at = (days: number) => new Date(clock.getTime() + days * DAY);
  expect(claimVerdict(claim, false, 7, at(6))).toEqual({ stale: false, why: 'active 6 day(s) ago' });
  expect(claimVerdict(claim, false, 7, at(7))).toEqual({ stale: true, idleDays: 7 });
  expect(claimVerdict(claim, true, 7, at(30))).toEqual({ stale: false, why: 'a pull request links it' });
  expect(claimVerdict({ ...claim, claimPinned: true }, false, 7, at(30))).toEqual({ stale: false, why: 'assigned by hand' });
  expect(claimVerdict({ ...claim, lastActivityAt: at(5).toISOString() }, false, 7, at(8))).toEqual({ stale: false, why: 'active 3 day(s) ago' });
});

test('a stale claim is released on GitHub with a friendly note; fresh, linked and pinned ones are kept', async () => {
  for (const n of [1, 2, 3, 4]) await bug(n);
  await store.claim(REPO_ID, 1, 'newbie'); // stale
  await store.claim(REPO_ID, 2, 'other'); // linked to a PR
  await store.setPullRequestLinks(REPO_ID, 10, 'other', [2]);
  await store.claim(REPO_ID, 3, 'helper', { pinned: true });
  clock = new Date(clock.getTime() + 6 * DAY);
  await store.claim(REPO_ID, 4, 'late'); // claimed later: not stale yet
  clock = new Date(clock.getTime() + 2 * DAY);

  configNow();
  api().get(`${R}/issues/1`).reply(200, { number: 1, state: 'open', assignees: [{ login: 'newbie' }] });
  api().delete(`${R}/issues/1/assignees`, { assignees: ['newbie'] }).reply(200, {});
  let note = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((note = b.body), true))
    .reply(201, { id: 1 });
  await sweep();
  expect(installations).toEqual([TEST_INSTALLATION_ID]);
  expect(note.startsWith(markerFor('released-newbie-2026-11-01T00:00:00.000Z'))).toBe(true);
  expect(note).toContain('Hi `newbie`, this bug has had no linked pull request and no activity for 7 days');
  expect((await store.openClaims(REPO_ID)).map((c) => [c.number, c.claimedBy])).toEqual([
    [2, 'other'],
    [3, 'helper'],
    [4, 'late'],
  ]);
  // The next occurrence does nothing more (only the config is read again).
  configNow();
  await sweep();
  expect(await services.jobs.counts(SWEEP_REPO_JOB)).toMatchObject({ done: 2, failed: 0, queued: 0 });
});

test('a claim closed or unassigned on GitHub meanwhile is cleared without a note; a failure on one claim stops none of the others', async () => {
  await twoStaleClaims();
  api().get(`${R}/issues/1`).reply(200, { number: 1, state: 'open', assignees: [{ login: 'someone-else' }] });
  api().get(`${R}/issues/2`).reply(500, { message: 'boom' });
  await sweep();
  expect((await store.get(REPO_ID, 1))?.claimedBy).toBeNull();
  expect((await store.get(REPO_ID, 2))?.claimedBy).toBe('other');
});

test('the sweep is scheduled hourly; a first start runs nothing for the past, the next occurrence runs once', async () => {
  expect(SWEEP_CRON).toBe('17 * * * *');
  await twoStaleClaims(); // clock: 2026-12-01T00:00
  nock.cleanAll();
  expect(await services.runner.tick(clock)).toEqual([]); // first sight: starts from now
  clock = new Date('2026-12-01T00:20:00Z');
  expect(await services.runner.tick(clock)).toEqual(['triage.sweep@2026-12-01T00:17:00.000Z']);
  expect(await services.runner.tick(clock)).toEqual([]); // the same occurrence is not enqueued twice
  expect(DEFAULT_CONFIG.triage.claims.staleDays).toBe(14);
});

test('a claim on a bug deleted on GitHub (404 or 410) is forgotten, not retried every hour forever', async () => {
  await twoStaleClaims();
  api().get(`${R}/issues/1`).reply(410, { message: 'This issue was deleted' });
  api().get(`${R}/issues/2`).reply(404, { message: 'Not Found' });
  await sweep();
  expect(await store.openClaimsOf(REPO_ID, 'newbie')).toEqual([]);
  expect(await store.openLhf(REPO_ID)).toEqual([]);
});

test('a claimed bug the sweep finds closed on GitHub also leaves the board', async () => {
  await bug(1);
  await store.claim(REPO_ID, 1, 'newbie');
  clock = new Date(clock.getTime() + 30 * DAY);
  configNow();
  api().get(`${R}/issues/1`).reply(200, { number: 1, state: 'closed', assignees: [{ login: 'newbie' }] });
  await sweep();
  expect(await store.get(REPO_ID, 1)).toMatchObject({ state: 'closed', claimedBy: null });
  expect(await store.openLhf(REPO_ID)).toEqual([]);
});

describe('the config as it is at sweep time decides, not the one remembered', () => {
  const staleClaim = async () => {
    await bug(1);
    await store.claim(REPO_ID, 1, 'newbie');
    clock = new Date(clock.getTime() + 8 * DAY);
  };
  test('an invalid config now: netbot is paused there, nothing is written', async () => {
    await staleClaim();
    configNow('triage: [not, a, mapping]\n');
    await sweep();
    expect((await store.get(REPO_ID, 1))?.claimedBy).toBe('newbie');
    expect(await services.jobs.counts(SWEEP_REPO_JOB)).toMatchObject({ done: 1, failed: 0 }); // skipped, not failed
  });
  test('triage turned off since: nothing is written', async () => {
    await staleClaim();
    configNow('triage:\n  enabled: false\n');
    await sweep();
    expect((await store.get(REPO_ID, 1))?.claimedBy).toBe('newbie');
  });
  test('staleDays lengthened since: the claim is kept', async () => {
    await staleClaim();
    configNow('triage:\n  claims:\n    staleDays: 30\n');
    await sweep();
    expect((await store.get(REPO_ID, 1))?.claimedBy).toBe('newbie');
  });
});

test('a repository with no installation known is skipped, not failed', async () => {
  await services.repos.remember({ repoId: 99, owner: 'elsewhere', repo: 'repo' });
  await store.upsertIssue(99, { number: 5, title: 'x', url: 'https://github.com/elsewhere/repo/issues/5', author: 'x', state: 'open', areas: [], lhf: true, createdAt: '2026-10-01T00:00:00Z' });
  await store.claim(99, 5, 'newbie');
  clock = new Date(clock.getTime() + 30 * DAY);
  await sweep();
  expect(installations).toEqual([]);
  expect(await services.jobs.counts(SWEEP_REPO_JOB)).toMatchObject({ done: 1, failed: 0 });
});
