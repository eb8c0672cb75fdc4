import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { openDatabase } from '../../../src/netcore/db/connection.js';
import { appliedIds, current, MigrationError, NewerDatabaseError, resolveTarget, StepFailedError, upgrade, upgradeToHead, VERSION_TABLE } from '../../../src/netcore/db/migrate.js';
import { RELEASES, type Migration } from '../../../src/netcore/db/migration.js';
import { MIGRATIONS } from '../../../src/netcore/db/migrations/index.js';
import { compareDatabases } from '../../../src/netcore/db/schema-compare.js';

const step = (id: string, release: Migration['release'], sql: string): Migration => ({ id, release, description: id, up: (db) => db.exec(sql) });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'netcore-migrate-'));
  dirs.push(dir);
  return join(dir, 'netcore.sqlite');
};

describe('upgrade targets', () => {
  test('a release means every step up to its last; an id means up to that step; head means all', () => {
    expect(resolveTarget('folsom')).toBe(MIGRATIONS.filter((m) => m.release === 'folsom').length);
    expect(resolveTarget('havana')).toBe(MIGRATIONS.filter((m) => m.release !== 'icehouse').length);
    expect(resolveTarget('head')).toBe(MIGRATIONS.length);
    expect(resolveTarget('grizzly_lbaas')).toBe(MIGRATIONS.findIndex((m) => m.id === 'grizzly_lbaas') + 1);
    expect(() => resolveTarget('kilo')).toThrow(/unknown target "kilo"/);
  });

  test('upgrading in stages ends where upgrading at once does, and reports each step once', () => {
    const staged = openDatabase();
    expect(upgrade(staged, { to: 'folsom' }).map((m) => m.release)).toEqual(['folsom', 'folsom']);
    expect(current(staged)).toMatchObject({ migration: { id: 'folsom_l3' }, atHead: false });
    upgrade(staged, { to: 'grizzly' });
    expect(upgrade(staged, { to: 'folsom' })).toEqual([]); // never downgrades
    upgradeToHead(staged);
    expect(upgrade(staged)).toEqual([]);
    const direct = openDatabase();
    upgradeToHead(direct);
    expect(compareDatabases(staged, direct)).toEqual([]);
    expect(appliedIds(staged)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(current(staged).atHead).toBe(true);
  });

  test('foreign key enforcement is back on after an upgrade', () => {
    const db = openDatabase();
    upgradeToHead(db);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});

describe('an interrupted upgrade', () => {
  const history = (failing: boolean): Migration[] => [
    step('one', 'folsom', `CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO a (v) VALUES ('kept')`),
    {
      id: 'two',
      release: 'grizzly',
      description: 'moves a.v into b, throwing halfway when told to',
      up(db) {
        db.exec(`CREATE TABLE b (a_id INTEGER PRIMARY KEY, v TEXT); INSERT INTO b SELECT id, v FROM a; UPDATE a SET v = NULL`);
        if (failing) throw new Error('disk full (simulated)');
        db.exec(`CREATE INDEX b_v ON b (v)`);
      },
    },
    step('three', 'havana', `ALTER TABLE a ADD COLUMN w INTEGER NOT NULL DEFAULT 0`),
  ];

  test('stops at the last good step with the failed step fully rolled back, and upgrades again cleanly', () => {
    const file = tempFile();
    const db = openDatabase(file);
    const err = (() => {
      try {
        upgrade(db, { migrations: history(true) });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(StepFailedError);
    expect((err as Error).message).toMatch(/migration two \(grizzly\) failed and was rolled back; the database is at one: disk full/);
    expect(appliedIds(db)).toEqual(['one']);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'b'`).get()).toBeUndefined();
    expect(db.prepare(`SELECT v FROM a`).all()).toEqual([{ v: 'kept' }]);
    db.close();

    // a new process with the fixed code picks up from 'one'
    const again = openDatabase(file);
    expect(upgrade(again, { migrations: history(false) }).map((m) => m.id)).toEqual(['two', 'three']);
    expect(again.prepare(`SELECT a_id, v FROM b`).all()).toEqual([{ a_id: 1, v: 'kept' }]);
    const fresh = openDatabase();
    upgrade(fresh, { migrations: history(false) });
    expect(compareDatabases(again, fresh)).toEqual([]);
  });

  test('a step that leaves a dangling foreign key is rolled back, with enforcement on or (for a rebuild) off', () => {
    const parent = step('p', 'folsom', `CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE c (p_id TEXT REFERENCES p (id))`);
    const orphans = step('orphans', 'grizzly', `INSERT INTO c VALUES ('nobody')`);
    const db = openDatabase();
    expect(() => upgrade(db, { migrations: [parent, orphans] })).toThrow(/migration orphans \(grizzly\) failed and was rolled back; the database is at p: FOREIGN KEY constraint failed/);
    expect(appliedIds(db)).toEqual(['p']);
    expect(() => upgrade(db, { migrations: [parent, { ...orphans, rebuildsTables: true }] })).toThrow(/leaves 1 foreign key violation\(s\), e.g. a row of c pointing at a missing p/);
    expect(db.prepare(`SELECT count(*) AS n FROM c`).get()).toEqual({ n: 0 });
  });

  test('a step may insert children before parents: foreign keys are checked when it commits', () => {
    const db = openDatabase();
    upgrade(db, { migrations: [step('p', 'folsom', `CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE c (p_id TEXT REFERENCES p (id)); INSERT INTO c VALUES ('x'); INSERT INTO p VALUES ('x')`)] });
    expect(db.prepare(`SELECT * FROM c`).all()).toEqual([{ p_id: 'x' }]);
  });

  test('a rebuild step runs with enforcement off, or dropping the old table would cascade into the moved rows', () => {
    const withFlag = (rebuildsTables: boolean) => {
      const history = MIGRATIONS.map((m) => (m.id === 'havana_lbaas_session_persistence' ? { ...m, rebuildsTables } : m));
      const db = openDatabase();
      upgrade(db, { to: 'grizzly', migrations: history });
      db.exec(`INSERT INTO networks (id, project_id, status, admin_state_up, created_at, updated_at) VALUES ('n', 'p', 'ACTIVE', 1, 'x', 'x');
        INSERT INTO subnets (id, project_id, network_id, ip_version, cidr, enable_dhcp, created_at, updated_at) VALUES ('s', 'p', 'n', 4, '10.0.0.0/24', 1, 'x', 'x');
        INSERT INTO pools (id, project_id, subnet_id, protocol, lb_method, status, admin_state_up) VALUES ('pool', 'p', 's', 'HTTP', 'ROUND_ROBIN', 'ACTIVE', 1);
        INSERT INTO vips (id, project_id, protocol_port, protocol, pool_id, status, admin_state_up, session_persistence_type) VALUES ('vip', 'p', 80, 'HTTP', 'pool', 'ACTIVE', 1, 'SOURCE_IP')`);
      upgradeToHead(db, history);
      return db.prepare(`SELECT vip_id, type FROM sessionpersistences`).all();
    };
    expect(withFlag(true)).toEqual([{ vip_id: 'vip', type: 'SOURCE_IP' }]);
    expect(withFlag(false)).toEqual([]); // why the flag exists
  });

  test('refuses to run inside a transaction', () => {
    const db = openDatabase();
    db.exec('BEGIN');
    expect(() => upgradeToHead(db)).toThrow(/cannot run inside a transaction/);
    db.exec('ROLLBACK');
  });
});

describe('any path to head', () => {
  test('any sequence of targets, with any one step failing once on the way, ends at the schema of a fresh head', () => {
    const fresh = openDatabase();
    upgradeToHead(fresh);
    const targets = ['head', ...RELEASES, ...MIGRATIONS.map((m) => m.id)];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...targets), { maxLength: 6 }), fc.nat(MIGRATIONS.length - 1), (path, failing) => {
        const db = openDatabase();
        const flaky = MIGRATIONS.map((m, i) => (i === failing ? { ...m, up: (d: typeof db) => (m.up(d), fail()) } : m));
        for (const to of path) {
          try {
            upgrade(db, { to, migrations: flaky });
          } catch (err) {
            expect(err).toBeInstanceOf(StepFailedError);
            expect(appliedIds(db)).toHaveLength(failing);
          }
        }
        upgradeToHead(db); // the fixed code
        expect(compareDatabases(db, fresh)).toEqual([]);
        expect(appliedIds(db)).toEqual(MIGRATIONS.map((m) => m.id));
      }),
      { numRuns: 40 },
    );
  });
});

function fail(): never {
  throw new Error('crash after the step did its work, before it was recorded');
}

describe('two processes upgrading one file', () => {
  test('the second skips the steps the first committed meanwhile, and neither applies a step twice', () => {
    const file = tempFile();
    const a = openDatabase(file);
    const b = openDatabase(file);
    let raced = false;
    const appliedByA = upgrade(a, {
      onStep: () => {
        if (raced) return;
        raced = true;
        expect(upgrade(b).length).toBe(MIGRATIONS.length - 1); // b finishes while a is between steps
      },
    });
    expect(appliedByA.map((m) => m.id)).toEqual([MIGRATIONS[0]!.id]);
    expect(appliedIds(a)).toEqual(MIGRATIONS.map((m) => m.id));
    a.close();
    b.close();
  });
});

describe('a database from a newer netcore', () => {
  const untouched = (file: string, fn: () => void) => {
    const before = readFileSync(file);
    fn();
    expect(readFileSync(file).equals(before)).toBe(true);
  };
  const atHeadFile = () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.pragma('journal_mode = DELETE'); // one file, so "untouched" is a byte comparison
    upgradeToHead(db);
    return { file, db };
  };

  test('an applied migration this code does not know is refused with a clear message, and nothing is written', () => {
    const { file, db } = atHeadFile();
    db.prepare(`INSERT INTO ${VERSION_TABLE} (seq, id, applied_at) VALUES (?, 'juno_dvr', '2014-10-16T00:00:00Z')`).run(MIGRATIONS.length);
    const older = [...MIGRATIONS.slice(0, -1)]; // and the code is even older than the last step
    untouched(file, () => {
      expect(() => upgrade(db)).toThrow(NewerDatabaseError);
      expect(() => upgrade(db, { migrations: older })).toThrow(new RegExp(`does not know: ${MIGRATIONS.at(-1)!.id} .*juno_dvr \\(applied 2014-10-16T00:00:00Z\\)\\. It was upgraded by a newer netcore`));
      expect(() => current(db)).toThrow(NewerDatabaseError);
    });
  });

  test('a newer bookkeeping format marker is refused', () => {
    const { file, db } = atHeadFile();
    db.pragma('user_version = 2');
    untouched(file, () => expect(() => upgrade(db)).toThrow(/bookkeeping is format 2, newer than this netcore understands \(1\)/));
  });

  test('a history that diverges (a step missing in the middle) is refused', () => {
    const db = openDatabase();
    upgrade(db, { to: 'grizzly' });
    const withInsertedStep = [MIGRATIONS[0]!, step('folsom_extra', 'folsom', 'SELECT 1'), ...MIGRATIONS.slice(1)];
    expect(() => upgrade(db, { migrations: withInsertedStep })).toThrow(/diverges .* at step 2: it has folsom_l3 where this code has folsom_extra/);
  });

  test('an unversioned database with tables is refused rather than migrated over', () => {
    const db = openDatabase();
    db.exec(`CREATE TABLE networks (id TEXT)`);
    expect(() => upgradeToHead(db)).toThrow(MigrationError);
    expect(() => upgradeToHead(db)).toThrow(/not a netcore database, or predates versioning/);
  });
});
