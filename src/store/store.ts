import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export type SqliteDb = Database.Database;

/** One step of the app's own schema. `component` namespaces versions so features evolve independently. */
export interface StoreMigration {
  component: string;
  version: number;
  description: string;
  up(db: SqliteDb): void;
}

export const DEFAULT_DB_PATH = './data/netbot.sqlite';

/** The path of the app's database: `NETBOT_DB`, else ./data/netbot.sqlite. */
export function storePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.NETBOT_DB && env.NETBOT_DB.trim() !== '' ? env.NETBOT_DB : DEFAULT_DB_PATH;
}

/** Opens (creating if needed) the app's SQLite database in WAL mode and applies pending migrations. */
export function openStore(file: string, migrations: StoreMigration[]): SqliteDb {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  cacheStatements(db);
  return db;
}

/**
 * Every handler runs the same few dozen statements on each event: each is compiled once, not per call. The
 * app's SQL is fixed text (values are bound, never interpolated), so the cache stays small.
 */
function cacheStatements(db: SqliteDb): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string) => {
    let statement = cache.get(source);
    if (!statement) cache.set(source, (statement = compile(source)));
    return statement;
  };
  db.prepare = prepare as SqliteDb['prepare'];
}

export function migrate(db: SqliteDb, migrations: StoreMigration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_versions (
    component TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL, applied_at TEXT NOT NULL,
    PRIMARY KEY (component, version))`);
  const applied = new Set(
    (db.prepare('SELECT component, version FROM schema_versions').all() as { component: string; version: number }[]).map(
      (r) => `${r.component}:${r.version}`,
    ),
  );
  const record = db.prepare('INSERT INTO schema_versions (component, version, description, applied_at) VALUES (?, ?, ?, ?)');
  const ordered = [...migrations].sort((a, b) => a.component.localeCompare(b.component) || a.version - b.version);
  for (const m of ordered) {
    if (applied.has(`${m.component}:${m.version}`)) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.component, m.version, m.description, new Date().toISOString());
    }).immediate();
  }
}
