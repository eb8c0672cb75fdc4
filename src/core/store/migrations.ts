import { sql, type Kysely } from 'kysely';
import type { Dialect, StoreDb } from './database.js';

/**
 * One step of the app's schema. `component` namespaces versions so each room evolves its own tables.
 * `up` builds with Kysely's schema builder (or dialect-neutral SQL), so one history serves SQLite and
 * PostgreSQL; `dialect` is there for the rare type the two spell differently.
 */
export interface StoreMigration {
  component: string;
  version: number;
  description: string;
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

const TABLE = 'netbot_migrations';

/**
 * Applies the pending migrations in (component, version) order, all in one transaction: a failure leaves
 * the schema as it was. Several processes starting at once take turns (an advisory lock on PostgreSQL,
 * BEGIN IMMEDIATE on SQLite), so each step runs once. Returns the steps applied.
 */
export async function migrate(store: StoreDb, migrations: readonly StoreMigration[]): Promise<string[]> {
  assertDistinct(migrations);
  await store.db.schema
    .createTable(TABLE)
    .ifNotExists()
    .addColumn('component', 'varchar(64)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('netbot_migrations_pk', ['component', 'version'])
    .execute();
  const ordered = [...migrations].sort((a, b) => a.component.localeCompare(b.component) || a.version - b.version);
  return store.db.transaction().execute(async (trx) => {
    if (store.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${TABLE}))`.execute(trx);
    const rows = await trx.selectFrom(TABLE).select(['component', 'version']).execute();
    const applied = new Set(rows.map((r) => `${r.component}:${r.version}`));
    const done: string[] = [];
    for (const m of ordered) {
      const id = `${m.component}:${m.version}`;
      if (applied.has(id)) continue;
      await m.up(trx, store.dialect);
      await trx.insertInto(TABLE).values({ component: m.component, version: m.version, description: m.description, applied_at: Date.now() }).execute();
      done.push(`${id} ${m.description}`);
    }
    return done;
  });
}

function assertDistinct(migrations: readonly StoreMigration[]): void {
  const seen = new Set<string>();
  for (const m of migrations) {
    const id = `${m.component}:${m.version}`;
    if (seen.has(id)) throw new Error(`two store migrations share ${id}`);
    seen.add(id);
  }
}

/** An auto-numbered id column: `integer primary key autoincrement` on SQLite, `bigserial` on PostgreSQL. */
export function addIdColumn<T extends { addColumn: (...args: any[]) => T }>(table: T, dialect: Dialect, name = 'id'): T {
  return dialect === 'postgres'
    ? table.addColumn(name, 'bigserial', (c: any) => c.primaryKey())
    : table.addColumn(name, 'integer', (c: any) => c.primaryKey().autoIncrement());
}
