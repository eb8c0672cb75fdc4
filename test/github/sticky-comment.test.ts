import nock from 'nock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Locks } from '../../src/core/locks.js';
import { CORE_MIGRATIONS } from '../../src/core/services.js';
import { migrate, openDatabase, type StoreDb } from '../../src/core/store/index.js';
import { StickyComments, markerFor } from '../../src/github/sticky-comment.js';
import { TestOctokit } from '../helpers/probot.js';

const ref = { repoId: 1001, owner: 'netcore', repo: 'netcore', issue_number: 7 };
const api = () => nock('https://api.github.com');
let store: StoreDb;
let comments: StickyComments;
const octokit = new TestOctokit({ auth: 'token' }) as any;

beforeEach(async () => {
  nock.disableNetConnect();
  store = openDatabase(':memory:');
  await migrate(store, CORE_MIGRATIONS);
  comments = new StickyComments(store.db, new Locks(store.db));
});
afterEach(async () => {
  await store.close();
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

test('creates the comment once with its hidden marker, then edits it in place', async () => {
  api()
    .post('/repos/netcore/netcore/issues/7/comments', (b) => b.body === `${markerFor('routing')}\nfirst`)
    .reply(201, { id: 555 });
  expect(await comments.upsert(octokit, ref, 'routing', 'first', { issueHasNoComments: true })).toEqual({ action: 'created', commentId: 555 });

  api()
    .patch('/repos/netcore/netcore/issues/comments/555', (b) => b.body === `${markerFor('routing')}\nsecond`)
    .reply(200, { id: 555 });
  expect(await comments.upsert(octokit, ref, 'routing', 'second')).toEqual({ action: 'updated', commentId: 555 });
});

test('the same text again makes no call at all', async () => {
  api().post('/repos/netcore/netcore/issues/7/comments').reply(201, { id: 9 });
  await comments.upsert(octokit, ref, 'welcome', 'hello', { issueHasNoComments: true });
  expect(await comments.upsert(octokit, ref, 'welcome', 'hello')).toEqual({ action: 'unchanged', commentId: 9 });
});

test('without a remembered id it finds its own comment by marker across pages, ignoring humans quoting the marker', async () => {
  const marker = markerFor('routing');
  api()
    .get('/repos/netcore/netcore/issues/7/comments')
    .query({ per_page: 100 })
    .reply(200, [{ id: 1, body: `${marker}\nquoted by a human`, user: { type: 'User' } }], {
      link: '<https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=2>; rel="next"',
    });
  api()
    .get('/repositories/1/issues/7/comments')
    .query({ per_page: 100, page: 2 })
    .reply(200, [{ id: 2, body: `${marker}\nold`, user: { type: 'Bot' } }]);
  api().patch('/repos/netcore/netcore/issues/comments/2').reply(200, { id: 2 });
  expect(await comments.upsert(octokit, ref, 'routing', 'new')).toEqual({ action: 'updated', commentId: 2 });
});

test('purposes are separate comments', async () => {
  api().post('/repos/netcore/netcore/issues/7/comments').reply(201, { id: 1 });
  api().post('/repos/netcore/netcore/issues/7/comments').reply(201, { id: 2 });
  await comments.upsert(octokit, ref, 'welcome', 'hi', { issueHasNoComments: true });
  expect((await comments.upsert(octokit, ref, 'lhf', 'starter bug', { issueHasNoComments: true })).commentId).toBe(2);
});

test('if a person deleted the comment, the bot respects that: no new comment for that purpose on that issue', async () => {
  api().post('/repos/netcore/netcore/issues/7/comments').reply(201, { id: 10 });
  await comments.upsert(octokit, ref, 'routing', 'a', { issueHasNoComments: true });
  api().patch('/repos/netcore/netcore/issues/comments/10').reply(404, { message: 'Not Found' });
  expect(await comments.upsert(octokit, ref, 'routing', 'b')).toEqual({ action: 'withdrawn', commentId: 0 });
  // later changes make no call at all (nock fails on any unmocked request)
  expect(await comments.upsert(octokit, ref, 'routing', 'c')).toEqual({ action: 'withdrawn', commentId: 0 });
  // other purposes and other issues are unaffected
  api().post('/repos/netcore/netcore/issues/8/comments').reply(201, { id: 12 });
  expect(await comments.upsert(octokit, { ...ref, issue_number: 8 }, 'routing', 'c', { issueHasNoComments: true })).toEqual({ action: 'created', commentId: 12 });
});

test('two events writing the same comment at once: one creates it, the other edits it', async () => {
  api().post('/repos/netcore/netcore/issues/7/comments').reply(201, { id: 20 });
  api().patch('/repos/netcore/netcore/issues/comments/20', (b) => b.body.endsWith('second')).reply(200, { id: 20 });
  const [a, b] = await Promise.all([
    comments.upsert(octokit, ref, 'routing', 'first', { issueHasNoComments: true }),
    comments.upsert(octokit, ref, 'routing', 'second', { issueHasNoComments: true }),
  ]);
  expect([a, b]).toEqual([
    { action: 'created', commentId: 20 },
    { action: 'updated', commentId: 20 },
  ]);
});

test('the comment is remembered by repository id: after a rename, the bot edits its comment under the new name', async () => {
  api().post('/repos/netcore/netcore/issues/7/comments').reply(201, { id: 30 });
  await comments.upsert(octokit, ref, 'routing', 'before', { issueHasNoComments: true });
  api().patch('/repos/netcore/netcore-renamed/issues/comments/30', (b) => b.body.endsWith('after')).reply(200, { id: 30 });
  expect(await comments.upsert(octokit, { ...ref, repo: 'netcore-renamed' }, 'routing', 'after')).toEqual({ action: 'updated', commentId: 30 });
  // another repository with the same issue number has no comment yet
  api().post('/repos/netcore/other/issues/7/comments').reply(201, { id: 31 });
  expect(await comments.upsert(octokit, { ...ref, repoId: 1002, repo: 'other' }, 'routing', 'after', { issueHasNoComments: true })).toEqual({ action: 'created', commentId: 31 });
});
