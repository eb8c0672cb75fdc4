import nock from 'nock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { markerFor } from '../src/github/sticky-comment.js';
import { routingStoreFor } from '../src/routing/store.js';
import { triageStoreFor } from '../src/triage/store.js';
import { examplePayload, TEST_REPO_ID } from './helpers/payloads.js';
import { createTestBot, mockConfig, mockInstallationToken, type TestBot, expectAllMocksUsed } from './helpers/probot.js';
import { file, patchOf, routingYaml } from './routing/fixtures.js';
import { commentPayload, issuePayload, labelsOf, LHF_BODY, OWNER, R, REPO } from './triage/support.js';

// The whole app, every feature loaded, on one newcomer's path: a starter bug is found, claimed, fixed by a
// pull request that is routed to the right lead, and reviewed. Each step makes exactly the calls listed.
const api = () => nock('https://api.github.com');
let bot: TestBot;

beforeEach(async () => {
  bot = await createTestBot({ now: () => new Date('2026-11-25T12:00:00Z') });
  mockInstallationToken();
  mockConfig(OWNER, REPO, routingYaml({ triage: { boardUrl: 'https://netbot.example.org' } }));
});
afterEach(expectAllMocksUsed);

function pullRequestOpened(number: number, body: string) {
  return examplePayload('pull_request', 'opened', () => true, (p) => {
    Object.assign(p.pull_request, { number, body, draft: false, comments: 0, labels: [], requested_reviewers: [], author_association: 'FIRST_TIME_CONTRIBUTOR' });
    p.pull_request.user = { ...p.pull_request.user, login: 'newbie', type: 'User' };
    p.number = number;
    p.sender = { ...p.sender, login: 'newbie', type: 'User' };
  });
}

test('bug found, claimed, fixed by a routed pull request, reviewed: every feature together, nothing done twice', async () => {
  // 1. A first-timer's starter bug: labels listed once per process, one addLabels, one comment with the welcome in it.
  api().get(`${R}/labels`).query(true).reply(200, labelsOf(['area/l3', 'area/db', 'area/lbaas', 'area/ipv6', 'low-hanging-fruit', 'needs-triage']));
  api().post(`${R}/issues/1/labels`, { labels: ['area/l3', 'low-hanging-fruit'] }).reply(200, []);
  let lhfComment = '';
  api().post(`${R}/issues/1/comments`, (b) => ((lhfComment = b.body), true)).reply(201, { id: 10 });
  await bot.receive('issues', issuePayload('opened', { number: 1, title: 'Typo in router interface message', body: LHF_BODY }));
  expect(lhfComment.startsWith(markerFor('lhf'))).toBe(true);
  expect(lhfComment).toContain('Welcome');
  expect(lhfComment).toContain('@carl-baldwin'); // the area lead is asked to mentor, once
  expect(lhfComment).toMatch(/^- L3: @carl-baldwin\n\n\*\*How to claim it/m); // a paragraph of its own, not folded into the list

  // 2. The newcomer claims it.
  api().post(`${R}/issues/1/assignees`, { assignees: ['newbie'] }).reply(201, {});
  api().post(`${R}/issues/1/comments`, (b) => b.body.includes("it's yours")).reply(201, { id: 11 });
  await bot.receive('issue_comment', commentPayload('/claim', { number: 1, labels: ['area/l3', 'low-hanging-fruit'] }));
  expect(await triageStoreFor(bot.services).get(TEST_REPO_ID, 1)).toMatchObject({ claimedBy: 'newbie', lhf: true });

  // 3. Their pull request: routed to the L3 lead (one files call, one request, one label, one comment);
  //    linked to the bug; no second welcome, since the issue already welcomed them.
  const opened = pullRequestOpened(2, 'Fix the typo.\n\nCloses #1');
  api().get(`${R}/pulls/2/files`).query({ per_page: 100 }).reply(200, [file('src/netcore/api/routers.ts', patchOf('+  return "Router interface added";'))]);
  api().post(`${R}/pulls/2/requested_reviewers`, { reviewers: ['carl-baldwin'] }).reply(201, {});
  api().post(`${R}/issues/2/labels`, { labels: ['area/l3'] }).reply(200, []);
  let routingComment = '';
  api().post(`${R}/issues/2/comments`, (b) => ((routingComment = b.body), true)).reply(201, { id: 12 });
  await bot.receive('pull_request', opened, 'pr-2-opened');
  expect(routingComment.startsWith(markerFor('routing'))).toBe(true);
  expect(routingComment).toContain('src/netcore/api/routers.ts');
  expect(routingComment).not.toContain('@carl-baldwin'); // the review request notifies; the comment does not ping again
  const routing = routingStoreFor(bot.services);
  expect(await routing.load(TEST_REPO_ID)).toEqual(new Map([['carl-baldwin', 1]]));
  expect(await triageStoreFor(bot.services).hasLinkedPullRequest(TEST_REPO_ID, 1)).toBe(true);

  // 4. GitHub redelivers the same webhook: no call at all (nock would fail on any).
  await bot.receive('pull_request', opened, 'pr-2-opened');

  // 5. The lead reviews: the slot is free again.
  const review = examplePayload('pull_request_review', 'submitted', () => true, (p) => {
    p.pull_request.number = 2;
    p.review.user = { ...p.review.user, login: 'carl-baldwin', type: 'User' };
    p.sender = { ...p.sender, login: 'carl-baldwin', type: 'User' };
  });
  await bot.receive('pull_request_review', review);
  expect((await routing.load(TEST_REPO_ID)).get('carl-baldwin') ?? 0).toBe(0);
});
