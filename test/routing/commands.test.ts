import nock from 'nock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RoutingStore } from '../../src/routing/store.js';
import { examplePayload } from '../helpers/payloads.js';
import { expectAllMocksUsed, type TestBot } from '../helpers/probot.js';
import { OWNER, pathsOf, REPO, REPO_REF, routingBotWithConfig } from './bot.js';
import { file } from './fixtures.js';

const PR = 1;
const api = () => nock('https://api.github.com');
const { prPath, issuePath } = pathsOf(PR);
const repoRef = REPO_REF;

let bot: TestBot;
let store: RoutingStore;

beforeEach(async () => {
  ({ bot, store } = await routingBotWithConfig());
});
afterEach(expectAllMocksUsed);

/** A real issue_comment.created payload, on a pull request (the issue has `pull_request`). */
const comment = (body: string | null, login = 'markmcclain', opts: { onPull?: boolean; labels?: string[] } = {}) =>
  examplePayload('issue_comment', 'created', () => true, (p) => {
    p.comment.body = body;
    p.comment.user.login = login;
    p.sender.login = login;
    p.issue.user.login = 'pr-author';
    p.issue.labels = (opts.labels ?? []).map((name) => ({ name }));
    if (opts.onPull !== false) p.issue.pull_request = { url: `https://api.github.com${prPath}` };
  });

function expectReply(check: (body: string) => boolean) {
  let body = '';
  api()
    .post(`${issuePath}/comments`, (b) => ((body = b.body), check(b.body)))
    .reply(201, { id: 1 });
  return () => body;
}

/** pulls.get and the routing that follows a /route or /unroute (the routing comment is new: no earlier comment). */
function mockReroute(opts: { files: unknown[]; reviewers?: string[]; newLabels?: string[]; prLabels?: string[] }) {
  const labels = (opts.prLabels ?? []).map((name) => ({ name }));
  api()
    .get(prPath)
    .reply(200, { number: PR, state: 'open', draft: false, comments: 0, user: { login: 'pr-author' }, labels, requested_reviewers: [] });
  api().get(`${prPath}/files`).query({ per_page: 100 }).reply(200, opts.files);
  if (opts.reviewers) api().post(`${prPath}/requested_reviewers`, { reviewers: opts.reviewers }).reply(201, {});
  if (opts.newLabels || opts.prLabels) {
    const existing = [...(opts.newLabels ?? []), ...(opts.prLabels ?? [])];
    api().get(`/repos/${OWNER}/${REPO}/labels`).query({ per_page: 100 }).reply(200, existing.map((name) => ({ name })));
  }
  if (opts.newLabels) api().post(`${issuePath}/labels`, { labels: opts.newLabels }).reply(200, []);
  let routing = '';
  api()
    .post(`${issuePath}/comments`, (b) => b.body.includes('netbot:routing') && Boolean((routing = b.body)))
    .reply(201, { id: 700 });
  return () => routing;
}

describe('/route and /unroute', () => {
  test('/route lbaas by a maintainer adds the subteam: its lead is asked, its label added, the comment says /route', async () => {
    const routing = mockReroute({ files: [file('docs/x.md')], reviewers: ['dougwig'], newLabels: ['area/lbaas'] });
    const reply = expectReply((b) => b.includes('Routed to **LBaaS**'));
    await bot.receive('issue_comment', comment('Looks like a load balancer change.\n/route lbaas'));
    expect(routing()).toContain('added by a person with `/route`');
    expect(reply()).not.toContain('@');
    expect(store.marks(repoRef, PR, 'forced')).toEqual(new Map([['lbaas', '']]));
  });

  test('/route by the author of the pull request is allowed (no permission lookup needed for them)', async () => {
    mockReroute({ files: [], reviewers: ['zzzeek'], newLabels: ['area/db'] });
    expectReply((b) => b.includes('Routed to **DB**'));
    await bot.receive('issue_comment', comment('/route db', 'pr-author'));
  });

  test('/unroute by someone without write access gets one short polite reply and changes nothing', async () => {
    api().get(`/repos/${OWNER}/${REPO}/collaborators/drive-by/permission`).reply(200, { permission: 'read', role_name: 'read' });
    const reply = expectReply(() => true);
    await bot.receive('issue_comment', comment('/unroute l3\n/unroute db', 'drive-by'));
    expect(reply()).toBe('Sorry, `drive-by`: `/unroute` is for maintainers.\nSorry, `drive-by`: `/unroute` is for maintainers.\n');
    expect(store.marks(repoRef, PR, 'unrouted').size).toBe(0);
  });

  test('an unknown subteam gets a reply listing the valid keys, with the bad name escaped', async () => {
    const reply = expectReply((b) => b.includes('There is no subteam called @\u200dteam\\_x. Valid subteams: l3, db, lbaas, ipv6.'));
    await bot.receive('issue_comment', comment('/route @team_x'));
    expect(reply()).not.toMatch(/@team/);
  });

  test("/unroute withdraws only the bot's request made for that subteam, removes its label, and keeps people's requests", async () => {
    store.requested(repoRef, PR, 'carl-baldwin', { byBot: true, subteams: ['l3'] });
    store.requested(repoRef, PR, 'sc68cal', { byBot: true, subteams: ['ipv6', 'l3'] });
    store.requested(repoRef, PR, 'amuller', { byBot: false });
    store.setRouted(repoRef, PR, ['l3', 'ipv6']);
    api().delete(`${prPath}/requested_reviewers`, { reviewers: ['carl-baldwin'] }).reply(200, {});
    api().delete(`${issuePath}/labels/${encodeURIComponent('area/l3')}`).reply(200, []);
    const routing = mockReroute({ files: [file('src/netcore/l3/nat.ts'), file('src/netcore/ipam/ipv6_slaac.ts')], prLabels: ['area/ipv6'] });
    const reply = expectReply((b) => b.includes('Took **L3** off this pull request and withdrew the review request of `carl-baldwin`.'));
    await bot.receive('issue_comment', comment('/unroute l3', 'markmcclain', { labels: ['area/l3', 'area/ipv6'] }));
    expect(reply()).toBeTruthy();
    expect(routing()).toContain('**Taken off by a person:** L3 (with /unroute)');
    expect(store.openRequests(repoRef, PR).map((r) => [r.reviewer, r.subteams])).toEqual([
      ['amuller', []],
      ['sc68cal', ['ipv6']],
    ]);
  });
  test('on a closed pull request the change is remembered and the reply says so; nothing is requested', async () => {
    api().get(prPath).reply(200, { number: PR, state: 'closed', draft: false, user: { login: 'pr-author' }, labels: [], requested_reviewers: [] });
    expectReply((b) => b.includes('Routed to **DB**') && b.includes('This pull request is closed'));
    await bot.receive('issue_comment', comment('/route db'));
    expect(store.marks(repoRef, PR, 'forced')).toEqual(new Map([['db', '']]));
  });
});

describe('/vacation', () => {
  test('anyone can go on vacation and come back, on any issue or pull request', async () => {
    expectReply((b) => b.includes('`zzzeek` is on vacation'));
    await bot.receive('issue_comment', comment('/vacation on', 'zzzeek', { onPull: false }));
    expect(store.vacations()).toEqual(new Set(['zzzeek']));
    expectReply((b) => b.includes('Welcome back, `zzzeek`'));
    await bot.receive('issue_comment', comment('/vacation off', 'zzzeek'));
    expect(store.vacations()).toEqual(new Set());
  });

  test('a malformed /vacation gets usage; other text, quoted commands and empty bodies do nothing', async () => {
    expectReply((b) => b.includes('Use `/vacation on` or `/vacation off`.'));
    await bot.receive('issue_comment', comment('/vacation maybe'));
    await bot.receive('issue_comment', comment('> /route l3\n```\n/unroute db\n```\nThanks!'));
    await bot.receive('issue_comment', comment(null));
    await bot.receive('issue_comment', comment(`<img src=x onerror=alert(1)> ${'x'.repeat(70000)}`));
    expect(store.vacations()).toEqual(new Set());
  });
});
