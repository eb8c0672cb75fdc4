import nock from 'nock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { markerFor } from '../../src/github/sticky-comment.js';
import { orderByLoad } from '../../src/routing/reviewers.js';
import type { RoutingStore } from '../../src/routing/store.js';
import { examplePayload } from '../helpers/payloads.js';
import { expectAllMocksUsed, mockConfig, mockInstallationToken, type TestBot } from '../helpers/probot.js';
import { OWNER, pathsOf, REPO, REPO_ID, REPO_REF, routingBotWithConfig } from './bot.js';
import { file, patchOf, routingYaml } from './fixtures.js';

const PR = 2;
const api = () => nock('https://api.github.com');
const { prPath, issuePath } = pathsOf(PR);

let bot: TestBot;
let store: RoutingStore;

beforeEach(async () => {
  ({ bot, store } = await routingBotWithConfig());
});
afterEach(expectAllMocksUsed);

const prEvent = (action: string, patch: (p: any) => void = () => {}) =>
  examplePayload('pull_request', action, () => true, (p) => {
    p.pull_request.draft = false;
    p.pull_request.comments = 0;
    p.pull_request.labels = [];
    p.pull_request.requested_reviewers = [];
    p.pull_request.user.login = 'newcomer';
    patch(p);
  });

const ROUTER_AND_IPV6 = [
  file('src/netcore/api/routers.ts', patchOf('+  validateGateway(body.router.external_gateway_info);')),
  file('src/netcore/api/subnets.ts', patchOf('+  const raMode = body.subnet.ipv6_ra_mode;')),
  ...Array.from({ length: 38 }, (_, i) => file(`docs/notes_${i}.md`, patchOf('+typo fixed'))),
];

/** The four writes of a first routing: files, review requests, labels (existing), the comment. */
function mockFirstRouting(opts: { files?: unknown[]; reviewers?: string[]; labels?: string[]; comment?: (body: string) => boolean } = {}) {
  api().get(`${prPath}/files`).query({ per_page: 100 }).reply(200, opts.files ?? ROUTER_AND_IPV6);
  if (opts.reviewers) api().post(`${prPath}/requested_reviewers`, { reviewers: opts.reviewers }).reply(201, {});
  if (opts.labels) {
    api().get(`/repos/${OWNER}/${REPO}/labels`).query({ per_page: 100 }).reply(200, opts.labels.map((name) => ({ name })));
    api().post(`${issuePath}/labels`, { labels: opts.labels }).reply(200, []);
  }
  let posted = '';
  api()
    .post(`${issuePath}/comments`, (b) => ((posted = b.body), opts.comment ? opts.comment(b.body) : true))
    .reply(201, { id: 900 });
  return () => posted;
}

describe('pull_request.opened', () => {
  test('a router + IPv6 pull request of 40 files: both leads asked in one call, both labels, one comment saying why', async () => {
    const comment = mockFirstRouting({ reviewers: ['carl-baldwin', 'sc68cal'], labels: ['area/l3', 'area/ipv6'] });
    await bot.receive('pull_request', prEvent('opened'));
    const body = comment();
    expect(body.startsWith(markerFor('routing'))).toBe(true);
    expect(body).toContain('touches 2 subteams');
    expect(body).toContain('src/netcore/api/routers.ts matches the path src/netcore/api/routers\\*');
    expect(body).toContain('src/netcore/api/subnets.ts, line 11: keyword &quot;ipv6\\_ra\\_mode&quot; in a changed line');
    expect(body).toContain('`carl-baldwin` for L3: subteam lead');
    expect(body).not.toMatch(/@carl/);
    expect(await store.load(REPO_ID)).toEqual(new Map([['carl-baldwin', 1], ['sc68cal', 1]]));
  });

  test('GitHub answers 422 for a reviewer who is not a collaborator: the bot finds who, asks the next candidate, and says so', async () => {
    api().get(`${prPath}/files`).query({ per_page: 100 }).reply(200, ROUTER_AND_IPV6);
    const refusal = { message: 'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the Codertocat/Hello-World repository.' };
    api().post(`${prPath}/requested_reviewers`, { reviewers: ['carl-baldwin', 'sc68cal'] }).reply(422, refusal);
    api().post(`${prPath}/requested_reviewers`, { reviewers: ['carl-baldwin'] }).reply(201, {});
    api().post(`${prPath}/requested_reviewers`, { reviewers: ['sc68cal'] }).reply(422, refusal);
    const backup = orderByLoad(['baoli', 'xuhanp'], new Map(), PR)[0]!;
    api().post(`${prPath}/requested_reviewers`, { reviewers: [backup] }).reply(201, {});
    api().get(`/repos/${OWNER}/${REPO}/labels`).query({ per_page: 100 }).reply(200, [{ name: 'area/l3' }, { name: 'area/ipv6' }]);
    api().post(`${issuePath}/labels`).reply(200, []);
    let body = '';
    api().post(`${issuePath}/comments`, (b) => Boolean((body = b.body))).reply(201, { id: 1 });

    await bot.receive('pull_request', prEvent('opened'));
    expect(body).toContain(`\`${backup}\` for IPv6: backup with the fewest open reviews`);
    expect(body).toMatch(/`sc68cal` \(IPv6\): GitHub refused the request \(Reviews may only be requested from collaborators/);
    expect([...(await store.load(REPO_ID)).keys()].sort()).toEqual([backup, 'carl-baldwin'].sort());
  });

  test('after the last round of refusals, a subteam whose pick was never asked is reported as nobody available', async () => {
    const ipv6 = { name: 'IPv6', label: 'area/ipv6', leads: ['sc68cal'], backups: ['baoli', 'xuhanp', 'haleyb'], paths: ['src/netcore/ipam/ipv6*'] };
    nock.cleanAll();
    mockInstallationToken();
    mockConfig(OWNER, REPO, JSON.stringify({ ...JSON.parse(routingYaml()), subteams: { ipv6 } }));
    const refusal = { message: 'Reviews may only be requested from collaborators.' };
    api().get(`${prPath}/files`).query({ per_page: 100 }).reply(200, [file('src/netcore/ipam/ipv6_slaac.ts')]);
    api().post(`${prPath}/requested_reviewers`).times(3).reply(422, refusal); // three rounds, one person each
    api().get(`/repos/${OWNER}/${REPO}/labels`).query({ per_page: 100 }).reply(200, [{ name: 'area/ipv6' }]);
    api().post(`${issuePath}/labels`).reply(200, []);
    let body = '';
    api().post(`${issuePath}/comments`, (b) => Boolean((body = b.body))).reply(201, { id: 1 });
    await bot.receive('pull_request', prEvent('opened'));
    expect(body).toContain('**Nobody available for:** IPv6');
    expect((await store.load(REPO_ID)).size).toBe(0);
  });

  test('a pull request whose author account was deleted (user: null) is still routed', async () => {
    mockFirstRouting({ files: [file('src/netcore/db/migrations/m1.ts')], reviewers: ['zzzeek'], labels: ['area/db'] });
    await bot.receive('pull_request', prEvent('opened', (p) => (p.pull_request.user = null)));
    expect((await store.load(REPO_ID)).get('zzzeek')).toBe(1);
  });

  test('a draft waits: nothing is read or written until it is ready for review', async () => {
    await bot.receive('pull_request', prEvent('opened', (p) => (p.pull_request.draft = true)));
    mockFirstRouting({ reviewers: ['carl-baldwin', 'sc68cal'], labels: ['area/l3', 'area/ipv6'] });
    await bot.receive('pull_request', prEvent('ready_for_review'));
  });

  test('no subteam matches: the default reviewers are asked (never the author) and the comment says so', async () => {
    const comment = mockFirstRouting({ files: [file('README.md', patchOf('+Welcome'))], reviewers: ['salv-orlando'] });
    await bot.receive('pull_request', prEvent('opened', (p) => (p.pull_request.user.login = 'markmcclain')));
    expect(comment()).toContain('No subteam matched this pull request, so it goes to the default reviewers.');
    expect(comment()).toContain('`markmcclain`: the author of this pull request');
  });

  test('nobody available for a subteam: the comment says so and no empty request is sent', async () => {
    await store.setVacation('dougwig', true);
    await store.setVacation('blogan', true);
    const comment = mockFirstRouting({ files: [file('src/netcore/lbaas/pool.ts')], labels: ['area/lbaas'] });
    await bot.receive('pull_request', prEvent('opened'));
    expect(comment()).toContain('**Nobody available for:** LBaaS');
    expect(comment()).toContain('`dougwig` (LBaaS): on vacation');
  });

  test('the same delivery twice does everything once', async () => {
    mockFirstRouting({ reviewers: ['carl-baldwin', 'sc68cal'], labels: ['area/l3', 'area/ipv6'] });
    const payload = prEvent('opened');
    await bot.receive('pull_request', payload, 'same-id');
    await bot.receive('pull_request', payload, 'same-id');
  });
});

describe('new commits and human decisions', () => {
  async function routeOnce() {
    mockFirstRouting({ files: [file('src/netcore/db/migrations/m1.ts')], reviewers: ['zzzeek'], labels: ['area/db'] });
    await bot.receive('pull_request', prEvent('opened'));
  }

  test('new commits that leave the subteams unchanged write nothing', async () => {
    await routeOnce();
    api().get(`${prPath}/files`).query({ per_page: 100 }).reply(200, [file('src/netcore/db/migrations/m1.ts'), file('src/netcore/db/x.ts')]);
    await bot.receive('pull_request', prEvent('synchronize', (p) => (p.pull_request.requested_reviewers = [{ login: 'zzzeek' }])));
  });

  test('new commits adding a subteam ask its lead only, update the comment, and keep a reviewer a human added', async () => {
    await routeOnce();
    api()
      .get(`${prPath}/files`)
      .query({ per_page: 100 })
      .reply(200, [file('src/netcore/db/migrations/m1.ts'), file('src/netcore/lbaas/pool.ts')]);
    api().post(`${prPath}/requested_reviewers`, { reviewers: ['dougwig'] }).reply(201, {});
    api().post(`${issuePath}/labels`, { labels: ['area/lbaas'] }).reply(200, []);
    api().post(`/repos/${OWNER}/${REPO}/labels`, { name: 'area/lbaas', color: '1d76db' }).reply(201, {});
    let body = '';
    api().patch(`/repos/${OWNER}/${REPO}/issues/comments/900`, (b) => Boolean((body = b.body))).reply(200, { id: 900 });
    const payload = prEvent('synchronize', (p) => {
      p.pull_request.requested_reviewers = [{ login: 'zzzeek' }, { login: 'a-human-pick' }];
      p.pull_request.labels = [{ name: 'area/db' }];
    });
    await bot.receive('pull_request', payload);
    expect(body).toContain('`dougwig` for LBaaS: subteam lead');
    expect(body).toContain('`zzzeek` (DB, already requested)');
    expect((await store.openRequests(REPO_ID, PR)).map((r) => r.reviewer)).toEqual(['a-human-pick', 'dougwig', 'zzzeek']);
  });

  test('a reviewer a person removed is never asked again on that pull request', async () => {
    await routeOnce();
    await bot.receive('pull_request', prEvent('review_request_removed', (p) => ((p.requested_reviewer.login = 'zzzeek'), (p.sender.login = 'markmcclain'))));
    expect((await store.load(REPO_ID)).get('zzzeek')).toBeUndefined();
    const backup = orderByLoad(['ihrachys', 'annp'], new Map(), PR)[0]!;
    api().get(`${prPath}/files`).query({ per_page: 100 }).reply(200, [file('src/netcore/db/migrations/m1.ts'), file('src/netcore/lbaas/pool.ts')]);
    api().post(`${prPath}/requested_reviewers`, { reviewers: [backup, 'dougwig'] }).reply(201, {});
    api().post(`/repos/${OWNER}/${REPO}/labels`).reply(201, {});
    api().post(`${issuePath}/labels`).reply(200, []);
    let body = '';
    api().patch(`/repos/${OWNER}/${REPO}/issues/comments/900`, (b) => Boolean((body = b.body))).reply(200, { id: 900 });
    await bot.receive('pull_request', prEvent('synchronize'));
    expect(body).toContain('`zzzeek` (DB): a person removed their review request here');
  });

  test('a person withdraws the bot’s request and later asks the same reviewer again: the request is theirs, which /unroute never withdraws', async () => {
    nock.cleanAll(); // load events only keep records: no call
    await store.requested(REPO_ID, PR, 'zzzeek', { byBot: true, subteams: ['db'] });
    const human = (action: string) => prEvent(action, (p) => ((p.requested_reviewer = { login: 'zzzeek', type: 'User' }), (p.sender.login = 'markmcclain')));
    await bot.receive('pull_request', human('review_request_removed'));
    await bot.receive('pull_request', human('review_requested'));
    expect((await store.openRequests(REPO_ID, PR)).map((r) => [r.reviewer, r.requestedByBot, r.subteams])).toEqual([['zzzeek', false, []]]);
  });

  test('an area label a person removed takes the subteam off: no request, no label, the comment says so', async () => {
    await bot.receive('pull_request', prEvent('unlabeled', (p) => ((p.label = { name: 'area/l3' }), (p.sender.login = 'markmcclain'))));
    expect(await bot.services.labels.isVetoed({ ...REPO_REF, issue_number: PR }, 'area/l3')).toBe(true);
    const comment = mockFirstRouting({ reviewers: ['sc68cal'], labels: ['area/ipv6'] });
    await bot.receive('pull_request', prEvent('opened'));
    expect(comment()).toContain('**Taken off by a person:** L3 (area label removed)');
  });
  test('a person putting the area label back (or /route) lifts the veto and an earlier /unroute', async () => {
    nock.cleanAll(); // label changes only keep records: no token, no config, no call (any call now fails)
    const ref = { ...REPO_REF, issue_number: PR };
    await bot.receive('pull_request', prEvent('unlabeled', (p) => ((p.label = { name: 'area/db' }), (p.sender.login = 'markmcclain'))));
    await store.mark(REPO_ID, PR, 'unrouted', 'db');
    expect(await bot.services.labels.isVetoed(ref, 'area/db')).toBe(true);
    await bot.receive('pull_request', prEvent('labeled', (p) => ((p.label = { name: 'area/db' }), (p.sender.login = 'markmcclain'))));
    expect(await bot.services.labels.isVetoed(ref, 'area/db')).toBe(false);
    expect((await store.marks(REPO_ID, PR, 'unrouted')).size).toBe(0);
  });
});

describe('load kept by events', () => {
  /** Load events only keep records: they need no token and no config (so an invalid config cannot stop them). Any call now fails. */
  const noGitHub = () => nock.cleanAll();
  const fromBot = (p: any, login: string) => {
    p.sender.login = login;
    p.sender.type = 'Bot';
  };

  test('a pull request merged by a merge queue (a bot) frees its reviewers’ slots', async () => {
    noGitHub();
    await store.requested(REPO_ID, PR, 'zzzeek', { byBot: true, subteams: ['db'] });
    await bot.receive('pull_request', prEvent('closed', (p) => fromBot(p, 'github-merge-queue[bot]')));
    expect((await store.load(REPO_ID)).get('zzzeek')).toBeUndefined();
  });

  test('another app asking or withdrawing a reviewer moves the load, but its withdrawal is not a human decision', async () => {
    noGitHub();
    await bot.receive('pull_request', prEvent('review_requested', (p) => ((p.requested_reviewer.login = 'annp'), fromBot(p, 'auto-assign[bot]'))));
    expect((await store.load(REPO_ID)).get('annp')).toBe(1);
    await bot.receive('pull_request', prEvent('review_request_removed', (p) => ((p.requested_reviewer.login = 'annp'), fromBot(p, 'auto-assign[bot]'))));
    expect((await store.load(REPO_ID)).get('annp')).toBeUndefined();
    expect((await store.marks(REPO_ID, PR, 'removed')).size).toBe(0);
  });

  test('requests by anyone count; a submitted review frees its slot; a closed pull request frees all of its slots', async () => {
    noGitHub();
    await bot.receive('pull_request', prEvent('review_requested', (p) => (p.requested_reviewer.login = 'annp')));
    await bot.receive('pull_request', prEvent('review_requested', (p) => (p.requested_reviewer.login = 'blogan')));
    await store.requested(REPO_ID, 99, 'annp', { byBot: true, subteams: ['db'] });
    expect(await store.load(REPO_ID)).toEqual(new Map([['annp', 2], ['blogan', 1]]));

    const review = examplePayload('pull_request_review', 'submitted', (p) => p.pull_request?.number === PR, (p) => (p.review.user.login = 'annp'));
    await bot.receive('pull_request_review', review);
    expect(await store.load(REPO_ID)).toEqual(new Map([['annp', 1], ['blogan', 1]]));
    expect(await store.reviewedBy(REPO_ID, PR)).toEqual(['annp']);

    await bot.receive('pull_request', prEvent('closed'));
    expect(await store.load(REPO_ID)).toEqual(new Map([['annp', 1]]));
  });
});
