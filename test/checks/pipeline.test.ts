import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runPipeline, type PipelineEvent, type PipelineInput, type SuiteToRun } from '../../src/checks/runner/pipeline.js';
import { sandboxAvailable } from '../../src/checks/runner/sandbox.js';
import { runnerSettings } from '../../src/checks/runner/settings.js';
import { failingCase, fixtureTarball, type FixtureOptions } from '../../bench/support/checks-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'netbot-pipeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// bubblewrap is a Debian package .ci/run installs: without it these skip locally, and fail under CI.
const runs = sandboxAvailable() || process.env.CI ? test : test.skip;

const SUITES: SuiteToRun[] = [
  { key: 'conformance-sqlite', suite: 'conformance', plugin: 'sqlite' },
  { key: 'conformance-journal', suite: 'conformance', plugin: 'journal' },
  { key: 'migrations', suite: 'migrations', plugin: null },
];

let scopeSeq = 0;
async function run(fixture: FixtureOptions | Buffer, over: Partial<PipelineInput> & { settingsDir?: string } = {}) {
  const tarball = Buffer.isBuffer(fixture) ? fixture : await fixtureTarball(fixture);
  const events: PipelineEvent[] = [];
  const asked: string[] = [];
  const result = await runPipeline({
    fetchTarball: async () => tarball,
    defaultBranchHas: async (blob) => {
      asked.push(blob);
      return true;
    },
    scope: `42-${++scopeSeq}`,
    suites: SUITES,
    settings: { ...runnerSettings({ NETBOT_CHECKS_DIR: over.settingsDir ?? join(dir, `own-${scopeSeq}`) }), timeoutMs: 20_000 },
    signal: new AbortController().signal,
    onEvent: (e) => void events.push(e),
    ...over,
  });
  return { ...result, events, asked, byKey: Object.fromEntries(result.outcomes.map((o) => [o.key, o])) };
}

describe('the runner over a fixture pull request tree (in the sandbox)', () => {
  runs('fetch, install, build, then each suite: a passing plugin, a failing one (with its case), and the migration test', async () => {
    const r = await run({ suites: { 'conformance:journal': { mode: 'report', fail: [failingCase('journal')] } } });
    expect(r.byKey['conformance-sqlite']).toMatchObject({ conclusion: 'success', title: '24 passed, 0 skipped', exitCode: 0 });
    expect(r.byKey['conformance-journal']).toMatchObject({ conclusion: 'failure', title: '1 failed, 23 passed, 0 skipped', exitCode: 1 });
    expect(r.byKey['conformance-journal']!.report!.cases.find((c) => c.status === 'failed')).toMatchObject({ id: failingCase('journal'), location: { path: 'src/netcore/conformance/cases/ipam.ts' } });
    expect(r.byKey.migrations).toMatchObject({ conclusion: 'success' });
    expect(r.events.filter((e) => e.kind === 'step').map((e) => `${(e as { step: string }).step} ${(e as { state: string }).state}`)).toEqual([
      'fetch started', 'fetch done', 'install started', 'install done', 'build started', 'build done',
    ]);
    expect(r.times.installCached).toBe(false);
  });

  runs('a second run of the same lockfile skips the install (the cache); the work folders are removed', async () => {
    const settingsDir = join(dir, 'shared-cache');
    const first = await run({}, { settingsDir });
    const second = await run({}, { settingsDir });
    expect(first.times.installCached).toBe(false);
    expect(second.times.installCached).toBe(true);
    expect(second.asked).toEqual([]); // a shared entry is there: no need to ask GitHub about the default branch
    expect(second.outcomes.map((o) => o.conclusion)).toEqual(['success', 'success', 'success']);
    expect(readdirSync(join(settingsDir, 'work'))).toEqual([]);
    expect(readdirSync(join(settingsDir, 'cache')).filter((e) => e.startsWith('shared-'))).toHaveLength(1);
  });

  runs("a lockfile the default branch lacks gets an entry of the pull request's own, which no other pull request uses", async () => {
    const settingsDir = join(dir, 'private-cache');
    const first = await run({}, { settingsDir, defaultBranchHas: async () => false, scope: '42-7' });
    const other = await run({}, { settingsDir, defaultBranchHas: async () => false, scope: '42-8' });
    const again = await run({}, { settingsDir, defaultBranchHas: async () => false, scope: '42-7' });
    expect([first.times.installCached, other.times.installCached, again.times.installCached]).toEqual([false, false, true]);
    expect(readdirSync(join(settingsDir, 'cache')).filter((e) => !e.startsWith('.')).sort()).toEqual([expect.stringMatching(/^pr-42-7-/), expect.stringMatching(/^pr-42-8-/)]);
  });

  describe('bad input ends every suite with a clear conclusion', () => {
    runs('not a tarball', async () => {
      const r = await run(Buffer.from('<html>Bad gateway</html>'));
      expect(r.outcomes.map((o) => o.conclusion)).toEqual(['failure', 'failure', 'failure']);
      expect(r.outcomes[0]).toMatchObject({ title: 'the head commit could not be unpacked', problem: expect.stringContaining('not a tarball') });
    });

    runs('the head commit is gone (the pull request or its branch was deleted mid-run): cancelled', async () => {
      const r = await run({}, { fetchTarball: async () => Promise.reject(Object.assign(new Error('Not Found'), { status: 404 })) });
      expect(r.outcomes.map((o) => o.conclusion)).toEqual(['cancelled', 'cancelled', 'cancelled']);
      expect(r.outcomes[0]!.title).toBe('the head commit is gone');
    });

    runs("a lockfile that does not install (out of step with package.json): the install fails with npm's own words", async () => {
      const r = await run({ dependencies: { 'left-pad': '^1.3.0' } }, { defaultBranchHas: async () => false });
      expect(r.outcomes.map((o) => o.conclusion)).toEqual(['failure', 'failure', 'failure']);
      expect(r.outcomes[0]).toMatchObject({ title: 'the dependencies did not install', problem: expect.stringMatching(/`npm ci` exited with status [1-9]/) });
      expect(r.outcomes[0]!.log).toMatch(/npm (error|ERR)/);
    });

    runs('a malformed report, a report that is not JSON, a silent suite', async () => {
      const r = await run({ suites: { 'conformance:sqlite': { mode: 'malformed' }, 'conformance:journal': { mode: 'not-json' }, migrations: { mode: 'silent' } } });
      expect(r.byKey['conformance-sqlite']).toMatchObject({ conclusion: 'failure', title: 'the report is malformed', problem: expect.stringContaining('`version`') });
      expect(r.byKey['conformance-journal']).toMatchObject({ conclusion: 'failure', title: 'the report is not JSON' });
      expect(r.byKey.migrations).toMatchObject({ conclusion: 'failure', title: 'the suite wrote no report', problem: expect.stringContaining('status 0') });
    });

    runs('a report that is a symlink to a file of the app is not read', async () => {
      const secret = join(dir, 'app-key.pem');
      await import('node:fs').then((fs) => fs.writeFileSync(secret, '-----BEGIN RSA PRIVATE KEY----- not for you'));
      const r = await run({ suites: { 'conformance:sqlite': { mode: 'symlink', target: secret } } });
      expect(r.byKey['conformance-sqlite']).toMatchObject({ conclusion: 'failure', title: 'the report could not be read', problem: expect.stringContaining('symbolic link') });
      expect(JSON.stringify(r.outcomes)).not.toContain('not for you');
    });

    runs('a suite that hangs is killed at the time limit; one that floods its output at the output limit', async () => {
      const settings = { ...runnerSettings({ NETBOT_CHECKS_DIR: join(dir, 'limits') }), timeoutMs: 1500, outputBytes: 256 * 1024 };
      const limited = await run({ suites: { 'conformance:sqlite': { mode: 'hang' }, 'conformance:journal': { mode: 'flood' } } }, { settings });
      expect(limited.byKey['conformance-sqlite']).toMatchObject({ conclusion: 'failure', title: 'the suite: timed out' });
      expect(limited.byKey['conformance-journal']).toMatchObject({ conclusion: 'failure', title: 'the suite: too much output' });
      expect(limited.byKey.migrations).toMatchObject({ conclusion: 'success' });
    });

    runs('cancelled mid-run (a new push): the running step is killed, the rest are cancelled', async () => {
      const abort = new AbortController();
      const r = await run(
        { suites: { 'conformance:sqlite': { mode: 'hang' } } },
        { signal: abort.signal, onEvent: (e) => void (e.kind === 'suite-started' && setTimeout(() => abort.abort(), 200)) },
      );
      expect(r.outcomes.map((o) => o.conclusion)).toEqual(['cancelled', 'cancelled', 'cancelled']);
      expect(existsSync(join(dir, `own-${scopeSeq}`, 'work'))).toBe(true);
      expect(readdirSync(join(dir, `own-${scopeSeq}`, 'work'))).toEqual([]);
    });
  });
});
