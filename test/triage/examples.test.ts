// What people decide on GitHub becomes a labelled example for the repository's learned model: the starter label set
// or removed by a person, an area label, /lhf and /not-lhf, and a starter fixed by a newcomer's merged pull request.
// Real webhook payloads (@octokit/webhooks-examples), GitHub mocked with nock.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { examplePayload, TEST_REPO_ID as REPO_ID } from '../helpers/payloads.js';
import nock from 'nock';
import { expectAllMocksUsed, mockInstallationToken } from '../helpers/probot.js';
import { learningStoreFor } from '../../src/triage/learn/store.js';
import { triageStoreFor } from '../../src/triage/store.js';
import { api, commentPayload, EXISTING_LABELS, issuePayload, LHF_BODY, R, triageBotWithConfig, type TriageBot } from './support.js';

let bot: TriageBot;
beforeEach(async () => {
  bot = await triageBotWithConfig();
});
afterEach(expectAllMocksUsed);

const decisions = () => learningStoreFor(bot.services).decisions(REPO_ID);
const labelEvent = (action: 'labeled' | 'unlabeled', label: string, labels: string[], sender = 'triager-sam', type = 'User') =>
  issuePayload(action, { title: 'Typo in router error message', body: LHF_BODY, labels: labels.map((name) => ({ name })) }, (p) => {
    p.label = { ...p.label, name: label };
    p.sender = { ...p.sender, login: sender, type };
  });

test('a person setting the starter label is a starter example (once per delivery); removing it, a non-starter', async () => {
  await bot.receive('issues', labelEvent('labeled', 'low-hanging-fruit', ['low-hanging-fruit']), 'd-1');
  await bot.receive('issues', labelEvent('labeled', 'low-hanging-fruit', ['low-hanging-fruit']), 'd-1'); // redelivered
  let found = await decisions();
  expect(found.starter.map((e) => [e.number, e.starter, e.source, e.actor])).toEqual([[1, true, 'label-added', 'triager-sam']]);
  expect(found.starter[0]).toMatchObject({ title: 'Typo in router error message', body: LHF_BODY, labels: ['low-hanging-fruit'] });
  expect(await learningStoreFor(bot.services).examplesMark(REPO_ID)).toBe(1);

  // Later, a maintainer takes it off: the later decision wins, and the bug leaves the triagers' "maybe" list.
  await triageStoreFor(bot.services).upsertIssue(REPO_ID, { number: 1, title: 't', url: 'https://github.com/x/y/issues/1', author: 'a', state: 'open', areas: [], lhf: true, band: 'maybe', createdAt: '2026-11-01T00:00:00Z' });
  await bot.receive('issues', labelEvent('unlabeled', 'low-hanging-fruit', [], 'markmcclain'), 'd-2');
  found = await decisions();
  expect(found.starter.map((e) => [e.number, e.starter, e.source, e.actor])).toEqual([[1, false, 'label-removed', 'markmcclain']]);
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))?.band).toBe('no');
});

test("a bot's label change teaches nothing; an area label set by a person is an area example", async () => {
  await bot.receive('issues', labelEvent('labeled', 'low-hanging-fruit', ['low-hanging-fruit'], 'other-app[bot]', 'Bot'));
  await bot.receive('issues', labelEvent('labeled', 'area/l3', ['area/l3', 'bug'], 'triager-sam'));
  const found = await decisions();
  expect(found.starter).toEqual([]);
  expect(found.areas.map((e) => [e.number, e.areas, e.source])).toEqual([[1, ['l3'], 'area-labels']]);
});

test('/not-lhf is a non-starter example, said once however often the comment is delivered', async () => {
  api().delete(`${R}/issues/1/labels/low-hanging-fruit`).reply(200, []);
  const payload = commentPayload('/not-lhf', { login: 'markmcclain', id: 4242 });
  await bot.receive('issue_comment', payload, 'c-1');
  await bot.receive('issue_comment', payload, 'c-1');
  const found = await decisions();
  expect(found.starter.map((e) => [e.number, e.starter, e.source, e.actor])).toEqual([[1, false, 'command', 'markmcclain']]);
});

test('/lhf is a starter example', async () => {
  api().get(`${R}/labels`).query(true).reply(200, EXISTING_LABELS);
  api().post(`${R}/issues/1/labels`, { labels: ['low-hanging-fruit'] }).reply(200, []);
  api().get(`${R}/issues/1/comments`).query(true).reply(200, []);
  api().post(`${R}/issues/1/comments`).reply(201, { id: 77 });
  await bot.receive('issue_comment', commentPayload('/lhf', { login: 'triager-sam', labels: [] }));
  expect((await decisions()).starter.map((e) => [e.number, e.starter, e.source, e.actor])).toEqual([[1, true, 'command', 'triager-sam']]);
});

test("a starter bug fixed by a newcomer's merged pull request is a confirmed starter example", async () => {
  // Records only: no config call (they run on the last config that validated), one read of the fixed bug.
  nock.cleanAll();
  mockInstallationToken();
  await triageStoreFor(bot.services).upsertIssue(REPO_ID, { number: 1, title: 'Typo', url: 'https://github.com/x/y/issues/1', author: 'a', state: 'open', areas: [], lhf: true, createdAt: '2026-11-01T00:00:00Z' });
  api()
    .get(`${R}/issues/1`)
    .reply(200, { number: 1, title: 'Typo in router error message', body: LHF_BODY, labels: [{ name: 'low-hanging-fruit' }] });
  const merged = (association: string, number: number) =>
    examplePayload('pull_request', 'closed', () => true, (p) => {
      p.number = number;
      Object.assign(p.pull_request, { number, merged: true, merged_at: '2026-11-20T00:00:00Z', state: 'closed', body: 'Fix the typo.\n\nCloses #1', author_association: association });
      p.pull_request.user = { ...p.pull_request.user, login: 'newbie', type: 'User' };
    });
  await bot.receive('pull_request', merged('FIRST_TIME_CONTRIBUTOR', 5));
  await bot.receive('pull_request', merged('MEMBER', 6)); // a member's fix says nothing about a newcomer (no call either)
  const found = await decisions();
  expect(found.starter.map((e) => [e.number, e.starter, e.source, e.actor])).toEqual([[1, true, 'fixed-by-newcomer', 'newbie']]);
  expect(found.starter[0]!.body).toBe(LHF_BODY);
});
