import type { SqliteDb, StoreMigration } from './store.js';

export const deliveryMigrations: StoreMigration[] = [
  {
    component: 'core',
    version: 1,
    description: 'deliveries: each (webhook delivery, handler) is handled once',
    up(db) {
      db.exec(`CREATE TABLE deliveries (
        delivery_id TEXT NOT NULL,
        handler TEXT NOT NULL,
        event TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running', 'done')),
        received_at TEXT NOT NULL,
        PRIMARY KEY (delivery_id, handler))`);
      db.exec('CREATE INDEX deliveries_received_at ON deliveries (received_at)');
    },
  },
];

/**
 * Claims a delivery for one handler. Returns false when that handler already ran it (or is running it),
 * so a redelivered webhook does nothing twice. A handler that fails releases its claim so a retry can run.
 */
export class Deliveries {
  private readonly claimStmt;
  private readonly doneStmt;
  private readonly releaseStmt;
  private readonly pruneStmt;
  private claimsSincePrune = 0;
  /** GitHub redelivers for days at most; older records only take space. */
  static readonly KEEP_DAYS = 30;
  constructor(db: SqliteDb) {
    this.claimStmt = db.prepare(
      `INSERT INTO deliveries (delivery_id, handler, event, state, received_at) VALUES (?, ?, ?, 'running', ?)
       ON CONFLICT DO NOTHING`,
    );
    this.doneStmt = db.prepare(`UPDATE deliveries SET state = 'done' WHERE delivery_id = ? AND handler = ?`);
    this.releaseStmt = db.prepare('DELETE FROM deliveries WHERE delivery_id = ? AND handler = ?');
    this.pruneStmt = db.prepare('DELETE FROM deliveries WHERE received_at < ?');
  }
  claim(deliveryId: string, handler: string, event: string, now = new Date()): boolean {
    if (++this.claimsSincePrune >= 1000) this.prune(now);
    return this.claimStmt.run(deliveryId, handler, event, now.toISOString()).changes === 1;
  }
  done(deliveryId: string, handler: string): void {
    this.doneStmt.run(deliveryId, handler);
  }
  release(deliveryId: string, handler: string): void {
    this.releaseStmt.run(deliveryId, handler);
  }
  /** Forgets deliveries older than KEEP_DAYS; returns how many. */
  prune(now = new Date()): number {
    this.claimsSincePrune = 0;
    return this.pruneStmt.run(new Date(now.getTime() - Deliveries.KEEP_DAYS * 86_400_000).toISOString()).changes;
  }
}
