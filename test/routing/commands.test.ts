import nock from 'nock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { markerFor } from '../../src/github/sticky-comment.js';
import type { RoutingStore } from '../../src/routing/store.js';
import { examplePayload } from '../helpers/payloads.js';
import { expectAllMocksUsed, type TestBot } from '../helpers/probot.js';
import { OWNER, pathsOf, REPO, REPO_ID, REPO_REF, routingBotWithConfig } from './bot.js';
import { file } from './fixtures.js';

const PR = 1;
const api = () => nock('https://api.github.com');
const { prPath, issuePath } = pathsOf(PR);

let bot: TestBot;
let store: RoutingStore;

beforeEach(async () => {
  ({ bot, store } = await routingBotWithConfig());
});
afterEach(expectAllMocksUsed);

let commentId = 5000;
/** A real issue_comment.created payload, on a pull request (the issue has `pull_request`); each comment its own id. */
const comment = (body: string | null, login = 'markmcclain', opts: { onPull?: boolean; labels?: string[] } = {}) =>
  examplePayload('issue_comment', 'created', () => true, (p) => {
    p.comment.id = ++commentId;
    p.comment.body = body;
    p.comment.user.login = login;
    p.sender.login = login;
    p.issue.user.login = 'pr-author';
    p.issue.labels = (opts.labels ?? []).map((name) => ({ name }));
    if (opts.onPull !== false) p.issue.pull_request = { url: `https://api.github.com${prPath}` };
  });

/** The one reply comment to a command comment: created (no lookup), with its hidden marker. */
function expectReply(check: (body: string) => boolean, path = issuePath) {
  let body = '';
  api()
    .post(`${path}/comments`, (b) => b.body.startsWith('<!-- netbot:reply-comment-') && ((body = b.body), check(b.body)))
    .reply(201, { id: 1 });
  return () => body;
}

/** A reply's text, without the marker of the comment it answers. */
const replyText = (body: string, commentId: number) => {
  const marker = `${markerFor(`reply-comment-${commentId}`)}\n`;
  expect(body.startsWith(marker)).toBe(true);
  return body.slice(marker.length);
};

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
    expect(await store.marks(REPO_ID, PR, 'forced')).toEqual(new Map([['lbaas', '']]));
  });

  test('two /route commands in one comment: each reroutes at once, and both replies share one reply comment', async () => {
    const routing = mockReroute({ files: [file('docs/x.md')], reviewers: ['dougwig'], newLabels: ['area/lbaas'] });
    api()
      .get(prPath)
      .reply(200, { number: PR, state: 'open', draft: false, comments: 2, user: { login: 'pr-author' }, labels: [{ name: 'area/lbaas' }], requested_reviewers: [{ login: 'dougwig' }] });
    api().get(`${prPath}/files`).query({ per_page: 100 }).reply(200, [file('docs/x.md')]);
    api().post(`${prPath}/requested_reviewers`, { reviewers: ['zzzeek'] }).reply(201, {});
    api().post(`/repos/${OWNER}/${REPO}/labels`, (b) => b.name === 'area/db').reply(201, {});
    api().post(`${issuePath}/labels`, { labels: ['area/db'] }).reply(200, []);
    let rerouted = '';
    api().patch(`/repos/${OWNER}/${REPO}/issues/comments/700`, (b) => Boolean((rerouted = b.body))).reply(200, { id: 700 });
    const reply = expectReply(() => true);
    const payload = comment('/route lbaas\n/route db');
    await bot.receive('issue_comment', payload);
    expect(routing()).toContain('LBaaS');
    expect(rerouted).toContain('`zzzeek` for DB: subteam lead');
    expect(replyText(reply(), payload.comment.id)).toBe('Routed to **LBaaS**.\n\nRouted to **DB**.');
    expect(await store.marks(REPO_ID, PR, 'forced')).toEqual(new Map([['lbaas', ''], ['db', '']]));
  });

  test('/route by the author of the pull request is allowed (no permission lookup needed for them)', async () => {
    mockReroute({ files: [], reviewers: ['zzzeek'], newLabels: ['area/db'] });
    expectReply((b) => b.includes('Routed to **DB**'));
    await bot.receive('issue_comment', comment('/route db', 'pr-author'));
  });

  test('/unroute by someone without write access gets one short polite reply and changes nothing', async () => {
    api().get(`/repos/${OWNER}/${REPO}/collaborators/drive-by/permission`).reply(200, { permission: 'read', role_name: 'read' });
    const reply = expectReply(() => true);
    const payload = comment('/unroute l3\n/unroute db', 'drive-by');
    await bot.receive('issue_comment', payload);
    const refusal = 'Sorry, `drive-by`: `/unroute` is for maintainers, so I did nothing.';
    expect(replyText(reply(), payload.comment.id)).toBe(`${refusal}\n\n${refusal}`);
    expect((await store.marks(REPO_ID, PR, 'unrouted')).size).toBe(0);
  });

  test('/route by someone neither maintainer nor author is refused the way every room refuses a command, and changes nothing', async () => {
    api().get(`/repos/${OWNER}/${REPO}/collaborators/drive-by/permission`).reply(200, { permission: 'read', role_name: 'read' });
    const reply = expectReply(() => true);
    await bot.receive('issue_comment', comment('/route db', 'drive-by'));
    expect(reply()).toContain('Sorry, `drive-by`: `/route` is for maintainers');
    expect(reply()).toContain('so I did nothing.');
    expect((await store.marks(REPO_ID, PR, 'forced')).size).toBe(0);
  });

  test('an unknown subteam gets a reply listing the valid keys, with the bad name escaped', async () => {
    const reply = expectReply((b) => b.includes('There is no subteam called @\u200dteam\\_x. Valid subteams: l3, db, lbaas, ipv6.'));
    await bot.receive('issue_comment', comment('/route @team_x'));
    expect(reply()).not.toMatch(/@team/);
  });

  test("/unroute withdraws only the bot's request made for that subteam, removes its label, and keeps people's requests", async () => {
    await store.requested(REPO_ID, PR, 'carl-baldwin', { byBot: true, subteams: ['l3'] });
    await store.requested(REPO_ID, PR, 'sc68cal', { byBot: true, subteams: ['ipv6', 'l3'] });
    await store.requested(REPO_ID, PR, 'amuller', { byBot: false });
    await store.setRouted(REPO_ID, PR, ['l3', 'ipv6']);
    api().delete(`${prPath}/requested_reviewers`, { reviewers: ['carl-baldwin'] }).reply(200, {});
    api().delete(`${issuePath}/labels/${encodeURIComponent('area/l3')}`).reply(200, []);
    const routing = mockReroute({ files: [file('src/netcore/l3/nat.ts'), file('src/netcore/ipam/ipv6_slaac.ts')], prLabels: ['area/ipv6'] });
    const reply = expectReply((b) => b.includes('Took **L3** off this pull request and withdrew the review request of `carl-baldwin`.'));
    await bot.receive('issue_comment', comment('/unroute l3', 'markmcclain', { labels: ['area/l3', 'area/ipv6'] }));
    expect(reply()).toBeTruthy();
    expect(routing()).toContain('**Taken off by a person:** L3 (with /unroute)');
    expect((await store.openRequests(REPO_ID, PR)).map((r) => [r.reviewer, r.subteams])).toEqual([
      ['amuller', []],
      ['sc68cal', ['ipv6']],
    ]);
  });

  test('/route on an issue (not a pull request) gets a reply saying where it works, and changes nothing', async () => {
    const reply = expectReply(() => true);
    const payload = comment('/route db', 'markmcclain', { onPull: false });
    await bot.receive('issue_comment', payload);
    expect(replyText(reply(), payload.comment.id)).toBe('`/route` works on pull requests, so I did nothing here.');
    expect((await store.marks(REPO_ID, PR, 'forced')).size).toBe(0);
  });

  test('on a closed pull request the change is remembered and the reply says so; nothing is requested', async () => {
    api().get(prPath).reply(200, { number: PR, state: 'closed', draft: false, user: { login: 'pr-author' }, labels: [], requested_reviewers: [] });
    expectReply((b) => b.includes('Routed to **DB**') && b.includes('This pull request is closed'));
    await bot.receive('issue_comment', comment('/route db'));
    expect(await store.marks(REPO_ID, PR, 'forced')).toEqual(new Map([['db', '']]));
  });
});

describe('/vacation', () => {
  test('anyone can go on vacation and come back, on any issue or pull request', async () => {
    expectReply((b) => b.includes('`zzzeek` is on vacation'));
    await bot.receive('issue_comment', comment('/vacation on', 'zzzeek', { onPull: false }));
    expect(await store.vacations()).toEqual(new Set(['zzzeek']));
    expectReply((b) => b.includes('Welcome back, `zzzeek`'));
    await bot.receive('issue_comment', comment('/vacation off', 'zzzeek'));
    expect(await store.vacations()).toEqual(new Set());
  });

  /** zzzeek's comment `/vacation on` (`created`), edited to `body`. */
  const editedComment = (created: { comment: { id: number } }, body: string) =>
    examplePayload('issue_comment', 'edited', () => true, (p) => {
      p.comment = { ...p.comment, id: created.comment.id, body, user: { ...p.comment.user, login: 'zzzeek' } };
      p.sender.login = 'zzzeek';
      p.changes = { body: { from: '/vacation on' } };
    });
  /** The edit of the one reply comment (id 1); returns its new body once made. */
  const expectReplyEdit = () => {
    let body = '';
    api()
      .patch(`/repos/${OWNER}/${REPO}/issues/comments/1`, (b) => Boolean((body = b.body)))
      .reply(200, { id: 1 });
    return () => body;
  };

  test('an edit runs only the commands it added, and their replies join the one reply comment to that comment', async () => {
    const reply = expectReply((b) => b.includes('`zzzeek` is on vacation'), pathsOf(1).issuePath);
    const created = comment('/vacation on', 'zzzeek', { onPull: false });
    await bot.receive('issue_comment', created);
    await store.setVacation('zzzeek', false); // back since (by another comment)
    const edit = expectReplyEdit();
    await bot.receive('issue_comment', editedComment(created, '/vacation on\nThanks for the patience.\n/vacation maybe'));
    expect(reply()).toContain('`zzzeek` is on vacation');
    expect(replyText(edit(), created.comment.id)).toBe('`zzzeek` is on vacation: netbot will not ask you for reviews until you say `/vacation off`.\n\nUse `/vacation on` or `/vacation off`.');
    expect(await store.vacations()).toEqual(new Set()); // the /vacation on the edit kept did not run again
  });

  test('an edit that adds a command above an earlier one keeps both replies in the reply comment', async () => {
    expectReply((b) => b.includes('`zzzeek` is on vacation'), pathsOf(1).issuePath);
    const created = comment('/vacation on', 'zzzeek', { onPull: false });
    await bot.receive('issue_comment', created);
    const edit = expectReplyEdit();
    await bot.receive('issue_comment', editedComment(created, '/vacation maybe\n/vacation on'));
    const text = replyText(edit(), created.comment.id);
    expect(text).toContain('Use `/vacation on` or `/vacation off`.');
    expect(text).toContain('`zzzeek` is on vacation'); // the reply already given stays
  });

  test('a command in a review body works too: the reply goes to the pull request, in its own reply comment', async () => {
    const pr = 2;
    let reply = '';
    api()
      .post(`${pathsOf(pr).issuePath}/comments`, (b) => Boolean((reply = b.body)))
      .reply(201, { id: 2 });
    const review = examplePayload('pull_request_review', 'submitted', () => true, (p) => {
      p.review.body = 'Looks fine, but I am away next week.\n/vacation on';
      p.review.user.login = p.sender.login = 'zzzeek';
    });
    await bot.receive('pull_request_review', review);
    expect(reply).toBe(`${markerFor(`reply-review-${review.review.id}`)}\n\`zzzeek\` is on vacation: netbot will not ask you for reviews until you say \`/vacation off\`.`);
    expect(await store.vacations()).toEqual(new Set(['zzzeek']));
  });

  test('a malformed /vacation gets usage; other text, quoted commands and empty bodies do nothing', async () => {
    expectReply((b) => b.includes('Use `/vacation on` or `/vacation off`.'));
    await bot.receive('issue_comment', comment('/vacation maybe'));
    await bot.receive('issue_comment', comment('> /route l3\n```\n/unroute db\n```\nThanks!'));
    await bot.receive('issue_comment', comment(null));
    await bot.receive('issue_comment', comment(`<img src=x onerror=alert(1)> ${'x'.repeat(70000)}`));
    expect(await store.vacations()).toEqual(new Set());
  });
});

describe('the author cannot undo a maintainer', () => {
  test('/route by the author (no write access) of a subteam a maintainer took off: refused politely, nothing asked or relabelled', async () => {
    const pr = 2;
    const ref = { ...REPO_REF, issue_number: pr };
    await store.mark(REPO_ID, pr, 'unrouted', 'db', { actor: 'markmcclain' });
    await bot.services.labels.recordVeto(ref, 'area/lbaas', 'markmcclain');
    api().get(`/repos/${OWNER}/${REPO}/collaborators/pr-author/permission`).reply(200, { permission: 'read', role_name: 'read' });
    const reply = expectReply(() => true, pathsOf(pr).issuePath);
    const payload = examplePayload('issue_comment', 'created', () => true, (p) => {
      p.comment.id = ++commentId;
      p.comment.body = '/route db\n/route lbaas';
      p.comment.user.login = p.sender.login = 'pr-author';
      Object.assign(p.issue, { number: pr, user: { login: 'pr-author' }, labels: [], pull_request: { url: 'https://api.github.com/x' } });
    });
    await bot.receive('issue_comment', payload);
    expect(reply()).toContain('**DB** was taken off this pull request by a person; only a maintainer can route it back');
    expect(reply()).toContain('**LBaaS** was taken off');
    expect((await store.marks(REPO_ID, pr, 'unrouted')).has('db')).toBe(true);
    expect((await store.marks(REPO_ID, pr, 'forced')).size).toBe(0);
    expect(await bot.services.labels.isVetoed(ref, 'area/lbaas')).toBe(true);
  });

  test('/unroute by someone without write access on a pull request whose author account was deleted (user: null): the polite reply, no throw', async () => {
    const pr = 2;
    const { prPath: path, issuePath: issue } = pathsOf(pr);
    api().get(`/repos/${OWNER}/${REPO}/collaborators/drive-by/permission`).reply(200, { permission: 'read', role_name: 'read' });
    const reply = expectReply(() => true, issue);
    const payload = examplePayload('issue_comment', 'created', () => true, (p) => {
      p.comment.id = ++commentId;
      p.comment.body = '/unroute db';
      p.comment.user.login = p.sender.login = 'drive-by';
      Object.assign(p.issue, { number: pr, user: null, labels: [], pull_request: { url: `https://api.github.com${path}` } });
    });
    await bot.receive('issue_comment', payload);
    expect(reply()).toContain('`/unroute` is for maintainers');
  });
});
