import { describe, expect, test } from 'vitest';
import type { Migration } from '../../../src/netcore/db/migration.js';
import { MIGRATIONS } from '../../../src/netcore/db/migrations/index.js';
import { FIXTURES } from '../../../src/netcore/db/walk/fixtures/index.js';
import { sourceLocator } from '../../../src/netcore/db/walk/locate.js';
import { runMigrationTest } from '../../../src/netcore/db/walk/walk.js';
import { ctasWhenData, deletesDanglingPorts, forgetsCookieName, unchecked } from './broken-migrations.js';

// The real history with one migration swapped for a broken one; the test must fail on exactly the
// cases that involve it, name them, and point at the broken source.
function walkWith(broken: Migration, extra: Migration[] = []) {
  const migrations = [...MIGRATIONS.map((m) => (m.id === broken.id ? broken : m)), ...extra];
  const cases = runMigrationTest({ migrations, fixtures: FIXTURES, locate: sourceLocator(['test/netcore/migrations']) });
  return { cases, failed: cases.filter((c) => c.status === 'failed') };
}

describe('the migration test catches a broken migration', () => {
  test('one that loses values it moves (the check finds them missing)', () => {
    const { failed } = walkWith(forgetsCookieName);
    expect(failed.map((c) => c.id)).toEqual(['walk/base/havana_lbaas_session_persistence', 'walk/folsom/havana_lbaas_session_persistence', 'walk/grizzly/havana_lbaas_session_persistence']);
    expect(failed[0]!.message).toMatch(/FROM sessionpersistences[\s\S]*got: .*"cookie":null[\s\S]*expected: .*"cookie":"JSESSIONID"/);
    expect(failed[0]!.location).toMatchObject({ path: 'test/netcore/migrations/broken-migrations.ts', start_line: 8 });
  });

  test('one that deletes rows nobody declared (the generic row-survival check finds them)', () => {
    const { failed } = walkWith(deletesDanglingPorts);
    expect(failed.map((c) => c.id)).toEqual(['walk/base/havana_router_ports', 'walk/folsom/havana_router_ports', 'walk/grizzly/havana_router_ports']);
    expect(failed[0]!.message).toMatch(/data lost by havana_router_ports:\n1 of \d+ row\(s\) of ports lost or changed, e\.g\. \{"id":"seed-rp-gone"/);
  });

  test('one that leaves the schema out of sync with a fresh head (its data check passes; the schema comparison does not)', () => {
    const { failed } = walkWith(ctasWhenData);
    expect(failed.map((c) => c.id)).toEqual(['walk/base/schema', 'walk/folsom/schema', 'walk/grizzly/schema', 'walk/havana/schema', 'step/havana_router_ports']);
    const message = failed.find((c) => c.id === 'step/havana_router_ports')!.message!;
    expect(message).toContain('schema after havana_router_ports differs from fresh');
    expect(message).toContain('missing index on routerports: routerports_router_id');
    expect(message).toContain('column routerports.router_id: notnull is false, expected true');
    expect(message).toContain('missing index on routerports: PRIMARY KEY (port_id)');
    expect(message).toMatch(/foreign key on routerports: missing \(router_id\) -> routers \(id\) on delete CASCADE/);
    expect(message).toContain('column routerports.port_id: pk is 0, expected 1');
  });

  test('one with no seed/check is reported, both as missing coverage and as an unchecked step', () => {
    const { failed } = walkWith(unchecked, [unchecked]);
    expect(failed.map((c) => c.id)).toEqual(['coverage/juno_unchecked', 'walk/base/juno_unchecked', 'walk/folsom/juno_unchecked', 'walk/grizzly/juno_unchecked', 'walk/havana/juno_unchecked']);
    expect(failed[0]!.message).toMatch(/no walk fixture for juno_unchecked: add \{ seed\?, check, fill\? \} keyed by its id in src\/netcore\/db\/walk\/fixtures\/icehouse\.ts/);
  });

  test('a step that throws fails its case and skips the rest of that walk instead of cascading', () => {
    const throws: Migration = { id: 'grizzly_lbaas', release: 'grizzly', description: 'throws', up: () => { throw new Error('boom'); } };
    const { cases } = walkWith(throws);
    const base = cases.filter((c) => c.group === 'walk from base');
    expect(base.find((c) => c.id === 'walk/base/grizzly_lbaas')).toMatchObject({ status: 'failed', message: expect.stringContaining('boom') });
    expect(base.find((c) => c.id === 'walk/base/havana_router_ports')).toMatchObject({ status: 'skipped', message: 'not reached: grizzly_lbaas did not apply' });
  });
});
