import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

/** Opens netcore's SQLite database: WAL, foreign keys on, and a busy timeout so two servers can share one file. */
export function openDatabase(file: string = ':memory:'): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  if (file !== ':memory:') {
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL is still corruption-safe and spares an fsync per commit.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return cacheStatements(db);
}

const CACHED = Symbol('netcore.statementCache');
/** Distinct statements kept compiled; list queries built from filters are the only open-ended ones. */
const MAX_CACHED_STATEMENTS = 512;

/**
 * Makes `db.prepare` return one compiled statement per SQL text. Compiling was the largest single cost
 * of a port create (17 % of its CPU in a profile): the plugins prepare their SQL at each call. Statements
 * are used synchronously (get/all/run, never iterate), so one object per text is safe. Idempotent.
 */
export function cacheStatements(db: Db): Db {
  const tagged = db as Db & { [CACHED]?: true };
  if (tagged[CACHED]) return db;
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement === undefined) {
      statement = compile(source);
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
      cache.set(source, statement);
    }
    return statement;
  }) as Db['prepare'];
  tagged[CACHED] = true;
  return db;
}
