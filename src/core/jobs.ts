import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql, type Kysely } from 'kysely';
import { addIdColumn, sqlIn, touched, type Dialect, type StoreMigration } from './store/index.js';

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const jobMigrations: StoreMigration[] = [
  {
    component: 'core',
    version: 5,
    description: 'jobs: durable background work with leases, attempts and a unique key per scheduled occurrence',
    async up(db, dialect) {
      await addIdColumn(db.schema.createTable('jobs'), dialect)
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('job_key', 'varchar(400)', (c) => c.unique())
        .addColumn('job_group', 'varchar(300)')
        .addColumn('repo_id', 'bigint')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('state', 'varchar(10)', (c) => c.notNull().check(sqlIn('state', JOB_STATES)))
        .addColumn('run_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('lease_holder', 'varchar(100)')
        .addColumn('lease_until', 'bigint')
        .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .execute();
      await db.schema.createIndex('jobs_due').on('jobs').columns(['state', 'run_at']).execute();
      await db.schema.createIndex('jobs_group').on('jobs').columns(['job_group', 'state']).execute();
      await db.schema
        .createTable('job_schedules')
        .addColumn('schedule', 'varchar(200)', (c) => c.primaryKey())
        .addColumn('last_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
];

export interface Job<P = unknown> {
  id: number;
  name: string;
  key: string | null;
  repoId: number | null;
  payload: P;
  attempts: number;
  maxAttempts: number;
  runAt: number;
}

export interface EnqueueOptions {
  /** A unique key: a second enqueue with the same key does nothing (a scheduled occurrence, a commit's suite). */
  key?: string;
  /** Jobs cancelled together (a pull request's suites): see cancelGroup. */
  group?: string;
  repoId?: number;
  runAt?: Date;
  maxAttempts?: number;
}

interface JobRow {
  id: number;
  name: string;
  job_key: string | null;
  repo_id: number | null;
  payload: string;
  state: JobState;
  run_at: number;
  attempts: number;
  max_attempts: number;
}

const toJob = (r: JobRow): Job => ({
  id: Number(r.id),
  name: r.name,
  key: r.job_key,
  repoId: r.repo_id === null ? null : Number(r.repo_id),
  payload: JSON.parse(r.payload),
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  runAt: Number(r.run_at),
});

/** Retry after a failure: 30 s, 2 min, 8 min, ... capped at an hour. */
export const retryDelayMs = (attempts: number) => Math.min(3_600_000, 30_000 * 4 ** Math.max(0, attempts - 1));

/**
 * The jobs table: enqueue (idempotent by key), claim with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL;
 * SQLite serialises writers), heartbeat, finish, retry with backoff, cancel. A job whose worker died is
 * claimable again once its lease has run out; finishing needs the lease, so a worker that lost its job
 * to another cannot also record an outcome.
 */
export class JobQueue {
  constructor(
    private readonly db: Kysely<any>,
    private readonly dialect: Dialect,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Adds a job; returns its id and whether it is new (false: the key was taken already). */
  async enqueue(name: string, payload: unknown, opts: EnqueueOptions = {}): Promise<{ id: number; created: boolean }> {
    const now = this.clock();
    const values = {
      name,
      job_key: opts.key ?? null,
      job_group: opts.group ?? null,
      repo_id: opts.repoId ?? null,
      payload: JSON.stringify(payload ?? null),
      state: 'queued',
      run_at: opts.runAt?.getTime() ?? now,
      attempts: 0,
      max_attempts: opts.maxAttempts ?? 5,
      created_at: now,
    };
    const inserted = await this.db
      .insertInto('jobs')
      .values(values)
      .onConflict((oc) => oc.column('job_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { id: Number(inserted.id), created: true };
    const existing = await this.db.selectFrom('jobs').select('id').where('job_key', '=', opts.key!).executeTakeFirstOrThrow();
    return { id: Number(existing.id), created: false };
  }

  /**
   * Takes the next due job (of the given names, or any) for `holder`, with a lease of `leaseMs`: a queued
   * job whose time has come, or a running one whose lease ran out (its worker died).
   */
  async claim(holder: string, leaseMs: number, names?: readonly string[]): Promise<Job | undefined> {
    if (names && names.length === 0) return undefined;
    const now = this.clock();
    let pick = this.db
      .selectFrom('jobs')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', now)]),
          eb.and([eb('state', '=', 'running'), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('run_at')
      .orderBy('id')
      .limit(1);
    if (names) pick = pick.where('name', 'in', names);
    if (this.dialect === 'postgres') pick = pick.forUpdate().skipLocked();
    const row = (await this.db
      .updateTable('jobs')
      .set((eb) => ({ state: 'running', lease_holder: holder, lease_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', pick)
      .returningAll()
      .executeTakeFirst()) as JobRow | undefined;
    return row && toJob(row);
  }

  /** Extends the lease; false when the job is no longer this holder's (taken over, cancelled, finished). */
  async heartbeat(jobId: number, holder: string, leaseMs: number): Promise<{ held: boolean; cancelRequested: boolean }> {
    const result = await this.db
      .updateTable('jobs')
      .set({ lease_until: this.clock() + leaseMs })
      .where('id', '=', jobId)
      .where('lease_holder', '=', holder)
      .where('state', '=', 'running')
      .returning('cancel_requested')
      .executeTakeFirst();
    return { held: result !== undefined, cancelRequested: result?.cancel_requested === 1 };
  }

  /** Records the outcome if `holder` still holds the job; false when it did not (the outcome is dropped). */
  async finish(jobId: number, holder: string, outcome: { state: 'done' | 'cancelled' } | { state: 'failed'; error: string; retryAt?: number }): Promise<boolean> {
    const now = this.clock();
    const retry = outcome.state === 'failed' && outcome.retryAt !== undefined;
    const result = await this.db
      .updateTable('jobs')
      .set({
        state: retry ? 'queued' : outcome.state,
        run_at: retry ? (outcome as { retryAt: number }).retryAt : sql`run_at`,
        last_error: outcome.state === 'failed' ? outcome.error.slice(0, 4000) : null,
        lease_holder: null,
        lease_until: null,
        finished_at: retry ? null : now,
      })
      .where('id', '=', jobId)
      .where('lease_holder', '=', holder)
      .where('state', '=', 'running')
      .executeTakeFirst();
    return touched(result) === 1;
  }

  /**
   * Cancels a group's unfinished jobs, except those whose key is kept (a pull request's new head): queued
   * ones at once; running ones are asked to stop (their worker sees it at its next heartbeat). Returns the
   * keys it touched.
   */
  async cancelGroup(group: string, keep: (key: string | null) => boolean = () => false): Promise<string[]> {
    const rows = await this.db.selectFrom('jobs').select(['id', 'job_key', 'state']).where('job_group', '=', group).where('state', 'in', ['queued', 'running']).execute();
    const doomed = rows.filter((r) => !keep(r.job_key));
    const queued = doomed.filter((r) => r.state === 'queued').map((r) => r.id);
    const running = doomed.filter((r) => r.state === 'running').map((r) => r.id);
    if (queued.length) await this.db.updateTable('jobs').set({ state: 'cancelled', finished_at: this.clock() }).where('id', 'in', queued).where('state', '=', 'queued').execute();
    if (running.length) await this.db.updateTable('jobs').set({ cancel_requested: 1 }).where('id', 'in', running).where('state', '=', 'running').execute();
    return doomed.map((r) => r.job_key as string);
  }

  async get(jobId: number): Promise<(Job & { state: JobState; lastError: string | null }) | undefined> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    return row && { ...toJob(row as JobRow), state: row.state, lastError: row.last_error };
  }

  async byKey(key: string): Promise<(Job & { state: JobState }) | undefined> {
    const row = await this.db.selectFrom('jobs').selectAll().where('job_key', '=', key).executeTakeFirst();
    return row && { ...toJob(row as JobRow), state: row.state };
  }

  /** Counts by state (for tests, the CLI and the bench). */
  async counts(name?: string): Promise<Record<JobState, number>> {
    let q = this.db.selectFrom('jobs').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state');
    if (name) q = q.where('name', '=', name);
    const out = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
    for (const r of await q.execute()) out[r.state as JobState] = Number(r.n);
    return out;
  }

  /** Drops finished jobs older than `days` (scheduled occurrences keep their key only as long as needed). */
  async prune(days = 30): Promise<number> {
    const result = await this.db
      .deleteFrom('jobs')
      .where('state', 'in', ['done', 'failed', 'cancelled'])
      .where('finished_at', '<', this.clock() - days * 86_400_000)
      .executeTakeFirst();
    return touched(result);
  }

  /** The last occurrence a schedule enqueued (epoch ms), if it ever ran here. */
  async scheduleMark(schedule: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('job_schedules').select('last_at').where('schedule', '=', schedule).executeTakeFirst();
    return row ? Number(row.last_at) : undefined;
  }

  /** Moves a schedule's mark forward (never back: two processes may race here). */
  async advanceSchedule(schedule: string, at: number): Promise<void> {
    await this.db
      .insertInto('job_schedules')
      .values({ schedule, last_at: at })
      .onConflict((oc) => oc.column('schedule').doUpdateSet({ last_at: at }).where('job_schedules.last_at', '<', at))
      .execute();
  }
}

/** A worker's identity in leases: host, process and a random part (two workers in one process differ). */
export const workerId = () => `${hostname().slice(0, 40)}:${process.pid}:${randomUUID().slice(0, 8)}`;
