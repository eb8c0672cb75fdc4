import nock from 'nock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../src/config.js';
import { markerFor } from '../../src/github/sticky-comment.js';
import { createServices, type AppServices } from '../../src/services.js';
import { triageStoreFor, type TriageStore } from '../../src/triage/store.js';
import { claimVerdict, scheduleSweep, sweepStaleClaims } from '../../src/triage/sweep.js';
import { TestOctokit, expectAllMocksUsed, mockConfig } from '../helpers/probot.js';
import { api, OWNER, R, REPO } from './support.js';

const ref = { owner: OWNER, repo: REPO };
const DAY = 24 * 60 * 60 * 1000;
let clock: Date;
let services: AppServices;
let store: TriageStore;
const octokit = new TestOctokit({ auth: 'token' }) as any;
const installations: number[] = [];
const deps = () => ({ services, octokitFor: async (id: number) => (installations.push(id), octokit), now: () => clock });

/** The repository's config as the sweep reads it before writing (the same staleDays the store remembers). */
const configNow = (yaml = 'triage:\n  claims:\n    staleDays: 7\n') => mockConfig(OWNER, REPO, yaml);

/** Bugs 1 and 2, claimed by newbie and other a month ago; the config is read once by the sweep. */
function twoStaleClaims() {
  bug(1);
  bug(2);
  store.claim(ref, 1, 'newbie');
  store.claim(ref, 2, 'other');
  clock = new Date(clock.getTime() + 30 * DAY);
  configNow();
}

function bug(number: number) {
  store.upsertIssue(ref, { number, title: `Bug ${number}`, url: `https://github.com/${OWNER}/${REPO}/issues/${number}`, author: 'x', state: 'open', areas: [], lhf: true, createdAt: '2026-10-01T00:00:00Z' });
}

beforeEach(() => {
  nock.disableNetConnect();
  clock = new Date('2026-11-01T00:00:00Z');
  services = createServices(':memory:', { now: () => clock });
  store = triageStoreFor(services);
  const config = parseConfig({ triage: { claims: { staleDays: 7 } } });
  if (!config.ok) throw new Error('config');
  store.rememberRepo(ref, 42, config.config);
  installations.length = 0;
});
afterEach(expectAllMocksUsed);

test('verdict: pinned and linked claims are kept; activity restarts the clock', () => {
  bug(1);
  store.claim(ref, 1, 'newbie');
  const claim = store.get(ref, 1)!;
  const at = (days: number) => new Date(clock.getTime() + days * DAY);
  expect(claimVerdict(claim, false, 7, at(6))).toEqual({ stale: false, why: 'active 6 day(s) ago' });
  expect(claimVerdict(claim, false, 7, at(7))).toEqual({ stale: true, idleDays: 7 });
  expect(claimVerdict(claim, true, 7, at(30))).toEqual({ stale: false, why: 'a pull request links it' });
  expect(claimVerdict({ ...claim, claimPinned: true }, false, 7, at(30))).toEqual({ stale: false, why: 'assigned by hand' });
  expect(claimVerdict({ ...claim, lastActivityAt: at(5).toISOString() }, false, 7, at(8))).toEqual({ stale: false, why: 'active 3 day(s) ago' });
});

test('a stale claim is released on GitHub with a friendly note; fresh, linked and pinned ones are kept', async () => {
  for (const n of [1, 2, 3, 4]) bug(n);
  store.claim(ref, 1, 'newbie'); // stale
  store.claim(ref, 2, 'other'); // linked to a PR
  store.linkPullRequest(ref, 2, 10, 'other');
  store.claim(ref, 3, 'helper', { pinned: true });
  clock = new Date(clock.getTime() + 6 * DAY);
  store.claim(ref, 4, 'late'); // claimed later: not stale yet
  clock = new Date(clock.getTime() + 2 * DAY);

  configNow();
  api().get(`${R}/issues/1`).reply(200, { number: 1, state: 'open', assignees: [{ login: 'newbie' }] });
  api().delete(`${R}/issues/1/assignees`, { assignees: ['newbie'] }).reply(200, {});
  let note = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((note = b.body), true))
    .reply(201, { id: 1 });
  const outcomes = await sweepStaleClaims(deps());
  expect(outcomes.map((o) => [o.number, o.action])).toEqual([
    [1, 'released'],
    [2, 'kept'],
    [3, 'kept'],
    [4, 'kept'],
  ]);
  expect(installations).toEqual([42]);
  expect(note.startsWith(markerFor('released-newbie-2026-11-01T00:00:00.000Z'))).toBe(true);
  expect(note).toContain('Hi `newbie`, this bug has had no linked pull request and no activity for 7 days');
  expect(store.get(ref, 1)?.claimedBy).toBeNull();
  // Running again does nothing more.
  expect((await sweepStaleClaims(deps())).filter((o) => o.action === 'released')).toEqual([]);
});

test('a claim closed or unassigned on GitHub meanwhile is cleared without a note; a failure is reported, not thrown', async () => {
  twoStaleClaims();
  api().get(`${R}/issues/1`).reply(200, { number: 1, state: 'open', assignees: [{ login: 'someone-else' }] });
  api().get(`${R}/issues/2`).reply(500, { message: 'boom' });
  const outcomes = await sweepStaleClaims(deps());
  expect(outcomes.map((o) => [o.number, o.action])).toEqual([
    [1, 'cleared'],
    [2, 'failed'],
  ]);
  expect(store.get(ref, 2)?.claimedBy).toBe('other');
});

test('the schedule does not keep the process alive and can be stopped', () => {
  const job = scheduleSweep(deps());
  expect(job.isRunning()).toBe(true);
  expect(job.nextRun()).toBeInstanceOf(Date);
  job.stop();
  expect(job.isRunning()).toBe(false);
  expect(DEFAULT_CONFIG.triage.claims.staleDays).toBe(14);
});

test('a claim on a bug deleted on GitHub (404 or 410) is forgotten, not retried every hour forever', async () => {
  twoStaleClaims();
  api().get(`${R}/issues/1`).reply(410, { message: 'This issue was deleted' });
  api().get(`${R}/issues/2`).reply(404, { message: 'Not Found' });
  const outcomes = await sweepStaleClaims(deps());
  expect(outcomes.map((o) => [o.number, o.action])).toEqual([
    [1, 'cleared'],
    [2, 'cleared'],
  ]);
  expect(store.openClaimsOf(ref, 'newbie')).toEqual([]);
  expect(store.openLhf(ref)).toEqual([]);
});

test('a claimed bug the sweep finds closed on GitHub also leaves the board', async () => {
  bug(1);
  store.claim(ref, 1, 'newbie');
  clock = new Date(clock.getTime() + 30 * DAY);
  configNow();
  api().get(`${R}/issues/1`).reply(200, { number: 1, state: 'closed', assignees: [{ login: 'newbie' }] });
  expect((await sweepStaleClaims(deps())).map((o) => o.action)).toEqual(['cleared']);
  expect(store.get(ref, 1)).toMatchObject({ state: 'closed', claimedBy: null });
  expect(store.openLhf(ref)).toEqual([]);
});

describe('the config as it is at sweep time decides, not the one remembered', () => {
  const staleClaim = () => {
    bug(1);
    store.claim(ref, 1, 'newbie');
    clock = new Date(clock.getTime() + 8 * DAY);
  };
  test('an invalid config now: netbot is paused there, nothing is written', async () => {
    staleClaim();
    configNow('triage: [not, a, mapping]\n');
    expect((await sweepStaleClaims(deps())).map((o) => [o.number, o.action])).toEqual([[1, 'skipped']]);
    expect(store.get(ref, 1)?.claimedBy).toBe('newbie');
  });
  test('triage turned off since: nothing is written', async () => {
    staleClaim();
    configNow('triage:\n  enabled: false\n');
    expect((await sweepStaleClaims(deps())).map((o) => [o.number, o.action, o.why])).toEqual([[1, 'skipped', 'triage disabled']]);
  });
  test('staleDays lengthened since: the claim is kept', async () => {
    staleClaim();
    configNow('triage:\n  claims:\n    staleDays: 30\n');
    expect((await sweepStaleClaims(deps())).map((o) => [o.number, o.action])).toEqual([[1, 'kept']]);
    expect(store.get(ref, 1)?.claimedBy).toBe('newbie');
  });
});
