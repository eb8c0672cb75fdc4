import nock from 'nock';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { parsePullArg, registerChecksCli } from '../../src/checks/cli.js';
import { sandboxAvailable } from '../../src/checks/runner/sandbox.js';
import { mockConfig } from '../helpers/probot.js';
import { runCli } from '../netcore/helpers.js';
import { failingCase, fixtureTarball } from '../../bench/support/checks-fixture.js';
import { mockFiles, mockPull, mockTarball, OWNER, REPO, SHA } from './github.js';

const e2e = sandboxAvailable() || process.env.CI ? test : test.skip;
let dir: string;

beforeEach(() => {
  nock.disableNetConnect();
  dir = mkdtempSync(join(tmpdir(), 'netbot-checks-cli-'));
  vi.stubEnv('GITHUB_TOKEN', 'ghp_test');
  vi.stubEnv('NETBOT_CHECKS_DIR', dir);
  mockConfig(OWNER, REPO, 'checks:\n  plugins: [sqlite, journal]\n');
  mockPull(2);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const netbot = (...args: string[]) => runCli(registerChecksCli, ...args);

describe('netbot checks', () => {
  test('plan owner/repo#N prints each suite, run or skipped, with its reason, and the trust decision', async () => {
    mockFiles(2, ['src/netcore/plugins/journal/sync.ts']);
    const r = await netbot('checks', 'plan', `${OWNER}/${REPO}#2`);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      `${OWNER}/${REPO}#2 at ${SHA.slice(0, 7)} (1 changed files)`,
      "  skip  netbot / conformance (sqlite): nothing this suite runs changed (no shared code nor this plugin's folder)",
      "  run   netbot / conformance (journal): the plugin's own folder changed: src/netcore/plugins/journal/sync.ts",
      '  skip  netbot / migrations: nothing this suite runs changed (no migration, model or walk fixture)',
      'trust: @vendor-dev is a member of the repository',
    ]);
  });

  e2e('run owner/repo#N runs the planned suites here, in the sandbox, prints their reports, and exits 1 on a failure', async () => {
    mockFiles(2, ['src/netcore/ipam/pools.ts']);
    mockTarball(SHA, await fixtureTarball({ suites: { 'conformance:journal': { mode: 'report', fail: [failingCase('journal')] } } }));
    const r = await netbot('checks', 'run', `${OWNER}/${REPO}#2`, '--no-progress');
    expect(r.out).toContain('netbot / conformance (sqlite): success (24 passed, 0 skipped)');
    expect(r.out).toContain('netbot / conformance (journal): failure (1 failed, 23 passed, 0 skipped)');
    expect(r.out).toContain(`FAIL ${failingCase('journal')} (src/netcore/conformance/cases/ipam.ts:`);
    expect(r.out).not.toContain('netbot / migrations: success');
    expect(r.code).toBe(1);
  });

  test('a bad argument is a clear error', () => {
    expect(() => parsePullArg('netcore/netcore')).toThrow('expected owner/repo#N (a pull request), got "netcore/netcore"');
    expect(parsePullArg('netcore/netcore#12')).toEqual({ owner: 'netcore', repo: 'netcore', number: 12 });
    nock.cleanAll();
  });
});
