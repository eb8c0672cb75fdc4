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
 * A claim still running after STALE_MS was left by a process that stopped mid-handler (a crash, a
 * deploy): a redelivery may take it over, as handlers are idempotent (sticky comments, missing labels only).
 */
export class Deliveries {
  private readonly claimStmt;
  private readonly doneStmt;
  private readonly releaseStmt;
  private readonly pruneStmt;
  private claimsSincePrune = 0;
  /** GitHub redelivers for days at most; older records only take space. */
  static readonly KEEP_DAYS = 30;
  /** Far longer than any handler runs; GitHub itself gives up on a delivery after 10 seconds. */
  static readonly STALE_MS = 10 * 60_000;
  constructor(db: SqliteDb) {
    this.claimStmt = db.prepare(
      `INSERT INTO deliveries (delivery_id, handler, event, state, received_at) VALUES (?, ?, ?, 'running', ?)
       ON CONFLICT (delivery_id, handler) DO UPDATE SET received_at = excluded.received_at
       WHERE deliveries.state = 'running' AND deliveries.received_at < ?`,
    );
    this.doneStmt = db.prepare(`UPDATE deliveries SET state = 'done' WHERE delivery_id = ? AND handler = ?`);
    this.releaseStmt = db.prepare('DELETE FROM deliveries WHERE delivery_id = ? AND handler = ?');
    this.pruneStmt = db.prepare('DELETE FROM deliveries WHERE received_at < ?');
  }
  claim(deliveryId: string, handler: string, event: string, now = new Date()): boolean {
    if (++this.claimsSincePrune >= 1000) this.prune(now);
    const staleBefore = new Date(now.getTime() - Deliveries.STALE_MS).toISOString();
    return this.claimStmt.run(deliveryId, handler, event, now.toISOString(), staleBefore).changes === 1;
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
