import { describe, expect, test } from 'vitest';
import { checksConfigSchema } from '../../src/checks/config.js';
import { planChecks } from '../../src/checks/plan.js';
import { decideTrust } from '../../src/checks/trust.js';

const config = checksConfigSchema.parse({ plugins: ['sqlite', 'journal'] });
const plan = (files: string[], opts: { truncated?: boolean } = {}) => planChecks(files, config, opts);
const runs = (files: string[]) => Object.fromEntries(plan(files).suites.map((s) => [s.name, s.run]));
const SQLITE = 'netbot / conformance (sqlite)';
const JOURNAL = 'netbot / conformance (journal)';
const MIGRATIONS = 'netbot / migrations';

// Changed-file lists shaped like netcore's real pull requests (paths from this repository's tree).
describe('the plan, from the changed files', () => {
  test("a plugin's folder runs that plugin's conformance only", () => {
    const p = plan(['src/netcore/plugins/journal/sync.ts', 'src/netcore/plugins/journal/controller.ts', 'test/netcore/journal.test.ts']);
    expect(Object.fromEntries(p.suites.map((s) => [s.name, s.run]))).toEqual({ [SQLITE]: false, [JOURNAL]: true, [MIGRATIONS]: false });
    expect(p.suites.find((s) => s.name === JOURNAL)!.reasons).toEqual(["the plugin's own folder changed: `src/netcore/plugins/journal/sync.ts`, `src/netcore/plugins/journal/controller.ts`"]);
    expect(p.suites.find((s) => s.name === SQLITE)!.reasons[0]).toMatch(/^nothing this suite runs changed \(outside netcore: `test\/netcore\/journal.test.ts`\)/);
  });

  test('the shared API, IPAM, segments or conformance code runs every plugin', () => {
    for (const file of ['src/netcore/api/ports.ts', 'src/netcore/ipam/pools.ts', 'src/netcore/segments/allocator.ts', 'src/netcore/conformance/cases/ipam.ts']) {
      expect(runs([file]), file).toEqual({ [SQLITE]: true, [JOURNAL]: true, [MIGRATIONS]: false });
    }
  });

  test('a migration, the walk fixtures or the migration tests run the migration test; the connection runs everything', () => {
    expect(runs(['src/netcore/db/migrations/icehouse_ipv6_modes.ts', 'src/netcore/db/migrations/index.ts'])).toEqual({ [SQLITE]: false, [JOURNAL]: false, [MIGRATIONS]: true });
    expect(runs(['src/netcore/db/walk/fixtures/havana.ts'])).toEqual({ [SQLITE]: false, [JOURNAL]: false, [MIGRATIONS]: true });
    expect(runs(['test/netcore/migrations/runner.test.ts'])).toEqual({ [SQLITE]: false, [JOURNAL]: false, [MIGRATIONS]: true });
    expect(runs(['src/netcore/db/connection.ts'])).toEqual({ [SQLITE]: true, [JOURNAL]: true, [MIGRATIONS]: true });
  });

  test('documentation only runs nothing, and says so', () => {
    const p = plan(['docs/conformance.md', 'README.md', 'src/netcore/README.md']);
    expect(p.suites.every((s) => !s.run)).toBe(true);
    expect(p.suites[0]!.reasons).toEqual(['documentation only: `docs/conformance.md`, `README.md`, `src/netcore/README.md`']);
  });

  test("the app's own code (triage, routing) runs nothing of netcore", () => {
    expect(runs(['src/triage/lhf.ts', 'templates/triage/welcome.md.njk'])).toEqual({ [SQLITE]: false, [JOURNAL]: false, [MIGRATIONS]: false });
  });

  test('dependencies or the build run everything', () => {
    expect(runs(['package-lock.json'])).toEqual({ [SQLITE]: true, [JOURNAL]: true, [MIGRATIONS]: true });
  });

  test("a plugin not in checks.plugins is named in the skip reason", () => {
    expect(plan(['src/netcore/plugins/ovs/index.ts']).suites[0]!.reasons[0]).toContain('plugin ovs, not in checks.plugins: `src/netcore/plugins/ovs/index.ts`');
  });

  test('a long list is named in part, with a count; a truncated list (3000 files) runs everything', () => {
    const files = Array.from({ length: 40 }, (_, i) => `src/netcore/api/file${i}.ts`);
    expect(plan(files).suites[0]!.reasons[0]).toBe('the shared API, IPAM, segments or conformance code changed: `src/netcore/api/file0.ts`, `src/netcore/api/file1.ts`, `src/netcore/api/file2.ts` and 37 more');
    expect(plan(['docs/a.md'], { truncated: true }).suites.every((s) => s.run)).toBe(true);
  });

  test('a file name cannot break out of its code span nor mention anyone', () => {
    const reason = plan(['src/netcore/api/`@admin`.ts']).suites[0]!.reasons[0]!;
    expect(reason).toContain("'@\u200dadmin'");
    expect(reason).not.toContain('@admin');
  });

  test('a vendor plugin repository (checks.pluginPackage: .): its conformance on any change but docs', () => {
    const vendor = checksConfigSchema.parse({ pluginPackage: '.' });
    expect(planChecks(['lib/ports.js', 'docs/x.md'], vendor).suites).toEqual([expect.objectContaining({ name: 'netbot / conformance (plugin)', plugin: '.', run: true })]);
    expect(planChecks(['README.md'], vendor).suites[0]).toMatchObject({ run: false, reasons: ['documentation only: `README.md`'] });
  });

  test('pluginPackage must be a folder inside the repository', () => {
    expect(checksConfigSchema.safeParse({ pluginPackage: '../elsewhere' }).success).toBe(false);
    expect(checksConfigSchema.safeParse({ pluginPackage: '/etc' }).success).toBe(false);
    expect(checksConfigSchema.safeParse({ pluginPackage: './plugin' }).success).toBe(true);
  });
});

describe('trust', () => {
  const base = { author: 'newcomer', association: 'FIRST_TIME_CONTRIBUTOR', authorIsMaintainer: false, trustedAuthors: [], headSha: 'abcdef1234567' };
  test.each(['OWNER', 'MEMBER', 'COLLABORATOR'])('association %s is trusted', (association) => {
    expect(decideTrust({ ...base, association })).toMatchObject({ trusted: true });
  });
  test('a maintainer, or a login in checks.trustedAuthors (any case), is trusted', () => {
    expect(decideTrust({ ...base, authorIsMaintainer: true })).toEqual({ trusted: true, reason: '@newcomer is a maintainer' });
    expect(decideTrust({ ...base, trustedAuthors: ['NewComer'] })).toEqual({ trusted: true, reason: '@newcomer is in checks.trustedAuthors' });
  });
  test('anyone else needs an approval of that head commit, and the decision says so', () => {
    expect(decideTrust(base)).toEqual({ trusted: false, reason: '@newcomer is not yet trusted here (association first_time_contributor), and no maintainer has approved commit abcdef1' });
    expect(decideTrust({ ...base, approvedBy: 'core-dev' })).toEqual({ trusted: true, reason: '@core-dev approved commit abcdef1 for testing' });
  });
});
