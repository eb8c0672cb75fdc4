import Database from 'better-sqlite3';
import { openDatabase, type Db } from './connection.js';
import { upgradeToHead } from './migrate.js';

let template: Buffer | undefined;

/**
 * A fresh in-memory database already at head: a copy of one migrated once per process. Running
 * the whole history costs milliseconds per database, which the conformance suite (a fresh database
 * per case, per plugin) and the tests would otherwise pay hundreds of times.
 */
export function freshMemoryDatabase(): Db {
  if (!template) {
    const db = openDatabase(':memory:');
    upgradeToHead(db);
    template = db.serialize();
    db.close();
  }
  const db = new Database(template);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
