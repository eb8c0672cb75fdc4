import type { Db } from './connection.js';
import { MIGRATIONS } from './migrations/index.js';
import { RELEASES, type Migration } from './migration.js';

// The migration runner. Bookkeeping: one row per applied step in VERSION_TABLE (seq = position in the
// history), and PRAGMA user_version = FORMAT, the version of this bookkeeping itself. A database whose
// bookkeeping says it is newer than this code (an unknown step, or a higher format) is refused before
// anything is written, so an older netcore can never half-upgrade or "repair" a newer schema.
export const VERSION_TABLE = 'netcore_schema_version';
/** Bump when the bookkeeping changes shape; older code then refuses the database. */
export const FORMAT = 1;

export interface AppliedStep {
  seq: number;
  id: string;
  applied_at: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** The database was written by a newer netcore (or a diverging branch); nothing was changed. */
export class NewerDatabaseError extends MigrationError {
  override name = 'NewerDatabaseError';
}

/** A step failed; its transaction was rolled back and the database is at `current` (the last good step). */
export class StepFailedError extends MigrationError {
  override name = 'StepFailedError';
  constructor(
    readonly migration: Migration,
    readonly current: string | undefined,
    override readonly cause: unknown,
  ) {
    super(`migration ${migration.id} (${migration.release}) failed and was rolled back; the database is at ${current ?? 'base (empty)'}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

function hasVersionTable(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(VERSION_TABLE) !== undefined;
}

/** Applied steps in order, read without writing anything (no table yet means none applied). */
export function appliedSteps(db: Db): AppliedStep[] {
  if (!hasVersionTable(db)) return [];
  return db.prepare(`SELECT seq, id, applied_at FROM ${VERSION_TABLE} ORDER BY seq`).all() as AppliedStep[];
}

export function appliedIds(db: Db): string[] {
  return appliedSteps(db).map((s) => s.id);
}

/**
 * Throws NewerDatabaseError unless the database's history is a prefix of `migrations`: every applied
 * id known, in the same order, and a bookkeeping format this code understands. Reads only.
 */
export function assertCompatible(db: Db, migrations: readonly Migration[] = MIGRATIONS): AppliedStep[] {
  const format = db.pragma('user_version', { simple: true }) as number;
  if (format > FORMAT) {
    throw new NewerDatabaseError(`database schema bookkeeping is format ${format}, newer than this netcore understands (${FORMAT}): it was upgraded by a newer netcore. Use that version or restore a backup; the database was not changed.`);
  }
  const applied = appliedSteps(db);
  const known = new Map(migrations.map((m, i) => [m.id, i]));
  const unknown = applied.filter((s) => !known.has(s.id));
  if (unknown.length > 0) {
    throw new NewerDatabaseError(
      `database has ${unknown.length} migration(s) this netcore does not know: ${unknown.map((s) => `${s.id} (applied ${s.applied_at})`).join(', ')}. It was upgraded by a newer netcore; use that version or restore a backup. The database was not changed.`,
    );
  }
  applied.forEach((s, i) => {
    if (known.get(s.id) !== i) {
      throw new NewerDatabaseError(`database history diverges from this netcore's at step ${i + 1}: it has ${s.id} where this code has ${migrations[i]?.id ?? 'nothing'}. It was migrated by a different netcore; the database was not changed.`);
    }
  });
  if (applied.length === 0 && format === 0 && userTables(db).length > 0) {
    throw new MigrationError(`database has tables (${userTables(db).slice(0, 5).join(', ')}) but no ${VERSION_TABLE}: it is not a netcore database, or predates versioning. The database was not changed.`);
  }
  return applied;
}

function userTables(db: Db): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
}

/**
 * How many steps of `migrations` a target means: `head` (or undefined) is all of them; a release is
 * every step up to that release's last; a migration id is every step up to and including it.
 */
export function resolveTarget(to: string | undefined, migrations: readonly Migration[] = MIGRATIONS): number {
  if (to === undefined || to === 'head') return migrations.length;
  const byId = migrations.findIndex((m) => m.id === to);
  if (byId >= 0) return byId + 1;
  const release = RELEASES.indexOf(to as (typeof RELEASES)[number]);
  if (release < 0) throw new MigrationError(`unknown target ${JSON.stringify(to)}: expected head, a release (${RELEASES.join(', ')}) or a migration id`);
  let n = 0;
  migrations.forEach((m, i) => {
    if (RELEASES.indexOf(m.release) <= release) n = i + 1;
  });
  return n;
}

export interface UpgradeOptions {
  /** `head` (default), a release name, or a migration id. */
  to?: string;
  migrations?: readonly Migration[];
  /** Called after each step commits. */
  onStep?: (m: Migration, ms: number) => void;
}

/**
 * Applies the pending steps up to the target, each in its own IMMEDIATE transaction together with its
 * version row, so a failure or a crash leaves the database at the last committed step and a re-run
 * picks up from there. Two processes upgrading one file at once serialise on the write lock, and the
 * second skips what the first applied. Returns the steps it applied. Must not be called inside a
 * transaction (each step needs its own, and foreign-key enforcement can only change outside one).
 */
export function upgrade(db: Db, options: UpgradeOptions = {}): Migration[] {
  const migrations = options.migrations ?? MIGRATIONS;
  const target = resolveTarget(options.to, migrations);
  const start = assertCompatible(db, migrations).length;
  if (start >= target) return [];
  if (db.inTransaction) throw new MigrationError('upgrade cannot run inside a transaction: each step commits on its own');
  const done: Migration[] = [];
  const fkWasOn = db.pragma('foreign_keys', { simple: true }) === 1;
  try {
    for (let seq = start; seq < target; seq++) {
      const m = migrations[seq]!;
      const began = performance.now();
      db.pragma(`foreign_keys = ${m.rebuildsTables ? 'OFF' : 'ON'}`);
      const applied = db.transaction(() => applyStep(db, migrations, seq));
      try {
        if (!applied.immediate()) continue;
      } catch (err) {
        if (err instanceof MigrationError) throw err;
        throw new StepFailedError(m, appliedIds(db).at(-1), err);
      }
      done.push(m);
      options.onStep?.(m, performance.now() - began);
    }
  } finally {
    db.pragma(`foreign_keys = ${fkWasOn ? 'ON' : 'OFF'}`);
  }
  return done;
}

/** One step inside its transaction; false when another process applied it first. */
function applyStep(db: Db, migrations: readonly Migration[], seq: number): boolean {
  const m = migrations[seq]!;
  const applied = assertCompatible(db, migrations); // re-read under the write lock
  if (applied.length > seq) return false;
  db.exec(`CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)`);
  db.pragma(`user_version = ${FORMAT}`);
  // a step may pass through states that violate foreign keys (children before parents); only the end counts
  db.pragma('defer_foreign_keys = ON');
  m.up(db);
  if (m.rebuildsTables) {
    // enforcement was off, so look at the whole database (the cost of a scan, paid only by rebuild steps)
    const violations = db.pragma('foreign_key_check') as { table: string; parent: string }[];
    if (violations.length > 0) {
      const first = violations[0]!;
      throw new Error(`leaves ${violations.length} foreign key violation(s), e.g. a row of ${first.table} pointing at a missing ${first.parent}`);
    }
  }
  db.prepare(`INSERT INTO ${VERSION_TABLE} (seq, id, applied_at) VALUES (?, ?, ?)`).run(seq, m.id, new Date().toISOString());
  return true; // with enforcement on, a violation left behind fails the COMMIT and rolls the step back
}

/** Applies every pending migration up to head, each in its own transaction. */
export function upgradeToHead(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  upgrade(db, { migrations });
}

export interface HistoryEntry {
  migration: Migration;
  applied_at?: string;
}

/** The whole history with what this database has applied. Refuses a newer database. */
export function history(db: Db, migrations: readonly Migration[] = MIGRATIONS): HistoryEntry[] {
  const applied = assertCompatible(db, migrations);
  return migrations.map((migration, i) => ({ migration, applied_at: applied[i]?.applied_at }));
}

export interface CurrentState {
  /** The last applied step; undefined for an empty database. */
  migration?: Migration;
  applied: number;
  pending: number;
  atHead: boolean;
}

export function current(db: Db, migrations: readonly Migration[] = MIGRATIONS): CurrentState {
  const applied = assertCompatible(db, migrations).length;
  return { migration: applied > 0 ? migrations[applied - 1] : undefined, applied, pending: migrations.length - applied, atHead: applied === migrations.length };
}
