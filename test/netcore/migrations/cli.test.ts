import type { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { registerNetcoreDb } from '../../../src/netcore/cli/db.js';
import { registerMigrationsTest } from '../../../src/netcore/cli/migrations.js';
import { openDatabase } from '../../../src/netcore/db/connection.js';
import { resolveTarget, VERSION_TABLE } from '../../../src/netcore/db/migrate.js';
import { MIGRATIONS } from '../../../src/netcore/db/migrations/index.js';
import { runCli } from '../helpers.js';
import { readReport } from '../../../src/netcore/report.js';

const dir = mkdtempSync(join(tmpdir(), 'netcore-db-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

/** Runs `netbot <args>` in-process. */
function commands(program: Command): void {
  registerNetcoreDb(program.command('netcore'));
  registerMigrationsTest(program);
}
const netbot = (...args: string[]) => runCli(commands, ...args);

describe('netbot netcore db', () => {
  const file = join(dir, 'netcore.sqlite');

  test('current on a missing file is base, and does not create it', async () => {
    expect((await netbot('netcore', 'db', 'current', '--db', join(dir, 'none.sqlite'))).out).toBe(`current: base (empty database), ${MIGRATIONS.length} migration(s) pending`);
    expect(() => readFileSync(join(dir, 'none.sqlite'))).toThrow();
  });

  test('upgrade --to a release, then current and history', async () => {
    const up = await netbot('netcore', 'db', 'upgrade', '--to', 'grizzly', '--db', file);
    const pending = MIGRATIONS.length - resolveTarget('grizzly');
    const applied = ['folsom_core (folsom)', 'folsom_l3 (folsom)', 'grizzly_securitygroups (grizzly)', 'grizzly_lbaas (grizzly)'];
    expect(up.out.replace(/ in \d+ ms/g, '')).toBe([...applied.map((a) => `applied ${a}`), `current: grizzly_lbaas (grizzly), ${pending} migration(s) pending`].join('\n'));
    expect((await netbot('netcore', 'db', 'current', '--db', file)).out).toBe(`current: grizzly_lbaas (grizzly), ${pending} migration(s) pending`);
    const history = (await netbot('netcore', 'db', 'history', '--db', file)).out.split('\n');
    expect(history[0]).toBe('folsom:');
    expect(history[1]).toMatch(/^ {2}\[x\] folsom_core +applied \d{4}-\d\d-\d\dT[\d:.]+Z +networks, network segments/);
    expect(history).toContain('havana:');
    expect(history.find((l) => l.includes('havana_router_ports'))).toMatch(/^ {2}\[ \] havana_router_ports +pending +routerports, filled from the ports each router owns$/);
    expect(history.filter((l) => l.includes('[x]'))).toHaveLength(resolveTarget('grizzly'));
  });

  test('upgrade to head, then nothing to do', async () => {
    const head = `${MIGRATIONS.at(-1)!.id} (${MIGRATIONS.at(-1)!.release})`;
    expect((await netbot('netcore', 'db', 'upgrade', '--db', file)).out.replace(/ in \d+ ms/g, '')).toMatch(new RegExp(`applied ${head.replace(/[()]/g, '\\$&')}\ncurrent: ${head.replace(/[()]/g, '\\$&')} \\(head\\)$`));
    expect((await netbot('netcore', 'db', 'upgrade', '--db', file)).out).toBe(`nothing to do\ncurrent: ${head} (head)`);
  });

  test('a bad target and a newer database are errors with exit status 1, and the file is not changed', async () => {
    expect(await netbot('netcore', 'db', 'upgrade', '--to', 'kilo', '--db', file)).toMatchObject({ code: 1, err: expect.stringContaining('unknown target "kilo"') });
    const db = openDatabase(file);
    db.prepare(`INSERT INTO ${VERSION_TABLE} (seq, id, applied_at) VALUES (99, 'kilo_future', '2015-04-30T00:00:00Z')`).run();
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = readFileSync(file);
    for (const cmd of ['upgrade', 'current', 'history']) {
      const r = await netbot('netcore', 'db', cmd, '--db', file);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^netcore db: database has 1 migration\(s\) this netcore does not know: kilo_future/);
    }
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

describe('netbot migrations test', () => {
  test('prints a summary table, writes a valid JSON report and exits 0 when all pass', async () => {
    const json = join(dir, 'reports', 'migrations.json');
    const r = await netbot('migrations', 'test', '--json', json);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/group +passed +failed +skipped +time/);
    expect(r.out).toMatch(/walk from base +\d+ +0 +0/);
    const report = readReport(json);
    expect(report).toMatchObject({ suite: 'migrations', tool: 'netbot', summary: { failed: 0, skipped: 0 } });
    expect(report.summary.passed).toBe(report.cases.length);
    expect(report.groups?.map((g) => g.name)).toEqual(['coverage', 'walk from base', 'walk from folsom', 'walk from grizzly', 'walk from havana', 'steps']);
  });
});
