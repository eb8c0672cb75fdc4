import type { Db } from './connection.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migration.js';

// Minimal runner; the migrations work (issue 6) owns and extends this file.
const VERSION_TABLE = 'netcore_schema_version';

export function appliedIds(db: Db): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)`);
  return (db.prepare(`SELECT id FROM ${VERSION_TABLE} ORDER BY seq`).all() as { id: string }[]).map((r) => r.id);
}

/** Applies every pending migration up to head, each in its own transaction. */
export function upgradeToHead(db: Db, migrations: Migration[] = MIGRATIONS): void {
  const done = new Set(appliedIds(db));
  for (const [seq, m] of migrations.entries()) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      m.up(db);
      db.prepare(`INSERT INTO ${VERSION_TABLE} (seq, id, applied_at) VALUES (?, ?, ?)`).run(seq, m.id, new Date().toISOString());
    })();
  }
}
