import { addIdColumn, sqlIn, type StoreMigration } from '../core/store/index.js';

export const RUN_STATES = ['queued', 'in_progress', 'completed'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** The conclusions netbot gives (GitHub's names). */
export const CONCLUSIONS = ['success', 'failure', 'cancelled', 'skipped', 'action_required', 'neutral'] as const;
export type Conclusion = (typeof CONCLUSIONS)[number];

/** The checks room's tables (component 'checks'). */
export const checksMigrations: StoreMigration[] = [
  {
    component: 'checks',
    version: 1,
    description: 'checks: check runs per head commit and attempt, their per-case results, and approvals of head commits',
    async up(db, dialect) {
      await addIdColumn(db.schema.createTable('checks_runs'), dialect)
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('pr', 'integer', (c) => c.notNull())
        .addColumn('head_sha', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('suite', 'varchar(20)', (c) => c.notNull().check(sqlIn('suite', ['conformance', 'migrations'])))
        .addColumn('plugin', 'varchar(200)')
        .addColumn('attempt', 'integer', (c) => c.notNull())
        // Whether the plan runs it (0: completed as skipped at once).
        .addColumn('planned', 'integer', (c) => c.notNull())
        .addColumn('reasons', 'text', (c) => c.notNull())
        .addColumn('trigger', 'varchar(200)', (c) => c.notNull())
        .addColumn('state', 'varchar(12)', (c) => c.notNull().check(sqlIn('state', RUN_STATES)))
        .addColumn('conclusion', 'varchar(20)', (c) => c.check(sqlIn('conclusion', CONCLUSIONS)))
        .addColumn('check_run_id', 'bigint')
        .addColumn('title', 'varchar(500)')
        .addColumn('passed', 'integer')
        .addColumn('failed', 'integer')
        .addColumn('skipped', 'integer')
        .addColumn('duration_ms', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('completed_at', 'bigint')
        .addUniqueConstraint('checks_runs_attempt', ['repo_id', 'head_sha', 'name', 'attempt'])
        .execute();
      await db.schema.createIndex('checks_runs_pr').on('checks_runs').columns(['repo_id', 'pr', 'state']).execute();
      await db.schema.createIndex('checks_runs_check_run').on('checks_runs').column('check_run_id').execute();
      await db.schema.createIndex('checks_runs_completed').on('checks_runs').columns(['repo_id', 'completed_at']).execute();
      await db.schema
        .createTable('checks_cases')
        .addColumn('run_id', 'bigint', (c) => c.notNull())
        .addColumn('case_id', 'varchar(400)', (c) => c.notNull())
        .addColumn('status', 'varchar(10)', (c) => c.notNull().check(sqlIn('status', ['passed', 'failed', 'skipped'])))
        .addPrimaryKeyConstraint('checks_cases_pk', ['run_id', 'case_id'])
        .execute();
      await db.schema.createIndex('checks_cases_case').on('checks_cases').columns(['case_id', 'status']).execute();
      await db.schema
        .createTable('checks_approvals')
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('pr', 'integer', (c) => c.notNull())
        .addColumn('head_sha', 'varchar(64)', (c) => c.notNull())
        .addColumn('approved_by', 'varchar(100)', (c) => c.notNull())
        .addColumn('via', 'varchar(20)', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('checks_approvals_pk', ['repo_id', 'pr', 'head_sha'])
        .execute();
    },
  },
];
