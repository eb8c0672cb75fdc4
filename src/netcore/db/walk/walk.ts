import type { Case, Location } from '../../report.js';
import { openDatabase, type Db } from '../connection.js';
import { upgrade, resolveTarget } from '../migrate.js';
import { RELEASES, type Migration } from '../migration.js';
import { compareDatabases } from '../schema-compare.js';
import type { WalkFixture, WalkFixtures } from './fixture.js';
import { lostRows, snapshotRows } from './rows.js';
import type { Locator } from './locate.js';

// The migration test (Neutron's walk test). Four kinds of case:
// - coverage/<id>: the migration has a fixture with a check (a migration nobody checks is a failure:
//   "every row survives" is only a claim until something looks);
// - walk/<start>/<id>: from a database built at <start> (base = empty, or a release) and filled with
//   realistic data, each later migration in turn: seed, upgrade one step, generic row survival, check, fill;
// - walk/<start>/schema: the database so upgraded has the same schema as a fresh one built straight to head;
// - step/<id>: step N applied alone to a filled database at N-1 gives the schema of a fresh database at N
//   (differences already there at N-1 are left to the step that made them).
// Upgraded-with-data and fresh-empty can only differ when a migration's DDL depends on the data or on the
// path taken, which is exactly the class of bug that ships unnoticed otherwise.

export interface WalkOptions {
  migrations: readonly Migration[];
  fixtures: WalkFixtures;
  locate?: Locator;
  /** Where `walk/<start>/schema` cases point (the history list); defaults to no location. */
  historyLocation?: Location;
  /** Called as each case finishes (progress output). */
  onCase?: (c: Case) => void;
}

type Outcome = Pick<Case, 'status' | 'message'>;

export function runMigrationTest(options: WalkOptions): Case[] {
  const { migrations, fixtures } = options;
  const cases: Case[] = [];
  const record = (id: string, title: string, group: string, location: Location | undefined, run: () => Outcome): Outcome => {
    const began = performance.now();
    let outcome: Outcome;
    try {
      outcome = run();
    } catch (err) {
      outcome = { status: 'failed', message: err instanceof Error ? err.message : String(err) };
    }
    const c: Case = { id, title, group, ...outcome, duration_ms: Math.round((performance.now() - began) * 1000) / 1000, ...(location ? { location } : {}) };
    if (c.message === undefined) delete c.message;
    cases.push(c);
    options.onCase?.(c);
    return outcome;
  };
  const where = (m: Migration) => options.locate?.(m);

  for (const m of migrations) {
    record(`coverage/${m.id}`, `${m.id} has a seed/check fixture`, 'coverage', where(m), () =>
      fixtures[m.id] ? { status: 'passed' } : { status: 'failed', message: `no walk fixture for ${m.id}: add { seed?, check, fill? } keyed by its id in src/netcore/db/walk/fixtures/${m.release}.ts` },
    );
  }

  const fresh = new Map<number, Db>();
  const freshAt = (n: number) => {
    if (!fresh.has(n)) fresh.set(n, buildAt(migrations, n));
    return fresh.get(n)!;
  };

  for (const start of walkStarts(migrations)) {
    const group = `walk from ${start.name}`;
    let db: Db | undefined;
    let broken: string | undefined;
    try {
      db = buildAt(migrations, start.steps, fixtures);
    } catch (err) {
      broken = `building the database at ${start.name} failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    for (const m of migrations.slice(start.steps)) {
      const title = `${m.id} (${m.release}) upgrades a ${start.name} database with data intact`;
      if (broken || !db) {
        record(`walk/${start.name}/${m.id}`, title, group, where(m), () => ({ status: 'skipped', message: broken }));
        continue;
      }
      const live = db;
      const outcome = record(`walk/${start.name}/${m.id}`, title, group, where(m), () => walkStep(live, migrations, m, fixtures[m.id]));
      if (outcome.status === 'failed' && !isAt(live, m)) broken = `not reached: ${m.id} did not apply`;
    }
    record(`walk/${start.name}/schema`, `a ${start.name} database upgraded to head has the schema of a fresh head`, group, options.historyLocation, () => {
      if (broken || !db) return { status: 'skipped', message: broken };
      return diffOutcome(compareDatabases(db, freshAt(migrations.length)), 'upgraded', 'fresh head');
    });
    db?.close();
  }

  migrations.forEach((m, i) => {
    record(`step/${m.id}`, `${m.id} alone, on a filled database, gives the schema of a fresh database at ${m.id}`, 'steps', where(m), () => {
      const db = buildAt(migrations, i, fixtures);
      try {
        // only what this step introduces: a difference inherited from an earlier step is that step's case
        const inherited = new Set(compareDatabases(db, freshAt(i)));
        upgrade(db, { to: m.id, migrations });
        return diffOutcome(compareDatabases(db, freshAt(i + 1)).filter((d) => !inherited.has(d)), `after ${m.id}`, 'fresh');
      } finally {
        db.close();
      }
    });
  });
  for (const db of fresh.values()) db.close();
  return cases;
}

/** base (empty), then each release that leaves steps to walk. */
function walkStarts(migrations: readonly Migration[]): { name: string; steps: number }[] {
  const starts = [{ name: 'base', steps: 0 }];
  for (const r of RELEASES) {
    const steps = resolveTarget(r, migrations);
    if (steps > 0 && steps < migrations.length && !starts.some((s) => s.steps === steps)) starts.push({ name: r, steps });
  }
  return starts;
}

/** A fresh in-memory database with the first `steps` migrations, each followed by its fill when fixtures are given. */
export function buildAt(migrations: readonly Migration[], steps: number, fixtures?: WalkFixtures): Db {
  const db = openDatabase(':memory:');
  try {
    if (!fixtures && steps > 0) upgrade(db, { to: migrations[steps - 1]!.id, migrations });
    for (const m of fixtures ? migrations.slice(0, steps) : []) {
      upgrade(db, { to: m.id, migrations });
      fixtures![m.id]?.fill?.(db);
    }
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

function walkStep(db: Db, migrations: readonly Migration[], m: Migration, fixture: WalkFixture | undefined): Outcome {
  const seeded = fixture?.seed?.(db);
  const before = snapshotRows(db);
  upgrade(db, { to: m.id, migrations });
  const lost = lostRows(before, snapshotRows(db), fixture?.moves);
  if (lost.length > 0) return { status: 'failed', message: `data lost by ${m.id}:\n${lost.join('\n')}` };
  if (!fixture) return { status: 'failed', message: `applied, but unchecked: no walk fixture for ${m.id}` };
  fixture.check(db, seeded);
  fixture.fill?.(db);
  return { status: 'passed' };
}

function isAt(db: Db, m: Migration): boolean {
  return (db.prepare(`SELECT count(*) AS n FROM netcore_schema_version WHERE id = ?`).get(m.id) as { n: number }).n === 1;
}

function diffOutcome(diff: string[], actual: string, expected: string): Outcome {
  if (diff.length === 0) return { status: 'passed' };
  return { status: 'failed', message: `schema ${actual} differs from ${expected}:\n${diff.join('\n')}` };
}
