import type { Db } from '../../db/connection.js';
import type { ChangeType } from '../sqlite/hooks.js';

export type JournalState = 'pending' | 'processing' | 'completed' | 'failed';
/** The objects the controller hears of: the core three and the services' (migration icehouse_journal_services). */
export type ObjectType = ChangeType;
export type Operation = 'create' | 'update' | 'delete';

/** One change for the controller, as the table holds it (JSON columns parsed). */
export interface JournalEntry {
  seqnum: number;
  object_type: ObjectType;
  object_uuid: string;
  operation: Operation;
  data: Record<string, unknown>;
  depends_on: string[];
  state: JournalState;
  retry_count: number;
  last_error: string | null;
  created_at: string;
  last_retried: string | null;
}

interface Row extends Omit<JournalEntry, 'data' | 'depends_on'> {
  data: string;
  depends_on: string;
}

/** The state machine: which moves are legal. Anything else is a bug in the caller, and throws. */
const TRANSITIONS: Record<JournalState, JournalState[]> = {
  pending: ['processing'],
  // done; a transient failure goes back to the queue; spent retries (or a permanent error) fail it;
  // a claim abandoned by a crashed server is recovered to pending
  processing: ['completed', 'pending', 'failed'],
  completed: [],
  // an operator may requeue a failed entry
  failed: ['pending'],
};

export class IllegalTransition extends Error {
  override name = 'IllegalTransition';
}

const UNFINISHED = `('pending', 'processing', 'failed')`;
const now = () => new Date().toISOString();

/**
 * The journal table: every change the plugin commits is appended here in the same transaction, and
 * a sync worker hands entries to the controller in order. An entry waits while an earlier unfinished
 * entry concerns its object or one it depends on (networking-odl's dependency validation), so a port
 * never reaches the controller before its network, nor a network's delete before its ports' deletes.
 */
export class Journal {
  constructor(private readonly db: Db) {}

  /** Appends a change; runs inside the caller's transaction. */
  record(type: ObjectType, uuid: string, operation: Operation, data: object, dependsOn: string[] = []): void {
    this.db
      .prepare(`INSERT INTO journal (object_type, object_uuid, operation, data, depends_on, state, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)`)
      .run(type, uuid, operation, JSON.stringify(data), JSON.stringify([...new Set(dependsOn)].filter((d) => d !== uuid)), now());
  }

  /**
   * Records a delete, unless the controller never heard of the object: when all its entries are
   * still pending, they are dropped instead (create-then-delete before a sync is a no-op for it).
   */
  recordDelete(type: ObjectType, uuid: string, dependsOn: string[] = []): void {
    const seen = this.db.prepare(`SELECT 1 FROM journal WHERE object_uuid = ? AND state != 'pending' LIMIT 1`).get(uuid);
    const created = this.db.prepare(`SELECT 1 FROM journal WHERE object_uuid = ? AND operation = 'create' LIMIT 1`).get(uuid);
    if (created && !seen) {
      this.db.prepare(`DELETE FROM journal WHERE object_uuid = ? AND state = 'pending'`).run(uuid);
      return;
    }
    this.record(type, uuid, 'delete', { id: uuid }, dependsOn);
  }

  /** Claims the oldest entry nothing blocks (pending -> processing), atomically across servers. */
  claimNext(): JournalEntry | undefined {
    return this.db
      .transaction(() => {
        const pending = this.db.prepare(`SELECT * FROM journal WHERE state = 'pending' ORDER BY seqnum`).all() as Row[];
        const blocked = this.db.prepare(
          `SELECT 1 FROM journal WHERE seqnum < ? AND state IN ${UNFINISHED} AND object_uuid IN (SELECT value FROM json_each(?)) LIMIT 1`,
        );
        for (const row of pending) {
          const related = JSON.stringify([row.object_uuid, ...(JSON.parse(row.depends_on) as string[])]);
          if (blocked.get(row.seqnum, related)) continue;
          this.move(row.seqnum, 'pending', 'processing', { last_retried: now() });
          return parse({ ...row, state: 'processing' });
        }
        return undefined;
      })
      .immediate();
  }

  complete(seqnum: number): void {
    this.move(seqnum, 'processing', 'completed');
  }

  /** A failed attempt: back to pending while retries remain (and the error is not permanent), else failed. */
  fail(seqnum: number, error: string, opts: { maxRetries: number; permanent?: boolean }): JournalState {
    const row = this.get(seqnum);
    const retries = (row?.retry_count ?? 0) + 1;
    const next: JournalState = opts.permanent || retries >= opts.maxRetries ? 'failed' : 'pending';
    this.move(seqnum, 'processing', next, { retry_count: retries, last_error: error });
    return next;
  }

  /** An operator's retry of a failed entry. */
  requeue(seqnum: number): void {
    this.move(seqnum, 'failed', 'pending', { retry_count: 0, last_error: null });
  }

  /** Claims older than `olderThanMs` were abandoned by a server that died mid-sync: put them back. */
  recoverStale(olderThanMs: number): number {
    const cutoff = new Date(Date.now() - olderThanMs).toISOString();
    return this.db.prepare(`UPDATE journal SET state = 'pending' WHERE state = 'processing' AND last_retried < ?`).run(cutoff).changes;
  }

  get(seqnum: number): JournalEntry | undefined {
    const row = this.db.prepare('SELECT * FROM journal WHERE seqnum = ?').get(seqnum) as Row | undefined;
    return row && parse(row);
  }

  entries(filter: { state?: JournalState; uuid?: string } = {}): JournalEntry[] {
    const rows = this.db
      .prepare(`SELECT * FROM journal WHERE (? IS NULL OR state = ?) AND (? IS NULL OR object_uuid = ?) ORDER BY seqnum`)
      .all(filter.state ?? null, filter.state ?? null, filter.uuid ?? null, filter.uuid ?? null) as Row[];
    return rows.map(parse);
  }

  counts(): Record<JournalState, number> {
    const out: Record<JournalState, number> = { pending: 0, processing: 0, completed: 0, failed: 0 };
    for (const r of this.db.prepare('SELECT state, count(*) AS n FROM journal GROUP BY state').all() as { state: JournalState; n: number }[]) out[r.state] = r.n;
    return out;
  }

  private move(seqnum: number, from: JournalState, to: JournalState, set: Partial<Pick<Row, 'retry_count' | 'last_error' | 'last_retried'>> = {}): void {
    if (!TRANSITIONS[from].includes(to)) throw new IllegalTransition(`journal entry ${seqnum}: ${from} -> ${to} is not a legal transition`);
    const cols = Object.keys(set);
    const res = this.db
      .prepare(`UPDATE journal SET state = ?${cols.map((c) => `, ${c} = ?`).join('')} WHERE seqnum = ? AND state = ?`)
      .run(to, ...cols.map((c) => set[c as keyof typeof set]), seqnum, from);
    if (res.changes !== 1) throw new IllegalTransition(`journal entry ${seqnum} is not ${from} (wanted ${from} -> ${to})`);
  }
}

function parse(row: Row): JournalEntry {
  return { ...row, data: JSON.parse(row.data) as Record<string, unknown>, depends_on: JSON.parse(row.depends_on) as string[] };
}
