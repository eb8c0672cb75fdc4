import { TEST_REPO_ID as REPO_ID } from '../helpers/payloads.js';
import nock from 'nock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { markerFor } from '../../src/github/sticky-comment.js';
import { examplePayload } from '../helpers/payloads.js';
import { triageStoreFor } from '../../src/triage/store.js';
import { expectAllMocksUsed } from '../helpers/probot.js';
import { api, commentPayload, EXISTING_LABELS, issuePayload, OWNER, R, REPO, triageBotWithConfig, type TriageBot } from './support.js';

let bot: TriageBot;
const issue = { owner: OWNER, repo: REPO, issue_number: 1 };

beforeEach(async () => {
  bot = await triageBotWithConfig();
});
afterEach(expectAllMocksUsed);

/** Expects one reply comment and returns its body. */
function expectReply(): { body: string } {
  const seen = { body: '' };
  api()
    .post(`${R}/issues/1/comments`, (b) => ((seen.body = b.body), true))
    .reply(201, { id: Math.floor(Math.random() * 1e6) });
  return seen;
}

test('/lhf from someone without write access gets a short polite reply and changes nothing', async () => {
  api().get(`${R}/collaborators/newbie/permission`).reply(200, { permission: 'read', role_name: 'read' });
  const reply = expectReply();
  await bot.receive('issue_comment', commentPayload('/lhf', { labels: [] }));
  expect(reply.body).toContain('`/lhf` is for maintainers and triagers');
  expect(reply.body).toContain('`newbie`');
});

test('/lhf from a listed triager clears a veto, labels, and posts the newcomers comment', async () => {
  (await bot.services.labels.recordVeto({ ...issue, repoId: REPO_ID }, 'low-hanging-fruit', 'someone'));
  api().get(`${R}/labels`).query(true).reply(200, EXISTING_LABELS);
  api().post(`${R}/issues/1/labels`, { labels: ['low-hanging-fruit'] }).reply(200, []);
  api().get(`${R}/issues/1/comments`).query(true).reply(200, []);
  const comment = expectReply();
  await bot.receive('issue_comment', commentPayload('Looks easy.\n/lhf', { login: 'triager-sam', labels: [] }));
  expect(comment.body.startsWith(markerFor('lhf'))).toBe(true);
  expect(comment.body).toContain('A triager (`triager-sam`) marked it');
  expect((await bot.services.labels.isVetoed({ ...issue, repoId: REPO_ID }, 'low-hanging-fruit'))).toBe(false);
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))?.lhf).toBe(true);
});

test('/not-lhf from a maintainer removes the label and the bot never puts it back', async () => {
  api().delete(`${R}/issues/1/labels/low-hanging-fruit`).reply(200, []);
  await bot.receive('issue_comment', commentPayload('/not-lhf', { login: 'markmcclain' }));
  expect((await bot.services.labels.isVetoed({ ...issue, repoId: REPO_ID }, 'low-hanging-fruit'))).toBe(true);
  // The issue is edited into a perfect starter bug: the bot leaves the label off (and needs no label at all here).
  api().get(`${R}/labels`).query(true).reply(200, EXISTING_LABELS);
  api().post(`${R}/issues/1/labels`, { labels: ['area/l3'] }).reply(200, []);
  await bot.receive('issues', issuePayload('edited', { title: 'Typo in router error message', body: 'Typo in src/netcore/api/routers.ts. Expected x, actual y.' }));
});

test('/claim assigns a free low-hanging-fruit bug, then refuses others politely', async () => {
  api().post(`${R}/issues/1/assignees`, { assignees: ['newbie'] }).reply(201, {});
  const ok = expectReply();
  await bot.receive('issue_comment', commentPayload('/claim'));
  expect(ok.body).toContain("`newbie`, it's yours");
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))).toMatchObject({ claimedBy: 'newbie', claimPinned: false });

  const taken = expectReply();
  await bot.receive('issue_comment', commentPayload('/claim', { login: 'other-person' }));
  expect(taken.body).toContain('`newbie` is already working on this one');
  expect(taken.body).not.toMatch(/@newbie/);

  const mine = expectReply();
  await bot.receive('issue_comment', commentPayload('/claim'));
  expect(mine.body).toContain('you already hold this one');
});

test('one open claim per newcomer: a second claim lists the current one', async () => {
  api().post(`${R}/issues/1/assignees`).reply(201, {});
  expectReply();
  await bot.receive('issue_comment', commentPayload('/claim'));
  const second = { body: '' };
  api()
    .post(`${R}/issues/2/comments`, (b) => ((second.body = b.body), true))
    .reply(201, { id: 3 });
  await bot.receive('issue_comment', commentPayload('/claim', { number: 2 }));
  expect(second.body).toContain('you already hold #1');
});

test('/claim on a closed issue, on a bug that is not low-hanging fruit, or held by an assignee is refused', async () => {
  expect((expectReply(), true)).toBe(true);
  await bot.receive('issue_comment', commentPayload('/claim', { state: 'closed' }));
  const notLhf = expectReply();
  await bot.receive('issue_comment', commentPayload('/claim', { labels: ['bug'] }));
  expect(notLhf.body).toContain('works on bugs labelled `low\\-hanging\\-fruit`');
  const assigned = expectReply();
  await bot.receive('issue_comment', commentPayload('/claim', { assignees: ['carl-baldwin'] }));
  expect(assigned.body).toContain('`carl-baldwin` is already working');
});

test('/unclaim by the holder releases; by a stranger is refused; a maintainer may release', async () => {
  api().post(`${R}/issues/1/assignees`).reply(201, {});
  expectReply();
  await bot.receive('issue_comment', commentPayload('/claim'));

  api().get(`${R}/collaborators/stranger/permission`).reply(404, {});
  const refused = expectReply();
  await bot.receive('issue_comment', commentPayload('/unclaim', { login: 'stranger' }));
  expect(refused.body).toContain('only `newbie` or a maintainer');

  api().delete(`${R}/issues/1/assignees`, { assignees: ['newbie'] }).reply(200, {});
  const released = expectReply();
  await bot.receive('issue_comment', commentPayload('/unclaim', { login: 'markmcclain' }));
  expect(released.body).toContain('Released: `newbie` no longer holds this bug');
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))?.claimedBy).toBeNull();

  const none = expectReply();
  await bot.receive('issue_comment', commentPayload('/unclaim'));
  expect(none.body).toContain('Nobody holds this bug');
});

test('commands in code blocks or quotes, or malformed, do nothing (not even a config call)', async () => {
  nock.cleanAll(); // no token, no config: any call would fail the delivery
  await bot.receive('issue_comment', commentPayload('```\n/claim\n```\n> /lhf\n/claimx\n/ claim'));
});

test('/claim on a pull request does nothing but say where it works', async () => {
  const reply = expectReply();
  const onPr = commentPayload('/claim');
  onPr.issue.pull_request = { url: 'https://api.github.com/repos/x/y/pulls/1' };
  await bot.receive('issue_comment', onPr);
  expect(reply.body).toContain('`/claim` works on issues, so I did nothing here.');
});

test('a redelivered comment acts once', async () => {
  api().post(`${R}/issues/1/assignees`).reply(201, {});
  expectReply();
  const payload = commentPayload('/claim');
  await bot.receive('issue_comment', payload, 'same-delivery');
  await bot.receive('issue_comment', payload, 'same-delivery');
});

test('a pull request saying "Closes #1" links the claim and keeps it alive; a first-time author is welcomed once', async () => {
  api().post(`${R}/issues/1/assignees`).reply(201, {});
  expectReply();
  await bot.receive('issue_comment', commentPayload('/claim'));
  const store = triageStoreFor(bot.services);
  const welcome = { body: '' };
  api()
    .post(`${R}/issues/2/comments`, (b) => ((welcome.body = b.body), true))
    .reply(201, { id: 8 });
  await bot.receive('pull_request', prOpened(2));
  expect((await store.hasLinkedPullRequest(REPO_ID, 1))).toBe(true);
  expect(welcome.body.startsWith(markerFor('welcome'))).toBe(true);
  expect(welcome.body).toContain('first pull request');
  await bot.receive('pull_request', prOpened(3)); // second PR by the same person: no welcome
});

function prOpened(number: number) {
  return examplePayload('pull_request', 'opened', () => true, (p) => {
    p.number = number;
    p.pull_request.number = number;
    p.pull_request.body = 'Fix the typo.\n\nCloses #1';
    p.pull_request.comments = 0;
    p.pull_request.author_association = 'FIRST_TIME_CONTRIBUTOR';
    p.pull_request.user = { ...p.pull_request.user, login: 'newbie', type: 'User' };
    p.sender = { ...p.sender, login: 'newbie', type: 'User' };
  });
}
