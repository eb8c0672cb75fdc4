import { describe, expect, test } from 'vitest';
import { runMigrationsSuite } from '../../../src/netcore/db/walk/index.js';
import { formatSummary, ReportSchema } from '../../../src/netcore/report.js';
import { MIGRATIONS } from '../../../src/netcore/db/migrations/index.js';
import { resolveTarget } from '../../../src/netcore/db/migrate.js';

describe('netcore migration test on the real history', () => {
  const report = runMigrationsSuite();

  test('every case passes', () => {
    const failed = report.cases.filter((c) => c.status !== 'passed');
    expect(failed, formatSummary(report)).toEqual([]);
  });

  test('the report is valid and covers every migration from every release, each single step, and each schema', () => {
    expect(ReportSchema.parse(report)).toEqual(report);
    const ids = report.cases.map((c) => c.id);
    for (const m of MIGRATIONS) {
      expect(ids).toContain(`coverage/${m.id}`);
      expect(ids).toContain(`walk/base/${m.id}`);
      expect(ids).toContain(`step/${m.id}`);
    }
    for (const start of ['base', 'folsom', 'grizzly', 'havana']) expect(ids).toContain(`walk/${start}/schema`);
    const afterHavana = MIGRATIONS.slice(resolveTarget('havana')).map((m) => `walk/havana/${m.id}`);
    expect(report.cases.filter((c) => c.id.startsWith('walk/havana/')).map((c) => c.id)).toEqual([...afterHavana, 'walk/havana/schema']);
  });

  test('each migration case points at the line that defines it', () => {
    const c = report.cases.find((x) => x.id === 'walk/base/havana_lbaas_session_persistence')!;
    expect(c.location).toMatchObject({ path: 'src/netcore/db/migrations/havana_lbaas_session_persistence.ts' });
    expect(c.location!.start_line).toBeLessThan(c.location!.end_line);
    const core = report.cases.find((x) => x.id === 'step/folsom_core')!;
    expect(core.location?.path).toBe('src/netcore/db/migrations/folsom_core.ts');
  });
});
