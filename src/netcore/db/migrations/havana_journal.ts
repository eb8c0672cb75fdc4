import type { Migration } from '../migration.js';

/**
 * The journal plugin's table (in the one shared history, so every plugin sees the same schema, as
 * Neutron's "healing" migration taught). Each row is one change for an external SDN controller to
 * apply, in seqnum order: pending -> processing -> completed, or back to pending on a transient
 * failure, or failed once its retries are spent.
 */
export const havanaJournal: Migration = {
  id: 'havana_journal',
  release: 'havana',
  description: 'journal: changes queued for an external SDN controller, with their sync state',
  up(db) {
    db.exec(`
      CREATE TABLE journal (
        seqnum INTEGER PRIMARY KEY AUTOINCREMENT,
        object_type TEXT NOT NULL CHECK (object_type IN ('network', 'subnet', 'port')),
        object_uuid TEXT NOT NULL,
        operation TEXT NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
        data TEXT NOT NULL,
        depends_on TEXT NOT NULL DEFAULT '[]',
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'processing', 'completed', 'failed')),
        retry_count INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        last_retried TEXT
      );
      CREATE INDEX journal_state ON journal (state, seqnum);
      CREATE INDEX journal_object ON journal (object_uuid, seqnum);
    `);
  },
};
