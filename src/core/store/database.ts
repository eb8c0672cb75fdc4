import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pg from 'pg';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The app's database, whichever engine holds it. Rooms reach it only through their own store classes,
 * which build dialect-neutral queries with Kysely; `dialect` is for the few statements the engines spell
 * differently (row locks, id columns).
 */
export interface StoreDb {
  db: Kysely<any>;
  dialect: Dialect;
  /** Where it lives, without credentials (for logs and CLI output). */
  describe: string;
  close(): Promise<void>;
}

export const DEFAULT_DB_PATH = './data/netbot.sqlite';

/** `DATABASE_URL` (postgres://...) wins; else the SQLite file `NETBOT_DB`, else ./data/netbot.sqlite. */
export function storeLocation(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!isPostgresUrl(url)) throw new Error(`DATABASE_URL must be a postgres:// or postgresql:// URL (got "${url.split(':')[0]}:..."); for SQLite set NETBOT_DB to a file`);
    return url;
  }
  return env.NETBOT_DB && env.NETBOT_DB.trim() !== '' ? env.NETBOT_DB : DEFAULT_DB_PATH;
}

export const isPostgresUrl = (location: string) => /^postgres(?:ql)?:\/\//i.test(location);

/** Opens the database at `location` (a postgres:// URL or an SQLite file, ':memory:' for tests). */
export function openDatabase(location: string, opts: { poolSize?: number } = {}): StoreDb {
  return isPostgresUrl(location) ? openPostgres(location, opts.poolSize ?? 10) : openSqlite(location);
}

function openSqlite(file: string): StoreDb {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  cacheStatements(sqlite);
  const db = new Kysely<any>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', describe: file, close: () => db.destroy() };
}

function openPostgres(url: string, max: number): StoreDb {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // bigint columns hold epoch milliseconds and counts: well inside a double, so numbers, not strings.
    types: { getTypeParser: (oid: number, format?: any) => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) },
  });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  const parsed = new URL(url);
  return { db, dialect: 'postgres', describe: `postgres://${parsed.host}${parsed.pathname}`, close: () => db.destroy() };
}

/**
 * SQLite transactions start with BEGIN IMMEDIATE: a read-then-write transaction takes the write lock up
 * front, so two processes on one file wait for each other (busy_timeout) instead of failing with
 * SQLITE_BUSY when the reader tries to become a writer.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly sqliteConfig: SqliteDialectConfig) {
    super(sqliteConfig);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.sqliteConfig);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Kysely prepares every statement it runs; the app runs the same few dozen statements on every event, so
 * each SQL text is compiled once. Bounded: a query with a variable IN list makes new texts.
 */
function cacheStatements(sqlite: Database.Database): void {
  const compile = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      if (cache.size >= 500) cache.delete(cache.keys().next().value!);
      cache.set(source, (statement = compile(source)));
    }
    return statement;
  }) as Database.Database['prepare'];
}
