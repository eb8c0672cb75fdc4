import { addIdColumn, sqlIn, type StoreMigration } from '../core/store/index.js';

export const NOMINATION_KINDS = ['topic', 'announcement'] as const;
export const AGENDA_KINDS = ['issue', 'discussion'] as const;

/**
 * The agenda's memory: one row per meeting (its issue or Discussion, posted, frozen, closed), the topics and
 * announcements nominated for a meeting, the action items carried from meeting to meeting, and a snapshot of
 * each meeting's counts (the deltas and the trend are computed from them).
 */
export const agendaMigrations: StoreMigration[] = [
  {
    component: 'agenda',
    version: 1,
    description: 'agenda: meetings, nominations, action items and weekly snapshots',
    async up(db, dialect) {
      await db.schema
        .createTable('agenda_meetings')
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('meeting_at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'varchar(10)', (c) => c.notNull().check(sqlIn('kind', AGENDA_KINDS)))
        .addColumn('number', 'integer')
        .addColumn('node_id', 'varchar(100)')
        .addColumn('url', 'varchar(500)')
        .addColumn('posted_at', 'bigint', (c) => c.notNull())
        .addColumn('frozen_at', 'bigint')
        .addColumn('closed_at', 'bigint')
        .addColumn('body_hash', 'varchar(64)')
        .addPrimaryKeyConstraint('agenda_meetings_pk', ['repo_id', 'meeting_at'])
        .execute();
      await addIdColumn(db.schema.createTable('agenda_nominations'), dialect)
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('meeting_at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'varchar(20)', (c) => c.notNull().check(sqlIn('kind', NOMINATION_KINDS)))
        .addColumn('text', 'varchar(600)', (c) => c.notNull())
        .addColumn('target_number', 'integer', (c) => c.notNull())
        .addColumn('target_title', 'varchar(300)', (c) => c.notNull())
        .addColumn('target_url', 'varchar(500)', (c) => c.notNull())
        .addColumn('target_is_pull', 'integer', (c) => c.notNull())
        .addColumn('nominated_by', 'varchar(100)', (c) => c.notNull())
        .addColumn('source_key', 'varchar(300)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('agenda_nominations_source', ['repo_id', 'source_key'])
        .execute();
      await db.schema.createIndex('agenda_nominations_meeting').on('agenda_nominations').columns(['repo_id', 'meeting_at']).execute();
      await addIdColumn(db.schema.createTable('agenda_actions'), dialect)
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('owner', 'varchar(100)', (c) => c.notNull())
        .addColumn('owner_key', 'varchar(100)', (c) => c.notNull())
        .addColumn('text', 'varchar(600)', (c) => c.notNull())
        .addColumn('origin_key', 'varchar(300)', (c) => c.notNull())
        .addColumn('raised_at', 'bigint', (c) => c.notNull())
        .addColumn('raised_by', 'varchar(100)', (c) => c.notNull())
        .addColumn('raised_url', 'varchar(500)')
        .addColumn('closed_at', 'bigint')
        .addColumn('closed_by', 'varchar(100)')
        .addColumn('closed_how', 'varchar(20)')
        .addUniqueConstraint('agenda_actions_number', ['repo_id', 'number'])
        .addUniqueConstraint('agenda_actions_origin', ['repo_id', 'origin_key'])
        .execute();
      await db.schema
        .createTable('agenda_snapshots')
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('meeting_at', 'bigint', (c) => c.notNull())
        .addColumn('counts', 'text', (c) => c.notNull())
        .addColumn('taken_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('agenda_snapshots_pk', ['repo_id', 'meeting_at'])
        .execute();
    },
  },
];
