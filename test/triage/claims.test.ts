import { TEST_REPO_ID as REPO_ID } from '../helpers/payloads.js';
import nock from 'nock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { linkedIssueNumbers } from '../../src/triage/handlers.js';
import { triageStoreFor } from '../../src/triage/store.js';
import { examplePayload } from '../helpers/payloads.js';
import { mockConfig, mockInstallationToken, expectAllMocksUsed } from '../helpers/probot.js';
import { api, commentPayload, CONFIG_YAML, issuePayload, OWNER, prPayload, R, REPO, createTriageBot, triageBotWithConfig, type TriageBot } from './support.js';

// Claims against what happens around them: bugs deleted or moved, pull-request links, hand assignments, races.
let bot: TriageBot;
const issue = { owner: OWNER, repo: REPO, issue_number: 1 };

beforeEach(async () => {
  bot = await triageBotWithConfig();
});
afterEach(expectAllMocksUsed);

test('a deleted or transferred bug leaves the board and frees its claimer to claim another (records cost no GitHub call)', async () => {
  nock.cleanAll(); // no token, no config: any call would fail the delivery
  const store = triageStoreFor(bot.services);
  const lhf = (number: number) => ({ number, labels: [{ name: 'low-hanging-fruit' }], assignees: [{ login: 'newbie' }] });
  await bot.receive('issues', issuePayload('assigned', lhf(1), (p) => ((p.assignee = { login: 'newbie' }), (p.sender.login = 'markmcclain'))));
  expect((await store.openClaimsOf(REPO_ID, 'newbie'))).toHaveLength(1);
  await bot.receive('issues', issuePayload('deleted', lhf(1), (p) => (p.sender.login = 'markmcclain')));
  expect((await store.get(REPO_ID, 1))).toBeUndefined();
  expect((await store.openClaimsOf(REPO_ID, 'newbie'))).toEqual([]);

  await bot.receive('issues', issuePayload('assigned', lhf(2), (p) => ((p.assignee = { login: 'newbie' }), (p.sender.login = 'markmcclain'))));
  const home = examplePayload('issues', 'opened').repository; // the example transfer is from another repository
  await bot.receive('issues', issuePayload('transferred', lhf(2), (p) => ((p.sender.login = 'markmcclain'), (p.repository = home))));
  expect((await store.get(REPO_ID, 2))).toBeUndefined();
  expect((await store.openLhf(REPO_ID))).toEqual([]);
  expect((await store.openClaimsOf(REPO_ID, 'newbie'))).toEqual([]);
});

test('a pull request that links the bug only when edited keeps the claim; one closed unmerged stops protecting it', async () => {
  const store = triageStoreFor(bot.services);
  await bot.receive('pull_request', prPayload('opened', 7, 'Work in progress'));
  expect((await store.hasLinkedPullRequest(REPO_ID, 1))).toBe(false);
  await bot.receive('pull_request', prPayload('edited', 7, 'Fix the typo.\n\nCloses #1'));
  expect((await store.hasLinkedPullRequest(REPO_ID, 1))).toBe(true);
  // Abandoned: closed without merging. The claim must be able to go stale again.
  await bot.receive('pull_request', prPayload('closed', 7, 'Fix the typo.\n\nCloses #1'));
  expect((await store.hasLinkedPullRequest(REPO_ID, 1))).toBe(false);
  // Merged (into a branch that does not close the bug): still linked.
  await bot.receive('pull_request', prPayload('closed', 7, 'Closes #1', (p) => (p.pull_request.merged = true)));
  expect((await store.hasLinkedPullRequest(REPO_ID, 1))).toBe(true);
  await bot.receive('pull_request', prPayload('closed', 7, 'Closes #1'));
  expect((await store.hasLinkedPullRequest(REPO_ID, 1))).toBe(false);
  // Reopened: linked again.
  await bot.receive('pull_request', prPayload('reopened', 7, 'Fix the typo.\n\nCloses #1'));
  expect((await store.hasLinkedPullRequest(REPO_ID, 1))).toBe(true);
  // Edited to point at another bug: #1 is no longer linked.
  await bot.receive('pull_request', prPayload('edited', 7, 'Closes #2'));
  expect((await store.hasLinkedPullRequest(REPO_ID, 1))).toBe(false);
  expect((await store.hasLinkedPullRequest(REPO_ID, 2))).toBe(true);
});

test('being assigned an ordinary bug by hand does not use up a newcomer\'s starter-bug claim', async () => {
  await bot.receive('issues', issuePayload('assigned', { number: 5, labels: [{ name: 'bug' }], assignees: [{ login: 'newbie' }] }, (p) => ((p.assignee = { login: 'newbie' }), (p.sender.login = 'markmcclain'))));
  api().post(`${R}/issues/1/assignees`, { assignees: ['newbie'] }).reply(201, { assignees: [{ login: 'newbie' }] });
  let reply = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((reply = b.body), true))
    .reply(201, { id: 3 });
  await bot.receive('issue_comment', commentPayload('/claim'));
  expect(reply).toContain("it's yours");
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))?.claimedBy).toBe('newbie');
});

test('/claim that GitHub silently does not assign is not recorded as a claim, and the person is told', async () => {
  // GitHub answers 201 but ignores assignees it cannot assign (e.g. at its assignee limit).
  api().post(`${R}/issues/1/assignees`, { assignees: ['newbie'] }).reply(201, { number: 1, assignees: [] });
  let reply = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((reply = b.body), true))
    .reply(201, { id: 8 });
  await bot.receive('issue_comment', commentPayload('/claim'));
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))?.claimedBy).toBeNull();
  expect(reply).toContain('could not assign');
  expect(reply).not.toContain("it's yours");
});

test('with bugLabels: a bug a triager marked low-hanging fruit can be claimed even without a bug label (the board lists it)', async () => {
  nock.cleanAll();
  bot = await createTriageBot({ now: () => new Date('2026-11-25T12:00:00Z') });
  mockInstallationToken();
  mockConfig(OWNER, REPO, CONFIG_YAML.replace('triage:\n', 'triage:\n  bugLabels: [bug]\n'));
  api().post(`${R}/issues/1/assignees`, { assignees: ['newbie'] }).reply(201, { assignees: [{ login: 'newbie' }] });
  let reply = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((reply = b.body), true))
    .reply(201, { id: 9 });
  await bot.receive('issue_comment', commentPayload('/claim', { labels: ['low-hanging-fruit'] }));
  expect((await triageStoreFor(bot.services).openLhf(REPO_ID)).map((i) => i.number)).toEqual([1]);
  expect(reply).toContain("it's yours");
});

test('pull request descriptions link bugs with every form GitHub itself accepts (colon, upper case, this repository by name)', () => {
  nock.cleanAll(); // a pure function: no events
  expect(linkedIssueNumbers('Fixes: #12\nCLOSES #13\nResolves Codertocat/Hello-World#14\nRelated-Bug: #15', { owner: OWNER, repo: REPO })).toEqual([12, 13, 14, 15]);
  // Another repository's issue is not this repository's bug.
  expect(linkedIssueNumbers('Fixes other/repo#16', { owner: OWNER, repo: REPO })).toEqual([]);
});

test('two newcomers claiming the same bug at the same moment: one gets it, the other is told it is taken', async () => {
  api().post(`${R}/issues/1/assignees`).once().reply(201, (_uri, body: any) => ({ assignees: body.assignees.map((login: string) => ({ login })) }));
  const replies: string[] = [];
  api()
    .post(`${R}/issues/1/comments`, (b) => (replies.push(b.body), true))
    .times(2)
    .reply(201, { id: 12 });
  await Promise.all([bot.receive('issue_comment', commentPayload('/claim', { login: 'first-newbie' })), bot.receive('issue_comment', commentPayload('/claim', { login: 'second-newbie' }))]);
  expect(replies.filter((r) => r.includes("it's yours"))).toHaveLength(1);
  expect(replies.filter((r) => r.includes('is already working on this one'))).toHaveLength(1);
  const holder = (await triageStoreFor(bot.services).get(REPO_ID, 1))?.claimedBy;
  expect(replies.find((r) => r.includes("it's yours"))).toContain(`\`${holder}\``);
});

test('a /claim whose assignment GitHub refuses (422) leaves no claim behind and gets a polite reply; a 5xx is retried', async () => {
  api().post(`${R}/issues/1/assignees`).reply(422, { message: 'Validation Failed' });
  let reply = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((reply = b.body), true))
    .reply(201, { id: 13 });
  await bot.receive('issue_comment', commentPayload('/claim'));
  expect(reply).toContain('could not assign');
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))?.claimedBy).toBeNull();
  api().post(`${R}/issues/1/assignees`).reply(502, { message: 'Bad Gateway' });
  await expect(bot.receive('issue_comment', commentPayload('/claim'))).rejects.toThrow();
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))?.claimedBy).toBeNull();
  expect((await triageStoreFor(bot.services).openClaimsOf(REPO_ID, 'newbie'))).toEqual([]);
});

test('facts reported with a bot as sender still count (a stale bot closing an abandoned PR, another app unassigning), but a bot\'s assignment is no hand decision', async () => {
  const store = triageStoreFor(bot.services);
  const asBot = (p: any) => ((p.sender = { ...p.sender, login: 'stale[bot]', type: 'Bot' }), p);
  await bot.receive('pull_request', prPayload('opened', 7, 'Closes #1'));
  expect((await store.hasLinkedPullRequest(REPO_ID, 1))).toBe(true);
  await bot.receive('pull_request', asBot(prPayload('closed', 7, 'Closes #1')));
  expect((await store.hasLinkedPullRequest(REPO_ID, 1))).toBe(false);

  (await store.upsertIssue(REPO_ID, { number: 1, title: 'Bug', url: 'https://github.com/x/y/issues/1', author: 'x', state: 'open', areas: [], lhf: true, createdAt: '2026-11-01T00:00:00Z' }));
  (await store.claim(REPO_ID, 1, 'newbie'));
  // This app's own assignment (from /claim) comes back as an event: the claim stays unpinned, so it can go stale.
  await bot.receive('issues', asBot(issuePayload('assigned', { labels: [{ name: 'low-hanging-fruit' }] }, (p) => (p.assignee = { login: 'newbie' }))));
  expect((await store.get(REPO_ID, 1))).toMatchObject({ claimedBy: 'newbie', claimPinned: false });
  await bot.receive('issues', asBot(issuePayload('unassigned', { labels: [{ name: 'low-hanging-fruit' }] }, (p) => (p.assignee = { login: 'newbie' }))));
  expect((await store.get(REPO_ID, 1))?.claimedBy).toBeNull();
  nock.cleanAll(); // nothing here needs the config
});

test('a claimer a maintainer unassigned (or /unclaimed) cannot simply /claim the bug back; one who let go themselves can', async () => {
  const store = triageStoreFor(bot.services);
  (await store.upsertIssue(REPO_ID, { number: 1, title: 'Bug', url: 'https://github.com/x/y/issues/1', author: 'x', state: 'open', areas: [], lhf: true, createdAt: '2026-11-01T00:00:00Z' }));
  (await store.claim(REPO_ID, 1, 'newbie'));
  await bot.receive('issues', issuePayload('unassigned', { labels: [{ name: 'low-hanging-fruit' }] }, (p) => ((p.assignee = { login: 'newbie' }), (p.sender.login = 'markmcclain'))));
  expect((await store.get(REPO_ID, 1))?.claimedBy).toBeNull();
  let reply = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((reply = b.body), true))
    .reply(201, { id: 15 });
  await bot.receive('issue_comment', commentPayload('/claim'));
  expect(reply).toContain('`markmcclain` released your claim');
  expect((await store.get(REPO_ID, 1))?.claimedBy).toBeNull();

  // Someone else may claim it; and a person who unclaimed it themselves may claim it again.
  api().post(`${R}/issues/1/assignees`, { assignees: ['helper'] }).reply(201, { assignees: [{ login: 'helper' }] });
  api().post(`${R}/issues/1/comments`).reply(201, { id: 16 });
  await bot.receive('issue_comment', commentPayload('/claim', { login: 'helper' }));
  api().delete(`${R}/issues/1/assignees`, { assignees: ['helper'] }).reply(200, {});
  api().post(`${R}/issues/1/comments`).reply(201, { id: 17 });
  await bot.receive('issue_comment', commentPayload('/unclaim', { login: 'helper', assignees: ['helper'] }));
  api().post(`${R}/issues/1/assignees`, { assignees: ['helper'] }).reply(201, { assignees: [{ login: 'helper' }] });
  let again = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((again = b.body), true))
    .reply(201, { id: 18 });
  await bot.receive('issue_comment', commentPayload('/claim', { login: 'helper' }));
  expect(again).toContain("it's yours");
});
