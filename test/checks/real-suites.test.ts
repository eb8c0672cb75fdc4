import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { DependencyCache, lockfileIds } from '../../src/checks/runner/cache.js';
import { runPipeline } from '../../src/checks/runner/pipeline.js';
import { sandboxAvailable } from '../../src/checks/runner/sandbox.js';
import { runnerSettings } from '../../src/checks/runner/settings.js';
import { tarOf } from '../../bench/support/checks-fixture.js';

const runs = sandboxAvailable() || process.env.CI ? test : test.skip;
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'netbot-real-suites-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * This repository's own tree (what `npm run build` and the suites need: src/, bin/, the package and tsconfig
 * files), as GitHub's tarball API would serve it, through the whole runner: build (tsc) and the real suites in the
 * sandbox. Its dependencies come from a cache entry seeded with this checkout's node_modules (the lockfile is the
 * same), as a warm runner has them: a cold `npm ci` would compile better-sqlite3 for a minute.
 */
runs('the real conformance suite (both plugins) and migration test over this repository\'s own tree, built in the sandbox', { timeout: 120_000 }, async () => {
  const prefix = 'netcore-netbot-abc1234';
  const listed = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root }).toString().split('\n');
  const wanted = listed.filter((f) => /^(src\/|bin\/|package\.json$|package-lock\.json$|tsconfig(\.build)?\.json$)/.test(f));
  for (const file of wanted) {
    mkdirSync(dirname(join(dir, prefix, file)), { recursive: true });
    cpSync(join(root, file), join(dir, prefix, file));
  }
  const tarball = await tarOf(dir, prefix);
  const settings = { ...runnerSettings({ NETBOT_CHECKS_DIR: join(dir, 'runner') }), timeoutMs: 110_000 };
  const key = DependencyCache.sharedKey(lockfileIds(readFileSync(join(root, 'package-lock.json'), 'utf8')).sha256);
  mkdirSync(join(settings.dir, 'cache', key), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(settings.dir, 'cache', key, 'node_modules'));

  const { outcomes, times } = await runPipeline({
    fetchTarball: async () => tarball,
    defaultBranchHas: async () => true,
    scope: '1-1',
    suites: [
      { key: 'sqlite', suite: 'conformance', plugin: 'sqlite' },
      { key: 'journal', suite: 'conformance', plugin: 'journal' },
      { key: 'migrations', suite: 'migrations', plugin: null },
    ],
    settings,
    signal: new AbortController().signal,
  });
  const [sqlite, journal, migrations] = outcomes;
  expect(times.installCached).toBe(true);
  expect(times.buildMs).toBeGreaterThan(0);
  expect(outcomes.map((o) => [o.key, o.conclusion, o.problem ?? ''])).toEqual([
    ['sqlite', 'success', ''],
    ['journal', 'success', ''],
    ['migrations', 'success', ''],
  ]);
  expect(sqlite!.report!.cases.length).toBeGreaterThan(100);
  expect(sqlite!.report!.cases[0]!.location!.path).toMatch(/^src\/netcore\/conformance\/cases\//);
  expect(journal!.report!.groups![0]!.name).toBe('journal');
  expect(migrations!.report!.suite).toBe('migrations');
  expect(migrations!.report!.cases.length).toBeGreaterThan(5);
});
