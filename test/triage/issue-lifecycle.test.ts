import { TEST_REPO_ID as REPO_ID } from '../helpers/payloads.js';
import nock from 'nock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { decideAreas, withoutContained } from '../../src/triage/areas.js';
import { boardHandler } from '../../src/triage/board.js';
import { triageStoreFor } from '../../src/triage/store.js';
import { SWEEP_JOB } from '../../src/triage/sweep.js';
import { examplePayload } from '../helpers/payloads.js';
import { mockConfig, mockInstallationToken, expectAllMocksUsed } from '../helpers/probot.js';
import { api, commentPayload, CONFIG_YAML, EXISTING_LABELS, issuePayload, LHF_BODY, OWNER, prPayload, R, REPO, createTriageBot, triageBotWithConfig, type TriageBot } from './support.js';

// A bug's life after it is opened: edits, label changes by people and bots, retractions, visibility, an invalid config.
let bot: TriageBot;
const issue = { owner: OWNER, repo: REPO, issue_number: 1 };

beforeEach(async () => {
  bot = await triageBotWithConfig();
});
afterEach(expectAllMocksUsed);

test('needs-triage a triager removed is not put back when the bug is edited', async () => {
  await bot.receive(
    'issues',
    issuePayload('unlabeled', { labels: [{ name: 'area/docs' }] }, (p) => ((p.label = { name: 'needs-triage' }), (p.sender.login = 'triager-sam'))),
  );
  // Still no configured area in the text: before the fix the bot added needs-triage again.
  await bot.receive('issues', issuePayload('edited', { title: 'Things are slow sometimes', body: 'No idea why.', labels: [{ name: 'area/docs' }], author_association: 'MEMBER' }));
});

test('an edit of a closed bug adds no starter-bug label and no newcomers comment', async () => {
  await bot.receive('issues', issuePayload('edited', { title: 'Typo in router interface message', body: LHF_BODY, state: 'closed', labels: [{ name: 'area/l3' }] }));
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))).toMatchObject({ state: 'closed', lhf: false });
});

test('with bugLabels: a first-timer\'s non-bug issue is still welcomed, and a bug label added later classifies it', async () => {
  nock.cleanAll();
  bot = await createTriageBot({ now: () => new Date('2026-11-25T12:00:00Z') });
  mockInstallationToken();
  mockConfig(OWNER, REPO, CONFIG_YAML.replace('triage:\n', 'triage:\n  bugLabels: [bug]\n'));
  let welcome = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((welcome = b.body), true))
    .reply(201, { id: 4 });
  const fields = { title: 'Typo in router interface message', body: LHF_BODY, author_association: 'FIRST_TIMER' };
  await bot.receive('issues', issuePayload('opened', { ...fields, labels: [{ name: 'question' }] }));
  expect(welcome).toContain('Welcome, `newbie`!');

  // A triager decides it is a bug: now it is classified, as if it had been opened as one.
  api().get(`${R}/labels`).query(true).reply(200, EXISTING_LABELS);
  api().post(`${R}/issues/1/labels`, { labels: ['area/l3', 'low-hanging-fruit'] }).reply(200, []);
  api().get(`${R}/issues/1/comments`).query(true).reply(200, [{ id: 4, body: welcome, user: { type: 'Bot' } }]);
  let lhf = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((lhf = b.body), true))
    .reply(201, { id: 5 });
  await bot.receive(
    'issues',
    issuePayload('labeled', { ...fields, comments: 1, labels: [{ name: 'question' }, { name: 'bug' }] }, (p) => ((p.label = { name: 'bug' }), (p.sender.login = 'triager-sam'))),
  );
  expect(lhf).toContain('This looks like a good first bug');
  expect(lhf).not.toContain('Welcome'); // welcomed once already
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))).toMatchObject({ lhf: true, areas: ['l3'] });

  // The bug label again (removed and re-added): already classified, nothing more.
  await bot.receive('issues', issuePayload('labeled', { ...fields, labels: [{ name: 'bug' }] }, (p) => ((p.label = { name: 'bug' }), (p.sender.login = 'triager-sam'))));
});

test('with bugLabels: the label event GitHub sends for a label set at creation does not classify a second time', async () => {
  nock.cleanAll();
  bot = await createTriageBot({ now: () => new Date('2026-11-25T12:00:00Z') });
  mockInstallationToken();
  mockConfig(OWNER, REPO, CONFIG_YAML.replace('triage:\n', 'triage:\n  bugLabels: [bug]\n'));
  // Arrives before (or while) issues.opened is handled; opened classifies it, so this one only records it.
  const fields = { title: 'Typo in router interface message', body: LHF_BODY, created_at: '2026-11-25T11:59:58Z', labels: [{ name: 'bug' }] };
  await bot.receive('issues', issuePayload('labeled', fields, (p) => (p.label = { name: 'bug' })));
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))).toMatchObject({ score: null });
});

test('an issue edited right after it was opened gets one newcomers comment, welcome kept, and no repeated label calls', async () => {
  api().get(`${R}/labels`).query(true).reply(200, EXISTING_LABELS);
  api().post(`${R}/issues/1/labels`, { labels: ['area/l3', 'low-hanging-fruit'] }).reply(200, []);
  let comment = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((comment = b.body), true))
    .reply(201, { id: 21 });
  const fields = { title: 'Typo in router interface message', body: LHF_BODY, author_association: 'FIRST_TIMER' };
  // The edit's payload was made before the bot's labels landed, and both events are handled at once.
  await Promise.all([
    bot.receive('issues', issuePayload('opened', fields)),
    bot.receive('issues', issuePayload('edited', { ...fields, body: `${LHF_BODY}\n(edited)` })),
  ]);
  expect(comment).toContain('Welcome, `newbie`!');
  expect(comment).toContain('This looks like a good first bug');
  // Later, another edit whose payload still lacks the labels (a slow delivery): nothing to do either.
  await bot.receive('issues', issuePayload('edited', { ...fields, body: `${LHF_BODY}\n(edited twice)` }));
});

test('removing low-hanging-fruit by hand also retracts the newcomers comment', async () => {
  api().get(`${R}/labels`).query(true).reply(200, EXISTING_LABELS);
  api().post(`${R}/issues/1/labels`).reply(200, []);
  api().post(`${R}/issues/1/comments`).reply(201, { id: 32 });
  await bot.receive('issues', issuePayload('opened', { title: 'Typo in router interface message', body: LHF_BODY, author_association: 'MEMBER' }));
  let note = '';
  api()
    .patch(`${R}/issues/comments/32`, (b) => ((note = b.body), true))
    .reply(200, { id: 32 });
  await bot.receive('issues', issuePayload('unlabeled', { labels: [{ name: 'area/l3' }] }, (p) => ((p.label = { name: 'low-hanging-fruit' }), (p.sender.login = 'markmcclain'))));
  expect(note).toContain('no longer');
});

test('the board follows the repository\'s visibility from webhooks, including a repository made private', async () => {
  const store = triageStoreFor(bot.services);
  api().get(`${R}/labels`).query(true).reply(200, EXISTING_LABELS);
  api().post(`${R}/issues/1/labels`).reply(200, []);
  await bot.receive('issues', issuePayload('opened', { title: 'Race on HA router failover', body: 'keepalived', author_association: 'MEMBER' }, (p) => (p.repository.private = true)));
  const isPrivate = async () => (await bot.services.repos.get(REPO_ID))?.isPrivate;
  expect(await isPrivate()).toBe(true);
  await bot.receive('issues', issuePayload('reopened', {}, (p) => (p.repository.private = false)));
  expect(await isPrivate()).toBe(false);
  await bot.receive('repository', examplePayload('repository', 'privatized', () => true, (p) => (p.repository = { ...examplePayload('issues', 'opened').repository, private: true })));
  expect(await isPrivate()).toBe(true);
});

test('while the config is invalid, people\'s decisions and the bug\'s fate are still recorded (nothing is written to GitHub)', async () => {
  nock.cleanAll();
  bot = await createTriageBot({ now: () => new Date('2026-11-25T12:00:00Z') });
  mockInstallationToken();
  mockConfig(OWNER, REPO, 'triage:\n  lhfThreshold: 5\n');
  // The invalid config is reported once as a failed check run (the foundation's job).
  api().get(/\/repos\/Codertocat\/Hello-World\/commits\/.*/).reply(200, { sha: 'a'.repeat(40) }).persist();
  api().post(`${R}/check-runs`).reply(201, { id: 1 }).persist();
  const store = triageStoreFor(bot.services);
  const bug = (number: number) =>
    store.upsertIssue(REPO_ID, { number, title: `Bug ${number}`, url: `https://github.com/${OWNER}/${REPO}/issues/${number}`, author: 'x', state: 'open', areas: [], lhf: true, createdAt: '2026-11-01T00:00:00Z' });
  await bug(1);
  await bug(2);
  await store.claim(REPO_ID, 1, 'newbie');
  await store.claim(REPO_ID, 2, 'other');
  await store.setPullRequestLinks(REPO_ID, 7, 'other', [2]);

  await bot.receive('issues', issuePayload('unlabeled', { labels: [] }, (p) => ((p.label = { name: 'low-hanging-fruit' }), (p.sender.login = 'markmcclain'))));
  expect((await bot.services.labels.isVetoed({ ...issue, repoId: REPO_ID }, 'low-hanging-fruit'))).toBe(true);
  await bot.receive('issues', issuePayload('unassigned', {}, (p) => ((p.assignee = { login: 'newbie' }), (p.sender.login = 'markmcclain'))));
  expect((await store.get(REPO_ID, 1))?.claimedBy).toBeNull();
  await bot.receive('pull_request', prPayload('closed', 7, 'Closes #2'));
  expect((await store.hasLinkedPullRequest(REPO_ID, 2))).toBe(false);
  await bot.receive('issues', issuePayload('reopened', { number: 2, state: 'closed' }, (p) => (p.action = 'closed')));
  expect((await store.get(REPO_ID, 2))?.state).toBe('closed');
  nock.cleanAll(); // the check-run mocks persist
});

test('the area lead who marks a bug /lhf is named as mentor without pinging themselves', async () => {
  api().get(`${R}/collaborators/carl-baldwin/permission`).reply(200, { permission: 'write', role_name: 'write' });
  api().get(`${R}/labels`).query(true).reply(200, EXISTING_LABELS);
  api().post(`${R}/issues/1/labels`, { labels: ['low-hanging-fruit'] }).reply(200, []);
  api().get(`${R}/issues/1/comments`).query(true).reply(200, []);
  let comment = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((comment = b.body), true))
    .reply(201, { id: 14 });
  await bot.receive('issue_comment', commentPayload('/lhf', { login: 'carl-baldwin', labels: ['area/l3'] }));
  expect(comment).toContain('L3: `carl-baldwin`');
  expect(comment).not.toContain('@carl-baldwin');
});

test('keyword hits inside longer ones are dropped in one pass (a hostile body of 16,000 keywords took seconds)', () => {
  nock.cleanAll(); // a pure function: no events
  const hits = [
    { start: 0, end: 6 }, // "router" inside "router advertisement"
    { start: 0, end: 27 },
    { start: 30, end: 34 },
    { start: 30, end: 34 }, // the same span twice: both kept
    { start: 31, end: 33 },
    { start: 40, end: 50 },
    { start: 45, end: 55 }, // overlapping, not inside: kept
  ];
  expect(withoutContained(hits)).toEqual([hits[1], hits[2], hits[3], hits[5], hits[6]]);
  const many = Array.from({ length: 400_000 }, (_, i) => ({ start: i * 4, end: i * 4 + 3 }));
  expect(withoutContained(many)).toHaveLength(400_000); // pairwise, this would not finish
  const body = 'fip '.repeat(16_000);
  expect(decideAreas({ title: 'fip', body }, DEFAULT_CONFIG.subteams).areas.map((a) => a.key)).toEqual(['l3']);
});

test('the welcome does not promise automatic reviewers when the repository turned routing off', async () => {
  nock.cleanAll();
  bot = await createTriageBot({ now: () => new Date('2026-11-25T12:00:00Z') });
  mockInstallationToken();
  mockConfig(OWNER, REPO, `${CONFIG_YAML}routing:\n  enabled: false\n`);
  api().get(`${R}/labels`).query(true).reply(200, EXISTING_LABELS);
  api().post(`${R}/issues/1/labels`).reply(200, []);
  let welcome = '';
  api()
    .post(`${R}/issues/1/comments`, (b) => ((welcome = b.body), true))
    .reply(201, { id: 19 });
  await bot.receive('issues', issuePayload('opened', { title: 'Race on HA router failover', body: 'keepalived flaps', author_association: 'FIRST_TIMER' }));
  expect(welcome).toContain('Welcome, `newbie`!');
  expect(welcome).not.toContain('reviewers are asked automatically');
  expect(welcome).toContain('/pulls');
});

test('/not-lhf removes the label as the issue spells it (odd case), not as the config does', async () => {
  api().delete(`${R}/issues/1/labels/Low-Hanging-Fruit`).reply(200, []);
  await bot.receive('issue_comment', commentPayload('/not-lhf', { login: 'markmcclain', labels: ['Low-Hanging-Fruit'] }));
  expect((await bot.services.labels.isVetoed({ ...issue, repoId: REPO_ID }, 'low-hanging-fruit'))).toBe(true);
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))?.lhf).toBe(false);
});

test('when editing the newcomers comment fails after /not-lhf, the board already shows the label gone', async () => {
  api().get(`${R}/labels`).query(true).reply(200, EXISTING_LABELS);
  api().post(`${R}/issues/1/labels`).reply(200, []);
  api().post(`${R}/issues/1/comments`).reply(201, { id: 41 });
  await bot.receive('issues', issuePayload('opened', { title: 'Typo in router interface message', body: LHF_BODY, author_association: 'MEMBER' }));
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))?.lhf).toBe(true);
  api().delete(`${R}/issues/1/labels/low-hanging-fruit`).reply(200, []);
  api().patch(`${R}/issues/comments/41`).reply(500, { message: 'boom' });
  await expect(bot.receive('issue_comment', commentPayload('/not-lhf', { login: 'markmcclain', labels: ['area/l3', 'low-hanging-fruit'] }))).rejects.toThrow();
  expect((await triageStoreFor(bot.services).get(REPO_ID, 1))?.lhf).toBe(false);
  expect((await triageStoreFor(bot.services).openLhf(REPO_ID))).toEqual([]);
});

test('when the newcomers comment fails after /lhf labelled the bug, the board already lists it', async () => {
  api().get(`${R}/labels`).query(true).reply(200, EXISTING_LABELS);
  api().post(`${R}/issues/1/labels`, { labels: ['low-hanging-fruit'] }).reply(200, []);
  api().get(`${R}/issues/1/comments`).query(true).reply(200, []);
  api().post(`${R}/issues/1/comments`).reply(502, { message: 'Bad Gateway' });
  await expect(bot.receive('issue_comment', commentPayload('/lhf', { login: 'triager-sam', labels: [] }))).rejects.toThrow();
  expect((await triageStoreFor(bot.services).openLhf(REPO_ID)).map((i) => i.number)).toEqual([1]);
});

test('/not-lhf (or removing the label by hand) turns the newcomers comment into a short note instead of leaving an invitation to /claim', async () => {
  api().get(`${R}/labels`).query(true).reply(200, EXISTING_LABELS);
  api().post(`${R}/issues/1/labels`, { labels: ['area/l3', 'low-hanging-fruit'] }).reply(200, []);
  api().post(`${R}/issues/1/comments`).reply(201, { id: 31 });
  await bot.receive('issues', issuePayload('opened', { title: 'Typo in router interface message', body: LHF_BODY, author_association: 'MEMBER' }));

  api().delete(`${R}/issues/1/labels/low-hanging-fruit`).reply(200, []);
  let note = '';
  api()
    .patch(`${R}/issues/comments/31`, (b) => ((note = b.body), true))
    .reply(200, { id: 31 });
  await bot.receive('issue_comment', commentPayload('/not-lhf', { login: 'markmcclain', labels: ['area/l3', 'low-hanging-fruit'] }));
  expect(note).toContain('no longer');
  expect(note).not.toContain('/claim` on this issue');

  // Removing the label by hand on another bug whose comment netbot never wrote: no call at all.
  await bot.receive('issues', issuePayload('unlabeled', { number: 2, labels: [] }, (p) => ((p.label = { name: 'low-hanging-fruit' }), (p.sender.login = 'markmcclain'))));
});

test('turning triage off in the config also stops the stale-claim sweep and the board for that repository', async () => {
  const store = triageStoreFor(bot.services);
  await bot.receive('issues', issuePayload('reopened', { labels: [{ name: 'low-hanging-fruit' }] }));
  nock.cleanAll(); // the reopened bug was recorded without reading the config
  mockInstallationToken();
  await store.claim(REPO_ID, 1, 'newbie');
  expect((await bot.services.repos.get(REPO_ID))?.isPrivate).toBe(false);
  bot.services.configs.invalidate(issue); // a push changed .github/netbot.yml
  mockConfig(OWNER, REPO, 'triage:\n  enabled: false\n');
  await bot.receive('issues', issuePayload('edited', { labels: [{ name: 'low-hanging-fruit' }] }));
  // Months later, the hourly sweep: it reads the config as it is now, and writes nothing.
  mockConfig(OWNER, REPO, 'triage:\n  enabled: false\n');
  await bot.services.runner.enqueue(SWEEP_JOB, { scheduledAt: '2027-06-01T00:17:00Z' });
  await bot.services.runner.drain();
  expect((await store.get(REPO_ID, 1))?.claimedBy).toBe('newbie');
  const res = { status: 0, writeHead(status: number) { this.status = status; }, setHeader() {}, end() {} };
  await boardHandler(bot.services)({ url: `/netbot/starter-bugs/${OWNER}/${REPO}.json`, method: 'GET' } as never, res as never);
  expect(res.status).toBe(404);
});
