import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { defineCase } from '../../../src/netcore/conformance/case.js';
import { ALL_CASES } from '../../../src/netcore/conformance/cases/index.js';
import { runConformance } from '../../../src/netcore/conformance/runner.js';
import { createSqlitePlugin } from '../../../src/netcore/plugins/sqlite/index.js';
import { repoRoot } from '../../../src/netcore/report.js';

describe('the conformance suite', () => {
  test('has well over 60 cases with unique stable ids, covering every category', () => {
    expect(ALL_CASES.length).toBeGreaterThan(100);
    const ids = ALL_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/);
    const categories = new Set(ids.map((id) => id.split('.')[0]));
    for (const c of ['networks', 'subnets', 'ports', 'macs', 'ipam', 'ipv6', 'bulk', 'lists', 'isolation', 'segments', 'errors', 'services']) expect(categories).toContain(c);
  });

  test("each case's location is the line of its defineCase call, in its category's file", () => {
    for (const c of ALL_CASES) {
      expect(c.location, c.id).toBeDefined();
      const { path, start_line } = c.location!;
      expect(path).toMatch(/^src\/netcore\/conformance\/cases\/.+\.ts$/);
      const lines = readFileSync(join(repoRoot(), path), 'utf8').split('\n');
      expect(lines[start_line - 1], c.id).toContain('defineCase(');
      expect(lines[start_line], c.id).toContain(`id: '${c.id}'`);
    }
  });

  test('a case defined elsewhere (a vendor\'s own file) points there', () => {
    const own = defineCase({ id: 'vendor.own', title: 'own', run: async () => {} });
    expect(own.location?.path).toBe('test/netcore/conformance/suite.test.ts');
  });

  for (const name of ['sqlite', 'journal']) {
    test(`the ${name} plugin passes every case it declares the extensions for`, async () => {
      const { cases, groups } = await runConformance({ plugins: [{ name }] });
      const failed = cases.filter((c) => c.status === 'failed');
      expect(failed.map((c) => `${c.id}: ${c.message}`)).toEqual([]);
      expect(cases).toHaveLength(ALL_CASES.length);
      expect(groups[0]).toMatchObject({ name, failed: 0, passed: cases.filter((c) => c.status === 'passed').length });
      // services the plugin does not declare are skipped with the reason, not failed
      for (const c of cases.filter((x) => x.status === 'skipped')) expect(c.message).toMatch(new RegExp(`^needs extension .+, which plugin "${name}" does not declare$`));
      expect(cases.find((c) => c.id === `${name}/services.routers.lifecycle`)?.status).toBe('passed');
    });
  }

  test('a case that needs an extension runs once the plugin declares it, and is skipped otherwise', async () => {
    // declares router but serves no L3: its cases run, and fail
    const claimsRouter = async (opts: Parameters<typeof createSqlitePlugin>[0]) => Object.assign(await createSqlitePlugin(opts), { l3: undefined });
    // serves L3 but does not declare it: its cases are skipped
    const hidesRouter = async (opts: Parameters<typeof createSqlitePlugin>[0]) => {
      const p = await createSqlitePlugin(opts);
      return Object.assign(p, { extensions: p.extensions.filter((e) => e !== 'router') });
    };
    const cases = ALL_CASES.filter((c) => c.id.startsWith('services.routers.'));
    const run = await runConformance({ plugins: [{ name: 'claims-router', plugin: claimsRouter }, { name: 'hides-router', plugin: hidesRouter }], cases });
    const status = (plugin: string, id: string) => run.cases.find((c) => c.id === `${plugin}/${id}`)?.status;
    expect(status('claims-router', 'services.routers.lifecycle')).toBe('failed');
    expect(status('hides-router', 'services.routers.lifecycle')).toBe('skipped');
  });

  test('a plugin that cannot start fails as one case that names it', async () => {
    const { cases, groups } = await runConformance({ plugins: [{ name: 'broken', plugin: () => { throw new Error('no controller'); } }] });
    expect(cases).toEqual([expect.objectContaining({ id: 'broken/plugin.load', status: 'failed', message: expect.stringContaining('no controller') })]);
    expect(groups[0]).toMatchObject({ name: 'broken', failed: 1 });
  });

  test('a case that hangs fails on the time limit instead of stalling the run', async () => {
    const hang = defineCase({ id: 'vendor.hang', title: 'hangs', run: () => new Promise(() => {}) });
    const { cases } = await runConformance({ plugins: [{ name: 'sqlite' }], cases: [hang], timeoutMs: 50 });
    expect(cases[0]).toMatchObject({ status: 'failed', message: 'Error: timed out after 50 ms' });
  });
});
