import { addIdColumn, type StoreMigration } from '../core/store/index.js';

/** The triage room's tables (component 'triage'). Logins and labels are matched by a lower-case key column. */
export const triageMigrations: StoreMigration[] = [
  {
    component: 'triage',
    version: 1,
    description: 'triage: issues (the board), claims history, pull request links, people welcomed',
    async up(db, dialect) {
      await db.schema
        .createTable('triage_issues')
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('title', 'varchar(500)', (c) => c.notNull())
        .addColumn('url', 'varchar(500)', (c) => c.notNull())
        .addColumn('author', 'varchar(100)', (c) => c.notNull())
        .addColumn('state', 'varchar(10)', (c) => c.notNull())
        .addColumn('areas', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('lhf', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('score', 'double precision')
        .addColumn('claimed_by', 'varchar(100)')
        .addColumn('claimed_by_key', 'varchar(100)')
        .addColumn('claimed_at', 'bigint')
        .addColumn('claim_pinned', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_activity_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('triage_issues_pk', ['repo_id', 'number'])
        .execute();
      await db.schema.createIndex('triage_issues_claims').on('triage_issues').columns(['repo_id', 'claimed_by_key']).execute();
      await addIdColumn(db.schema.createTable('triage_claims'), dialect)
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('login', 'varchar(100)', (c) => c.notNull())
        .addColumn('login_key', 'varchar(100)', (c) => c.notNull())
        .addColumn('claimed_at', 'bigint', (c) => c.notNull())
        .addColumn('released_at', 'bigint')
        .addColumn('release_reason', 'varchar(200)')
        .addColumn('released_by', 'varchar(100)')
        .execute();
      await db.schema.createIndex('triage_claims_issue').on('triage_claims').columns(['repo_id', 'number', 'login_key']).execute();
      await db.schema
        .createTable('triage_pr_links')
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('issue_number', 'integer', (c) => c.notNull())
        .addColumn('pr_number', 'integer', (c) => c.notNull())
        .addColumn('pr_author', 'varchar(100)', (c) => c.notNull())
        .addPrimaryKeyConstraint('triage_pr_links_pk', ['repo_id', 'issue_number', 'pr_number'])
        .execute();
      await db.schema
        .createTable('triage_welcomed')
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('login_key', 'varchar(100)', (c) => c.notNull())
        .addColumn('login', 'varchar(100)', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('triage_welcomed_pk', ['repo_id', 'login_key'])
        .execute();
    },
  },
  {
    component: 'triage',
    version: 2,
    description: "triage: what people decided (learning examples), each repository's learned models (versioned), the starter band of each bug",
    async up(db, dialect) {
      // One row per decision a person made (a starter or area label set or removed, /lhf, /not-lhf, a starter fixed
      // by a newcomer) or read from history by the backfill; `event_key` makes a redelivered event or a rerun once.
      await addIdColumn(db.schema.createTable('triage_examples'), dialect)
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('event_key', 'varchar(200)', (c) => c.notNull())
        .addColumn('title', 'varchar(1000)', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('starter', 'integer')
        .addColumn('areas', 'text')
        .addColumn('source', 'varchar(40)', (c) => c.notNull())
        .addColumn('actor', 'varchar(100)', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('triage_examples_event').on('triage_examples').columns(['repo_id', 'event_key']).unique().execute();
      await db.schema.createIndex('triage_examples_issue').on('triage_examples').columns(['repo_id', 'number', 'at']).execute();
      await db.schema
        .createTable('triage_models')
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('examples_seen', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('triage_models_pk', ['repo_id', 'kind', 'version'])
        .execute();
      await db.schema.alterTable('triage_issues').addColumn('lhf_band', 'varchar(10)').execute();
    },
  },
];
