import { TEST_REPO_ID as REPO_ID } from '../helpers/payloads.js';
import nock from 'nock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { markerFor } from '../../src/github/sticky-comment.js';
import { triageStoreFor } from '../../src/triage/store.js';
import { mockConfig, mockInstallationToken, expectAllMocksUsed } from '../helpers/probot.js';
import { api, EXISTING_LABELS, HARD_BODY, issuePayload, LHF_BODY, OWNER, R, REPO , createTriageBot, triageBotWithConfig, type TriageBot } from './support.js';

let bot: TriageBot;
const issue = { owner: OWNER, repo: REPO, issue_number: 1 };

beforeEach(async () => {
  bot = await triageBotWithConfig();
});
afterEach(expectAllMocksUsed);

const labelsListed = () => api().get(`${R}/labels`).query(true).reply(200, EXISTING_LABELS);

test('a low-hanging-fruit bug from a newcomer: one addLabels, one comment (reasons, start, mentor, claim, welcome)', async () => {
  labelsListed();
  api().post(`${R}/issues/1/labels`, { labels: ['area/l3', 'low-hanging-fruit'] }).reply(200, []);
  let comment = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((comment = b.body), true))
    .reply(201, { id: 77 });
  await bot.receive('issues', issuePayload('opened', { title: 'Typo in router interface message', body: LHF_BODY }));

  expect(comment.startsWith(markerFor('lhf'))).toBe(true);
  expect(comment).toContain('Welcome, `newbie`!');
  expect(comment).toContain('https://netbot.example.org/netbot/starter-bugs/Codertocat/Hello-World');
  expect(comment).toContain('the fix is to a message text');
  expect(comment).toContain('has clear steps to reproduce');
  expect(comment).toContain('`src/netcore/api/routers.ts`');
  expect(comment).toContain('L3: @carl-baldwin');
  expect(comment).toContain('comment `/claim`');
  expect(comment).toContain('netcore-dev@lists.example.org');
  const row = (await triageStoreFor(bot.services).get(REPO_ID, 1))!;
  expect(row).toMatchObject({ lhf: true, areas: ['l3'], author: 'newbie', state: 'open' });
});

test('a hard bug gets its area label and no comment; a bug with no clear area gets needs-triage', async () => {
  labelsListed();
  api().post(`${R}/issues/1/labels`, { labels: ['area/l3'] }).reply(200, []);
  await bot.receive('issues', issuePayload('opened', { title: 'Race on HA router failover', body: HARD_BODY, author_association: 'MEMBER' }));

  api().post(`${R}/issues/2/labels`, { labels: ['needs-triage'] }).reply(200, []);
  await bot.receive('issues', issuePayload('opened', { number: 2, title: 'Things are slow sometimes', body: 'No idea why.', author_association: 'MEMBER' }));
  expect((await triageStoreFor(bot.services).get(REPO_ID, 2))).toMatchObject({ lhf: false, areas: [] });
});

test('a first-timer whose bug is not low-hanging fruit gets the welcome alone, once per person', async () => {
  labelsListed();
  api().post(`${R}/issues/1/labels`).reply(200, []);
  let comment = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((comment = b.body), true))
    .reply(201, { id: 5 });
  await bot.receive('issues', issuePayload('opened', { title: 'Race on HA router failover', body: HARD_BODY, author_association: 'FIRST_TIMER' }));
  expect(comment.startsWith(markerFor('welcome'))).toBe(true);
  expect(comment).not.toContain('good first bug');

  api().post(`${R}/issues/3/labels`).reply(200, []);
  await bot.receive('issues', issuePayload('opened', { number: 3, title: 'Another HA router race', body: HARD_BODY, author_association: 'NONE' }));
});

test('a label a human removed is never put back on edit', async () => {
  labelsListed();
  api().post(`${R}/issues/1/labels`, { labels: ['area/l3', 'low-hanging-fruit'] }).reply(200, []);
  api().post(`${R}/issues/1/comments`).reply(201, { id: 9 });
  await bot.receive('issues', issuePayload('opened', { title: 'Typo in router interface message', body: LHF_BODY }));

  api().patch(`${R}/issues/comments/9`).reply(200, { id: 9 }); // the newcomers' comment says it no longer applies
  await bot.receive(
    'issues',
    issuePayload('unlabeled', { labels: [{ name: 'area/l3' }] }, (p) => ((p.label = { name: 'low-hanging-fruit' }), (p.sender.login = 'markmcclain'))),
  );
  expect((await bot.services.labels.isVetoed({ ...issue, repoId: REPO_ID }, 'low-hanging-fruit'))).toBe(true);
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))?.lhf).toBe(false);

  // Edited with the same text: area label present, LHF vetoed: no call at all.
  await bot.receive('issues', issuePayload('edited', { title: 'Typo in router interface message', body: `${LHF_BODY}\n`, labels: [{ name: 'area/l3' }] }));
});

test('pull requests, disabled triage and issues outside bugLabels are left alone', async () => {
  await bot.receive('issues', issuePayload('opened', { title: 'Typo', body: LHF_BODY, pull_request: { url: 'x' } }));
  nock.cleanAll();
  bot = await createTriageBot();
  mockInstallationToken();
  mockConfig(OWNER, REPO, 'triage:\n  enabled: false\n');
  await bot.receive('issues', issuePayload('opened', { title: 'Typo', body: LHF_BODY }));
  nock.cleanAll();
  bot = await createTriageBot();
  mockInstallationToken();
  mockConfig(OWNER, REPO, 'triage:\n  bugLabels: [bug]\n');
  // (A member: a first-timer's non-bug issue is still welcomed, see review.test.ts.)
  await bot.receive('issues', issuePayload('opened', { title: 'Typo', body: LHF_BODY, labels: [{ name: 'question' }], author_association: 'MEMBER' }));
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))).toMatchObject({ lhf: false, score: null });
});

test('hostile text never breaks the handler and is never echoed as markup or a ping', async () => {
  labelsListed();
  api().post(`${R}/issues/1/labels`).reply(200, []);
  const comments: string[] = [];
  api()
    .post(`${R}/issues/1/comments`, (b) => (comments.push(b.body), true))
    .reply(201, { id: 11 });
  const body = `<script>alert(1)</script> @netcore/core-team @everyone typo in the error message of \`src/netcore/api/@all.ts\`: should be easy\n${'<b>x</b>'.repeat(200_000)}`;
  await bot.receive('issues', issuePayload('opened', { title: '<img src=x onerror=alert(1)> @octocat', body, author_association: 'FIRST_TIMER' }));
  const all = comments.join('\n');
  expect(all).not.toMatch(/<script|<img|<b>/);
  expect(all).not.toMatch(/(?<![\w.-])@(?!\u200d)(?!carl-baldwin\b)[A-Za-z]/); // only the area lead is pinged
  expect(all).toContain('`src/netcore/api/@\u200dall.ts`');
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))?.title).toBe('<img src=x onerror=alert(1)> @octocat');
});

test('an empty body and a non-English report are handled quietly', async () => {
  labelsListed();
  api().post(`${R}/issues/1/labels`, { labels: ['needs-triage'] }).reply(200, []);
  await bot.receive('issues', issuePayload('opened', { title: 'Сеть не удаляется', body: null, author_association: 'MEMBER' }));
});

test('assignments by hand pin a claim; unassigning the claimer by hand releases it (records cost no GitHub call)', async () => {
  nock.cleanAll(); // no token, no config: any call would fail the delivery
  const store = triageStoreFor(bot.services);
  await bot.receive('issues', issuePayload('assigned', { labels: [{ name: 'low-hanging-fruit' }] }, (p) => ((p.assignee = { login: 'helper' }), (p.sender.login = 'markmcclain'))));
  expect((await store.get(REPO_ID, 1))).toMatchObject({ claimedBy: 'helper', claimPinned: true });
  await bot.receive('issues', issuePayload('unassigned', { labels: [{ name: 'low-hanging-fruit' }] }, (p) => ((p.assignee = { login: 'helper' }), (p.sender.login = 'markmcclain'))));
  expect((await store.get(REPO_ID, 1))).toMatchObject({ claimedBy: null, claimPinned: false });
});
