import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { lockfileIds } from '../../src/checks/runner/cache.js';
import { sandboxAvailable } from '../../src/checks/runner/sandbox.js';
import { checksStoreFor } from '../../src/checks/store.js';
import { RUN_JOB } from '../../src/checks/start.js';
import { expectAllMocksUsed, type TestBot } from '../helpers/probot.js';
import { failingCase, FIXTURE_LOCKFILE, fixtureTarball } from '../../bench/support/checks-fixture.js';
import { api, checksBot, commentEvent, FakeChecks, mockDefaultLockfile, mockFiles, mockPermission, mockPull, mockTarball, NEW_SHA, OWNER, prEvent, REPO, REPO_ID, rerunEvent, SHA, suiteRerunEvent } from './github.js';

// The end-to-end tests run the fixture's suites in bubblewrap: skipped locally without it, failing under CI.
const e2e = sandboxAvailable() || process.env.CI ? test : test.skip;

const SQLITE = 'netbot / conformance (sqlite)';
const JOURNAL = 'netbot / conformance (journal)';
const MIGRATIONS = 'netbot / migrations';
const IPAM_CHANGE = ['src/netcore/ipam/pools.ts', 'docs/netcore.md'];

let bot: TestBot;
let checks: FakeChecks;
const clock = { now: new Date('2026-11-25T12:00:00Z') };

/** The bot with a config (default: plugins sqlite and journal) and the fake check runs API. */
async function start(yaml?: string) {
  clock.now = new Date('2026-11-25T12:00:00Z');
  bot = await checksBot({ clock, yaml });
  checks = new FakeChecks();
}

afterEach(async () => {
  await bot.services.close();
  rmSync(process.env.NETBOT_CHECKS_DIR!, { recursive: true, force: true });
  expectAllMocksUsed();
});

const journalFails = () => fixtureTarball({ suites: { 'conformance:journal': { mode: 'report', fail: [failingCase('journal')] } } });

describe('a trusted pull request', () => {
  beforeEach(() => start());
  e2e('queued at once (each summary saying why), skipped suites completed as skipped, then run: a passing plugin, a failing one with its annotation', async () => {
    mockFiles(2, IPAM_CHANGE);
    await bot.receive('pull_request', prEvent('opened'));
    expect(checks.runs.map((r) => [r.name, r.status, r.conclusion ?? null])).toEqual([
      [SQLITE, 'queued', null],
      [JOURNAL, 'queued', null],
      [MIGRATIONS, 'completed', 'skipped'],
    ]);
    expect(checks.latest(SQLITE).summary).toContain('the shared API, IPAM, segments or conformance code changed: `src/netcore/ipam/pools.ts`');
    expect(checks.latest(MIGRATIONS).summary).toMatch(/nothing this suite runs changed/);
    expect(await bot.services.jobs.counts(RUN_JOB)).toMatchObject({ queued: 1 });

    mockTarball(SHA, await journalFails());
    mockDefaultLockfile(lockfileIds(FIXTURE_LOCKFILE).blob);
    await bot.services.runner.drain();

    expect(checks.states(SQLITE)[0]).toBe('queued');
    expect(checks.states(SQLITE)).toContain('in_progress');
    expect(checks.latest(SQLITE)).toMatchObject({ conclusion: 'success', completions: 1, title: '24 passed, 0 skipped' });
    const journal = checks.latest(JOURNAL);
    expect(journal).toMatchObject({ conclusion: 'failure', completions: 1, title: '1 failed, 23 passed, 0 skipped' });
    expect(journal.summary).toContain(failingCase('journal').replace(/_/g, '\\_'));
    expect(journal.summary).toContain('IpAddressInUse');
    expect(journal.summary).toContain('npx netbot conformance --plugin journal');
    expect(journal.summary).toContain(`Commit \`${SHA.slice(0, 7)}\``);
    expect(journal.annotations).toEqual([expect.objectContaining({ path: 'src/netcore/conformance/cases/ipam.ts', annotation_level: 'failure', title: failingCase('journal'), message: expect.stringContaining('IpAddressInUse') })]);
    expect(await bot.services.jobs.counts(RUN_JOB)).toMatchObject({ done: 1, queued: 0, running: 0 });

    // Kept for the agenda's gate health.
    const health = await bot.services.readModels.gateHealth!(REPO_ID, new Date('2026-11-01'), new Date('2026-12-01'));
    expect(health).toEqual([
      { suite: 'conformance', plugin: 'journal', runs: 1, passed: 0, failed: 1, passRate: 0, flakyCases: [] },
      { suite: 'conformance', plugin: 'sqlite', runs: 1, passed: 1, failed: 0, passRate: 1, flakyCases: [] },
    ]);
  });

  test('a docs-only pull request: every suite completed as skipped at once, no job', async () => {
    mockFiles(2, ['docs/checks.md', 'README.md']);
    await bot.receive('pull_request', prEvent('opened'));
    expect(checks.runs.map((r) => [r.name, r.conclusion])).toEqual([
      [SQLITE, 'skipped'],
      [JOURNAL, 'skipped'],
      [MIGRATIONS, 'skipped'],
    ]);
    expect(checks.latest(SQLITE).title).toBe('Skipped: documentation only: `docs/checks.md`, `README.md`');
    expect(await bot.services.jobs.counts(RUN_JOB)).toMatchObject({ queued: 0 });
  });

  test('ready_for_review on a head that already has its runs makes none again', async () => {
    mockFiles(2, IPAM_CHANGE, 2);
    await bot.receive('pull_request', prEvent('opened'));
    await bot.receive('pull_request', prEvent('ready_for_review'));
    expect(checks.runs).toHaveLength(3);
  });
});

describe('an untrusted author', () => {
  beforeEach(() => start());
  const outsider = (p: any) => {
    p.pull_request.user.login = 'outsider';
    p.pull_request.author_association = 'FIRST_TIME_CONTRIBUTOR';
    p.sender.login = 'outsider';
  };

  test("a bot's pull request (dependabot) gets its runs too, waiting for approval, so a required check never blocks it unseen", async () => {
    mockFiles(2, IPAM_CHANGE); // (no permission lookup: an app's account is never a collaborator)
    await bot.receive(
      'pull_request',
      prEvent('opened', (p) => {
        p.pull_request.user = { ...p.pull_request.user, login: 'dependabot[bot]', type: 'Bot' };
        p.pull_request.author_association = 'NONE';
        p.sender = { ...p.sender, login: 'dependabot[bot]', type: 'Bot' };
      }),
    );
    expect(checks.runs.map((r) => [r.name, r.conclusion])).toEqual([
      [SQLITE, 'action_required'],
      [JOURNAL, 'action_required'],
      [MIGRATIONS, 'skipped'],
    ]);
  });

  e2e('runs nothing (action_required, saying who may approve and how) until a maintainer says /ok-to-test on that head; a new push needs it again', async () => {
    mockFiles(2, IPAM_CHANGE);
    mockPermission('outsider', null);
    await bot.receive('pull_request', prEvent('opened', outsider));
    expect(checks.runs.map((r) => [r.name, r.conclusion])).toEqual([
      [SQLITE, 'action_required'],
      [JOURNAL, 'action_required'],
      [MIGRATIONS, 'skipped'],
    ]);
    expect(checks.latest(SQLITE).summary).toContain('`/ok-to-test`');
    expect(checks.latest(SQLITE).summary).toContain('`ok-to-test` label');
    expect(checks.latest(SQLITE).summary).toMatch(/maintainer \(write access, or listed under `maintainers`\)/);
    expect(checks.latest(SQLITE).calls[0]!.details_url).toBe('https://github.com/Codertocat/Hello-World/pull/2');
    expect(await bot.services.jobs.counts(RUN_JOB)).toMatchObject({ queued: 0 });

    // Someone who is not a maintainer cannot approve.
    mockPermission('drive-by', 'read');
    let reply = '';
    api().post(`/repos/${OWNER}/${REPO}/issues/2/comments`, (b) => ((reply = b.body), true)).reply(201, { id: 71 });
    await bot.receive('issue_comment', commentEvent(2, '/ok-to-test', 'drive-by'));
    expect(reply).toMatch(/maintainers/);
    expect(checks.runs).toHaveLength(3);

    // A maintainer approves this head commit.
    mockPermission('core-dev', 'write');
    mockPull(2, outsider);
    mockFiles(2, IPAM_CHANGE);
    mockPermission('outsider', null);
    api().post(`/repos/${OWNER}/${REPO}/issues/2/comments`, (b) => ((reply = b.body), true)).reply(201, { id: 72 });
    await bot.receive('issue_comment', commentEvent(2, '/ok-to-test', 'core-dev'));
    expect(reply).toContain(`Approved commit \`${SHA.slice(0, 7)}\` for testing: running ${SQLITE}, ${JOURNAL}`);
    expect(checks.latest(SQLITE).status).toBe('queued');
    mockTarball(SHA, await fixtureTarball());
    mockDefaultLockfile(lockfileIds(FIXTURE_LOCKFILE).blob);
    await bot.services.runner.drain();
    expect([checks.latest(SQLITE).conclusion, checks.latest(JOURNAL).conclusion]).toEqual(['success', 'success']);

    // A new push of the untrusted author: approval again, and the label (if any) comes off.
    mockFiles(2, IPAM_CHANGE);
    mockPermission('outsider', null);
    api().delete(`/repos/${OWNER}/${REPO}/issues/2/labels/ok-to-test`).reply(200, []);
    await bot.receive('pull_request', prEvent('synchronize', (p) => (outsider(p), (p.pull_request.head.sha = NEW_SHA), (p.pull_request.labels = [{ name: 'ok-to-test' }]))));
    expect([checks.latest(SQLITE, NEW_SHA).conclusion, checks.latest(JOURNAL, NEW_SHA).conclusion]).toEqual(['action_required', 'action_required']);
  });


  test('the ok-to-test label from a maintainer approves the head commit', async () => {
    mockFiles(2, IPAM_CHANGE, 2);
    mockPermission('outsider', null);
    await bot.receive('pull_request', prEvent('opened', outsider));
    mockPermission('core-dev', 'write');
    mockPermission('outsider', null);
    await bot.receive('pull_request', prEvent('labeled', (p) => (outsider(p), (p.label = { name: 'ok-to-test' }), (p.sender.login = 'core-dev'))));
    expect(checks.named(SQLITE).map((r) => r.conclusion ?? r.status)).toEqual(['action_required', 'queued']);
    expect(await checksStoreFor(bot.services).approvedBy(REPO_ID, 2, SHA)).toBe('core-dev');
  });
});

describe('the queue', () => {
  beforeEach(() => start());
  e2e('a new push cancels the old head\'s runs and job; only the new head is fetched', async () => {
    mockFiles(2, IPAM_CHANGE, 2);
    await bot.receive('pull_request', prEvent('opened'));
    await bot.receive('pull_request', prEvent('synchronize', (p) => (p.pull_request.head.sha = NEW_SHA)));
    expect([checks.latest(SQLITE).conclusion, checks.latest(JOURNAL).conclusion, checks.latest(MIGRATIONS).conclusion]).toEqual(['cancelled', 'cancelled', 'skipped']);
    expect(checks.latest(SQLITE).title).toBe(`Cancelled: superseded by ${NEW_SHA.slice(0, 7)}`);
    expect(await bot.services.jobs.counts(RUN_JOB)).toMatchObject({ cancelled: 1, queued: 1 });
    mockTarball(NEW_SHA, await fixtureTarball());
    mockDefaultLockfile(lockfileIds(FIXTURE_LOCKFILE).blob);
    await bot.services.runner.drain();
    expect([checks.latest(SQLITE, NEW_SHA).conclusion, checks.latest(JOURNAL, NEW_SHA).conclusion]).toEqual(['success', 'success']);
    expect(checks.latest(SQLITE).completions).toBe(1);
  });

  e2e('a worker that died mid-run: its job is taken over once the lease runs out, and each run completes once', async () => {
    mockFiles(2, IPAM_CHANGE);
    await bot.receive('pull_request', prEvent('opened'));
    // The dead worker claimed the job and started the runs, then vanished (no heartbeat, no outcome).
    const claimed = await bot.services.jobs.claim('dead-worker', 60_000, [RUN_JOB]);
    expect(claimed).toBeDefined();
    const store = checksStoreFor(bot.services);
    for (const id of (claimed!.payload as { runIds: number[] }).runIds) await store.start(id);
    await bot.services.runner.drain();
    expect(checks.latest(SQLITE).status).toBe('queued'); // still held by the dead worker's lease

    clock.now = new Date(clock.now.getTime() + 61_000);
    mockTarball(SHA, await fixtureTarball());
    mockDefaultLockfile(lockfileIds(FIXTURE_LOCKFILE).blob);
    await bot.services.runner.drain();
    expect([checks.latest(SQLITE).completions, checks.latest(JOURNAL).completions]).toEqual([1, 1]);
    expect(checks.latest(SQLITE).conclusion).toBe('success');
    expect(await bot.services.jobs.get(claimed!.id)).toMatchObject({ state: 'done', attempts: 2 });
    await bot.services.runner.drain();
    expect(checks.runs).toHaveLength(3);
  });

  test('a pull request closed before its run: the runs end as cancelled, nothing is fetched', async () => {
    mockFiles(2, IPAM_CHANGE);
    await bot.receive('pull_request', prEvent('opened'));
    await bot.receive('pull_request', prEvent('closed', (p) => (p.pull_request.state = 'closed')));
    expect([checks.latest(SQLITE).conclusion, checks.latest(JOURNAL).conclusion]).toEqual(['cancelled', 'cancelled']);
    expect(checks.latest(SQLITE).title).toBe('Cancelled: the pull request was closed');
    await bot.services.runner.drain();
    expect(await bot.services.jobs.counts(RUN_JOB)).toMatchObject({ cancelled: 1, queued: 0 });
  });

  e2e('a pull request deleted mid-run (no tarball any more): every run ends as cancelled, none left queued', async () => {
    mockFiles(2, IPAM_CHANGE);
    await bot.receive('pull_request', prEvent('opened'));
    api().get(`/repos/${OWNER}/${REPO}/tarball/${SHA}`).reply(404, { message: 'Not Found' });
    await bot.services.runner.drain();
    expect(checks.runs.map((r) => r.conclusion)).toEqual(['cancelled', 'cancelled', 'skipped']);
    expect(checks.latest(SQLITE).title).toBe('the head commit is gone');
  });
});

describe('again: Re-run, Re-run all, /retest, and what the store remembers', () => {
  beforeEach(() => start());
  e2e('a rerun after a failure says which failed cases are new and which are known flakes; a fail-then-pass on one commit is a flake', async () => {
    mockFiles(2, IPAM_CHANGE);
    await bot.receive('pull_request', prEvent('opened'));
    mockTarball(SHA, await journalFails());
    mockDefaultLockfile(lockfileIds(FIXTURE_LOCKFILE).blob);
    await bot.services.runner.drain();
    expect(checks.latest(JOURNAL).conclusion).toBe('failure');

    // /retest by the author: its reply says the case never failed before.
    let reply = '';
    api().post(`/repos/${OWNER}/${REPO}/issues/2/comments`, (b) => ((reply = b.body), true)).reply(201, { id: 73 });
    mockPermission('outsider', null);
    await bot.receive('issue_comment', commentEvent(2, '/retest', 'outsider', 'vendor-dev'));
    expect(reply).toContain("is for the pull request's author and maintainers, so I did nothing"); // neither the author (vendor-dev) nor a maintainer
    mockPull(2);
    mockFiles(2, IPAM_CHANGE);
    api().post(`/repos/${OWNER}/${REPO}/issues/2/comments`, (b) => ((reply = b.body), true)).reply(201, { id: 74 });
    await bot.receive('issue_comment', commentEvent(2, '/retest', 'vendor-dev', 'vendor-dev'));
    expect(reply).toContain(`Running ${SQLITE}, ${JOURNAL} again`);
    expect(reply).toContain(`never failed before here: \`${failingCase('journal').replace(/_/g, '\\_')}\``);
    expect(checks.named(JOURNAL).map((r) => r.conclusion ?? r.status)).toEqual(['failure', 'queued']);
    expect(checks.latest(JOURNAL).summary).toContain('never failed before here');

    // The rerun passes: the case failed, then passed on the same commit: a flake.
    mockTarball(SHA, await fixtureTarball());
    await bot.services.runner.drain();
    expect(checks.latest(JOURNAL).conclusion).toBe('success');
    const health = await bot.services.readModels.gateHealth!(REPO_ID, new Date('2026-11-01'), new Date('2026-12-01'));
    expect(health.find((h) => h.plugin === 'journal')).toEqual({ suite: 'conformance', plugin: 'journal', runs: 2, passed: 1, failed: 1, passRate: 0.5, flakyCases: [{ id: failingCase('journal'), flakes: 1 }] });

    // It fails again; "Re-run" on that check run: the queued run says the case is a known flake.
    mockFiles(2, IPAM_CHANGE);
    mockPull(2);
    await bot.receive('check_run', rerunEvent(checks.latest(JOURNAL).id));
    mockTarball(SHA, await journalFails());
    await bot.services.runner.drain();
    expect(checks.latest(JOURNAL).conclusion).toBe('failure');
    expect(checks.latest(JOURNAL).summary).toContain('Known to be flaky here');
    mockFiles(2, IPAM_CHANGE);
    mockPull(2);
    await bot.receive('check_run', rerunEvent(checks.latest(JOURNAL).id));
    expect(checks.latest(JOURNAL).summary).toContain('known to be flaky here');
    expect(checks.named(SQLITE)).toHaveLength(2); // Re-run of one check run reruns that suite only
  });

  test('"Re-run all checks" on a fork\'s suite (no pull request named) finds the pull request by its head commit', async () => {
    mockFiles(2, ['docs/x.md']);
    await bot.receive('pull_request', prEvent('opened'));
    mockPull(2);
    mockFiles(2, IPAM_CHANGE);
    await bot.receive('check_suite', suiteRerunEvent({ fork: true }));
    expect(checks.named(SQLITE).map((r) => r.conclusion ?? r.status)).toEqual(['skipped', 'queued']);
    expect(checks.latest(SQLITE).calls[0]!.output.summary).toContain('re-run by vendor-dev');
  });
});

describe('config', () => {
  test('trusted by checks.trustedAuthors', async () => {
    await start('checks:\n  plugins: [sqlite]\n  trustedAuthors: [outsider]\n');
    mockFiles(2, IPAM_CHANGE);
    await bot.receive('pull_request', prEvent('opened', (p) => ((p.pull_request.user.login = 'outsider'), (p.pull_request.author_association = 'NONE'))));
    expect(checks.latest(SQLITE).status).toBe('queued');
  });

  test('checks.enabled: false: nothing at all', async () => {
    await start('checks:\n  enabled: false\n');
    await bot.receive('pull_request', prEvent('opened'));
    expect(checks.runs).toEqual([]);
  });

  test('a repository with no checks config runs the defaults (sqlite and the migration test)', async () => {
    await start('maintainers: [core-dev]\n');
    mockFiles(2, ['src/netcore/db/migrations/icehouse_ipv6_modes.ts']);
    await bot.receive('pull_request', prEvent('opened'));
    expect(checks.runs.map((r) => [r.name, r.conclusion ?? r.status])).toEqual([
      [SQLITE, 'skipped'],
      [MIGRATIONS, 'queued'],
    ]);
  });

  test('a vendor plugin repository (checks.pluginPackage: .) has one conformance run, of its own package', async () => {
    await start('checks:\n  pluginPackage: .\n');
    mockFiles(2, ['index.js', 'package.json']);
    await bot.receive('pull_request', prEvent('opened'));
    expect(checks.runs.map((r) => [r.name, r.status])).toEqual([['netbot / conformance (plugin)', 'queued']]);
    expect(checks.latest('netbot / conformance (plugin)').summary).toContain('tested against netcore&#39;s conformance suite');
  });
});
