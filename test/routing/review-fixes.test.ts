import nock from 'nock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RoutingStore } from '../../src/routing/store.js';
import { examplePayload } from '../helpers/payloads.js';
import { expectAllMocksUsed, mockConfig, mockInstallationToken, type TestBot } from '../helpers/probot.js';
import { OWNER, pathsOf, REPO, REPO_REF, routingBotWithConfig } from './bot.js';
import { file, routingYaml } from './fixtures.js';

// Defects found in review: each test here failed before its fix.
const PR = 2;
const repoRef = REPO_REF;

let bot: TestBot;
let store: RoutingStore;

beforeEach(async () => {
  ({ bot, store } = await routingBotWithConfig());
});
afterEach(expectAllMocksUsed);

/** Load events only keep records: they need no token and no config (so an invalid config cannot stop them). Any call now fails. */
const noGitHub = () => nock.cleanAll();

const fromBot = (p: any, login: string) => {
  p.sender.login = login;
  p.sender.type = 'Bot';
};
const prEvent = (action: string, patch: (p: any) => void = () => {}) => examplePayload('pull_request', action, () => true, patch);

describe('load kept true when a bot is the sender', () => {
  test('a pull request merged by a merge queue (a bot) frees its reviewers’ slots', async () => {
    noGitHub();
    store.requested(repoRef, PR, 'zzzeek', { byBot: true, subteams: ['db'] });
    await bot.receive('pull_request', prEvent('closed', (p) => fromBot(p, 'github-merge-queue[bot]')));
    expect(store.load(repoRef).get('zzzeek')).toBeUndefined();
  });

  test('another app asking or withdrawing a reviewer moves the load, but its withdrawal is not a human decision', async () => {
    noGitHub();
    await bot.receive('pull_request', prEvent('review_requested', (p) => ((p.requested_reviewer.login = 'annp'), fromBot(p, 'auto-assign[bot]'))));
    expect(store.load(repoRef).get('annp')).toBe(1);
    await bot.receive('pull_request', prEvent('review_request_removed', (p) => ((p.requested_reviewer.login = 'annp'), fromBot(p, 'auto-assign[bot]'))));
    expect(store.load(repoRef).get('annp')).toBeUndefined();
    expect(store.marks(repoRef, PR, 'removed').size).toBe(0);
  });
});

describe('a human decision is not undone', () => {
  test('a person withdraws the bot’s request and later asks the same reviewer again: the request is theirs, which /unroute never withdraws', async () => {
    noGitHub();
    store.requested(repoRef, PR, 'zzzeek', { byBot: true, subteams: ['db'] });
    const human = (action: string) =>
      prEvent(action, (p) => ((p.number = PR), (p.pull_request.number = PR), (p.requested_reviewer = { login: 'zzzeek', type: 'User' }), (p.sender.login = 'markmcclain')));
    await bot.receive('pull_request', human('review_request_removed'));
    await bot.receive('pull_request', human('review_requested'));
    expect(store.openRequests(repoRef, PR).map((r) => [r.reviewer, r.requestedByBot, r.subteams])).toEqual([['zzzeek', false, []]]);
  });
});

describe('GitHub refusing reviewers', () => {
  test('after the last round of refusals, a subteam whose pick was never asked is reported as nobody available', async () => {
    const api = nock('https://api.github.com');
    const { prPath, issuePath } = pathsOf(PR);
    const ipv6 = { name: 'IPv6', label: 'area/ipv6', leads: ['sc68cal'], backups: ['baoli', 'xuhanp', 'haleyb'], paths: ['src/netcore/ipam/ipv6*'] };
    nock.cleanAll();
    mockInstallationToken();
    mockConfig(OWNER, REPO, JSON.stringify({ ...JSON.parse(routingYaml()), subteams: { ipv6 } }));
    const refusal = { message: 'Reviews may only be requested from collaborators.' };
    api.get(`${prPath}/files`).query({ per_page: 100 }).reply(200, [file('src/netcore/ipam/ipv6_slaac.ts')]);
    api.post(`${prPath}/requested_reviewers`).times(3).reply(422, refusal); // three rounds, one person each
    api.get(`/repos/${OWNER}/${REPO}/labels`).query({ per_page: 100 }).reply(200, [{ name: 'area/ipv6' }]);
    api.post(`${issuePath}/labels`).reply(200, []);
    let body = '';
    api.post(`${issuePath}/comments`, (b) => Boolean((body = b.body))).reply(201, { id: 1 });
    const payload = prEvent('opened', (p) => {
      Object.assign(p.pull_request, { number: PR, draft: false, comments: 0, labels: [], requested_reviewers: [], user: { login: 'newcomer' } });
      p.number = PR;
    });
    await bot.receive('pull_request', payload);
    expect(body).toContain('**Nobody available for:** IPv6');
    expect(store.load(repoRef).size).toBe(0);
  });
});

describe('the author cannot undo a maintainer', () => {
  test('/route by the author (no write access) of a subteam a maintainer took off: refused politely, nothing asked or relabelled', async () => {
    store.mark(repoRef, PR, 'unrouted', 'db', { actor: 'markmcclain' });
    bot.services.labels.recordVeto({ ...repoRef, issue_number: PR }, 'area/lbaas', 'markmcclain');
    nock('https://api.github.com').get(`/repos/${OWNER}/${REPO}/collaborators/pr-author/permission`).reply(200, { permission: 'read', role_name: 'read' });
    let reply = '';
    nock('https://api.github.com')
      .post(`/repos/${OWNER}/${REPO}/issues/${PR}/comments`, (b) => Boolean((reply = b.body)))
      .reply(201, { id: 1 });
    const payload = examplePayload('issue_comment', 'created', () => true, (p) => {
      p.comment.body = '/route db\n/route lbaas';
      p.comment.user.login = p.sender.login = 'pr-author';
      Object.assign(p.issue, { number: PR, user: { login: 'pr-author' }, labels: [], pull_request: { url: 'https://api.github.com/x' } });
    });
    await bot.receive('issue_comment', payload);
    expect(reply).toContain('**DB** was taken off this pull request by a person; only a maintainer can route it back');
    expect(reply).toContain('**LBaaS** was taken off');
    expect(store.marks(repoRef, PR, 'unrouted').has('db')).toBe(true);
    expect(store.marks(repoRef, PR, 'forced').size).toBe(0);
    expect(bot.services.labels.isVetoed({ ...repoRef, issue_number: PR }, 'area/lbaas')).toBe(true);
  });
});

describe('odd payloads', () => {
  const api = () => nock('https://api.github.com');
  const { prPath, issuePath } = pathsOf(PR);

  test('a pull request whose author account was deleted (user: null) is still routed', async () => {
    api().get(`${prPath}/files`).query({ per_page: 100 }).reply(200, [file('src/netcore/db/migrations/m1.ts')]);
    api().post(`${prPath}/requested_reviewers`, { reviewers: ['zzzeek'] }).reply(201, {});
    api().get(`/repos/${OWNER}/${REPO}/labels`).query({ per_page: 100 }).reply(200, [{ name: 'area/db' }]);
    api().post(`${issuePath}/labels`, { labels: ['area/db'] }).reply(200, []);
    api().post(`${issuePath}/comments`).reply(201, { id: 901 });
    const payload = prEvent('opened', (p) => {
      Object.assign(p.pull_request, { number: PR, draft: false, comments: 0, labels: [], requested_reviewers: [], user: null });
      p.number = PR;
    });
    await bot.receive('pull_request', payload);
    expect(store.load(repoRef).get('zzzeek')).toBe(1);
  });

  test('/unroute by someone without write access on a pull request whose author was deleted: the polite reply, no throw', async () => {
    api().get(`/repos/${OWNER}/${REPO}/collaborators/drive-by/permission`).reply(200, { permission: 'read', role_name: 'read' });
    let reply = '';
    api().post(`${issuePath}/comments`, (b) => Boolean((reply = b.body))).reply(201, { id: 1 });
    const payload = examplePayload('issue_comment', 'created', () => true, (p) => {
      Object.assign(p.comment, { body: '/unroute db' });
      p.comment.user.login = p.sender.login = 'drive-by';
      Object.assign(p.issue, { number: PR, user: null, labels: [], pull_request: { url: `https://api.github.com${prPath}` } });
    });
    await bot.receive('issue_comment', payload);
    expect(reply).toContain('`/unroute` is for maintainers');
  });
});
