import { sql } from 'kysely';
export { DEFAULT_DB_PATH, isPostgresUrl, openDatabase, storeLocation, type Dialect, type StoreDb } from './database.js';
export { addIdColumn, migrate, type StoreMigration } from './migrations.js';

/** Rows a write touched (Kysely reports bigints; both engines report 0 for ON CONFLICT DO NOTHING). */
export function touched(result: { numInsertedOrUpdatedRows?: bigint; numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined): number {
  return Number(result?.numInsertedOrUpdatedRows ?? result?.numUpdatedRows ?? result?.numDeletedRows ?? 0n);
}

/** SQLite stores 0/1, PostgreSQL integer columns too: both read back as numbers. */
export const flag = (value: boolean): number => (value ? 1 : 0);

/** A CHECK (column IN (...)) clause; the values are the app's own constants. */
export function sqlIn(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}
