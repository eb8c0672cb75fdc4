import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { registerConformance } from '../../../src/netcore/cli/conformance.js';
import { ALL_CASES } from '../../../src/netcore/conformance/cases/index.js';
import { runCli } from '../helpers.js';
import { readReport, repoRoot } from '../../../src/netcore/report.js';

const dir = mkdtempSync(join(tmpdir(), 'netcore-conformance-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Progress output is one line per plugin when stdout is not a terminal (CI logs); pin that down.
const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
beforeEach(() => {
  Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
});
afterEach(() => {
  if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
  else delete (process.stdout as { isTTY?: boolean }).isTTY;
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

/** Runs `netbot <args>` in-process. */
const netbot = (...args: string[]) => runCli(registerConformance, ...args);

const networkCases = ALL_CASES.filter((c) => c.id.startsWith('networks.'));
const DEFECTIVE = './test/netcore/conformance/defective-plugin.ts';
const CORE_ONLY = './test/netcore/conformance/core-only-plugin.ts';

describe('netbot conformance', () => {
  test('--plugin sqlite --case networks. passes, prints progress and the table, and writes a valid report', async () => {
    const json = join(dir, 'reports', 'sqlite.json');
    const r = await netbot('conformance', '--plugin', 'sqlite', '--case', 'networks.', '--json', json);
    expect(r.code).toBe(0);
    const n = networkCases.length;
    expect(r.out).toMatch(new RegExp(`^sqlite: ${n} passed, 0 failed, 0 skipped \\(\\d+\\.\\d\\ds\\)$`, 'm'));
    expect(r.out).toMatch(/^group +passed +failed +skipped +time$/m);
    expect(r.out).toMatch(new RegExp(`^sqlite +${n} +0 +0 +\\d+\\.\\d\\ds$`, 'm'));
    expect(r.out).toMatch(new RegExp(`^total +${n} +0 +0 +\\d+\\.\\d\\ds$`, 'm'));
    expect(r.out).not.toContain('FAIL');
    expect(r.out).toContain(`report: ${json}`);

    const report = readReport(json);
    expect(report).toMatchObject({ suite: 'conformance', tool: 'netbot', summary: { passed: n, failed: 0, skipped: 0 } });
    expect(report.groups).toEqual([expect.objectContaining({ name: 'sqlite', passed: n, failed: 0, skipped: 0, note: expect.stringMatching(/^extensions: /) })]);
    expect(report.cases.map((c) => c.id)).toEqual(networkCases.map((c) => `sqlite/${c.id}`));
    for (const c of report.cases) {
      expect(c).toMatchObject({ group: 'sqlite', status: 'passed', location: { path: 'src/netcore/conformance/cases/networks.ts' } });
      expect(c.duration_ms).toBeGreaterThan(0);
      // the location is the defineCase call of that very case
      const lines = readFileSync(join(repoRoot(), c.location!.path), 'utf8').split('\n');
      expect(lines[c.location!.start_line], c.id).toContain(`id: '${c.id.slice('sqlite/'.length)}'`);
    }
  });

  test('a skipped service case is reported with its reason and does not fail the run', async () => {
    const json = join(dir, 'skips.json');
    const r = await netbot('conformance', '--plugin', CORE_ONLY, '--case', 'services.routers.', '--json', json);
    expect(r.code).toBe(0);
    const report = readReport(json);
    expect(report.summary).toMatchObject({ passed: 0, failed: 0 });
    expect(report.summary.skipped).toBeGreaterThan(0);
    for (const c of report.cases) expect(c).toMatchObject({ status: 'skipped', message: expect.stringMatching(/^needs extension router(, [a-z-]+)*, which plugin ".+core-only-plugin.ts" does not declare$/) });
  });

  test('a defective plugin loaded by path exits 1, and the table and the report name the failed case and where it is', async () => {
    const json = join(dir, 'defective.json');
    const r = await netbot('conformance', '--plugin', DEFECTIVE, '--case', 'networks.', '--json', json);
    expect(r.code).toBe(1);
    // the default defect: a network in use is NetworkBusy instead of NetworkInUse
    const id = `${DEFECTIVE}/networks.delete.in_use`;
    const loc = networkCases.find((c) => c.id === 'networks.delete.in_use')!.location!;
    expect(r.out).toMatch(new RegExp(`^${DEFECTIVE.replace(/\./g, '\\.')}: ${networkCases.length - 1} passed, 1 failed, 0 skipped`, 'm'));
    expect(r.out).toContain('1 failed:');
    expect(r.out).toContain(`  FAIL ${id} (src/netcore/conformance/cases/networks.ts:${loc.start_line})`);
    expect(r.out).toMatch(/expected 409 NetworkInUse, got 409 NetworkBusy/);
    const report = readReport(json);
    expect(report.summary).toEqual({ passed: networkCases.length - 1, failed: 1, skipped: 0 });
    expect(report.cases.filter((c) => c.status === 'failed')).toEqual([
      expect.objectContaining({ id, location: loc, message: expect.stringContaining('NetworkBusy') }),
    ]);
  });

  test('--config hands pluginOptions to the plugin (here: which defect to have)', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ pluginOptions: { defect: 'ignores-sort' } }));
    const r = await netbot('conformance', '--plugin', DEFECTIVE, '--case', 'lists.sort.', '--config', config);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAIL ${DEFECTIVE}/lists.sort.single_key`);
    expect(r.out).toContain(`FAIL ${DEFECTIVE}/lists.sort.multi_key`);
  });

  test('--plugin does-not-exist exits 1, counts the load failure in its progress line and names plugin.load', async () => {
    const json = join(dir, 'missing.json');
    const r = await netbot('conformance', '--plugin', 'does-not-exist', '--plugin', 'sqlite', '--case', 'networks.show', '--json', json);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^does-not-exist: 0 passed, 1 failed, 0 skipped \(\d+\.\d\ds\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^sqlite: 2 passed, 0 failed, 0 skipped/));
    expect(lines).toContainEqual(expect.stringMatching(/^does-not-exist +0 +1 +0 /));
    expect(lines).toContainEqual(expect.stringMatching(/^total +2 +1 +0 /));
    expect(r.out).toContain('  FAIL does-not-exist/plugin.load');
    expect(r.out).toMatch(/plugin "does-not-exist" could not be started: netcore plugin "does-not-exist" could not be loaded \(known: [^)]*journal, sqlite\)/);
    const report = readReport(json);
    expect(report.cases[0]).toMatchObject({ id: 'does-not-exist/plugin.load', group: 'does-not-exist', status: 'failed' });
    expect(report.groups?.[0]).toMatchObject({ name: 'does-not-exist', failed: 1, note: expect.stringContaining('could not be started') });
  });

  test('without --json no report line is printed, and a failed run still prints the table', async () => {
    const r = await netbot('conformance', '--plugin', 'does-not-exist');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^group +passed +failed +skipped +time$/m);
    expect(r.out).not.toContain('report:');
  });
});
