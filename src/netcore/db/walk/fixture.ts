import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../connection.js';

/**
 * What the migration test does around one migration (Neutron's walk test `_pre_upgrade_<id>` /
 * `_check_<id>`), kept out of the migration itself and keyed by its id.
 */
export interface WalkFixture {
  /**
   * Before the migration, on the schema just before it: insert the rows it must carry or transform.
   * What it returns is handed to check (e.g. the rows as they were).
   */
  seed?(db: Db): unknown;
  /** After the migration: the seeded rows are there, in the new shape, with the right values. Throws on a mismatch. */
  check(db: Db, seeded: unknown): void;
  /**
   * After check (and when building a database at a release): realistic rows in the tables the
   * migration created, so later steps have data to carry. Must not collide with seeds.
   */
  fill?(db: Db): void;
  /**
   * Tables or `table.column`s whose values the migration moves or rewrites on purpose; the generic
   * row-survival check skips them, and check() must verify where they went.
   */
  moves?: string[];
}

export type WalkFixtures = Readonly<Record<string, WalkFixture>>;

export class CheckFailed extends Error {
  override name = 'CheckFailed';
}

export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

/** Runs `sql` and requires exactly `expected` (same order; values compared strictly). */
export function expectRows(db: Db, sql: string, expected: unknown[], ...params: unknown[]): void {
  const actual = db.prepare(sql).all(...params);
  if (!isDeepStrictEqual(actual, expected)) {
    throw new CheckFailed(`${sql.replace(/\s+/g, ' ').trim()}\n  got:      ${JSON.stringify(actual)}\n  expected: ${JSON.stringify(expected)}`);
  }
}

/** Inserts rows (objects with the same keys) into a table with one prepared statement. */
export function insertRows(db: Db, table: string, rows: Record<string, unknown>[]): void {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  const stmt = db.prepare(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
  for (const r of rows) stmt.run(r);
}

/** A fixed timestamp so fixtures are reproducible. */
export const AT = '2013-04-04T12:00:00.000Z';
