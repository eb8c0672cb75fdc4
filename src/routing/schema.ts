import { sqlIn, type StoreMigration } from '../core/store/index.js';
import { MARK_KINDS, REQUEST_STATES } from './store.js';

/** The routing room's tables (component 'routing'). Logins and subteams are matched by lower-case key columns. */
export const routingMigrations: StoreMigration[] = [
  {
    component: 'routing',
    version: 1,
    description: 'routing: review requests (load), vacations, and per-pull-request marks (human overrides, routed subteams)',
    async up(db) {
      await db.schema
        .createTable('routing_review_requests')
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('pr', 'integer', (c) => c.notNull())
        .addColumn('reviewer_key', 'varchar(100)', (c) => c.notNull())
        .addColumn('reviewer', 'varchar(100)', (c) => c.notNull())
        .addColumn('subteams', 'varchar(1000)', (c) => c.notNull().defaultTo(''))
        .addColumn('requested_by_bot', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'varchar(10)', (c) => c.notNull().check(sqlIn('state', REQUEST_STATES)))
        .addColumn('requested_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('routing_review_requests_pk', ['repo_id', 'pr', 'reviewer_key'])
        .execute();
      await db.schema.createIndex('routing_review_requests_by_state').on('routing_review_requests').columns(['repo_id', 'state', 'reviewer_key']).execute();
      await db.schema
        .createTable('routing_vacations')
        .addColumn('login_key', 'varchar(100)', (c) => c.primaryKey())
        .addColumn('login', 'varchar(100)', (c) => c.notNull())
        .addColumn('since', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('routing_marks')
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('pr', 'integer', (c) => c.notNull())
        .addColumn('kind', 'varchar(10)', (c) => c.notNull().check(sqlIn('kind', MARK_KINDS)))
        .addColumn('value_key', 'varchar(200)', (c) => c.notNull())
        .addColumn('detail', 'varchar(1000)', (c) => c.notNull().defaultTo(''))
        .addColumn('actor', 'varchar(100)', (c) => c.notNull().defaultTo(''))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('routing_marks_pk', ['repo_id', 'pr', 'kind', 'value_key'])
        .execute();
    },
  },
];
