import type { Migration } from '../migration.js';

/**
 * The journal learns the services' objects (routers, floating IPs, security groups and rules,
 * LBaaS v1 pools, members, vips, health monitors): object_type's CHECK widens, which SQLite can
 * only do by rebuilding the table. Every entry is copied as it was, its seqnum included, so the
 * queue keeps its order and AUTOINCREMENT carries on past the highest one.
 */
export const icehouseJournalServices: Migration = {
  id: 'icehouse_journal_services',
  release: 'icehouse',
  description: "journal.object_type accepts the services' objects (table rebuilt, entries kept)",
  rebuildsTables: true,
  up(db) {
    db.exec(`
      CREATE TABLE journal_new (
        seqnum INTEGER PRIMARY KEY AUTOINCREMENT,
        object_type TEXT NOT NULL CHECK (object_type IN ('network', 'subnet', 'port', 'router', 'floatingip', 'security_group',
          'security_group_rule', 'pool', 'member', 'vip', 'health_monitor')),
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
      INSERT INTO journal_new (seqnum, object_type, object_uuid, operation, data, depends_on, state, retry_count, last_error, created_at, last_retried)
        SELECT seqnum, object_type, object_uuid, operation, data, depends_on, state, retry_count, last_error, created_at, last_retried FROM journal;
      DROP TABLE journal;
      ALTER TABLE journal_new RENAME TO journal;
      CREATE INDEX journal_state ON journal (state, seqnum);
      CREATE INDEX journal_object ON journal (object_uuid, seqnum);
    `);
  },
};
