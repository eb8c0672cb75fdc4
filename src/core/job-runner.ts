import { Cron } from 'croner';
import type { Logger } from 'probot';
import type { NetbotConfig } from '../config.js';
import { MaintainerCheck } from '../github/permissions.js';
import type { Octokit } from '../github/types.js';
import type { RepoId } from './on-event.js';
import { retryDelayMs, workerId, type Job } from './jobs.js';
import type { AppServices } from './services.js';

/** What a repository-scoped job gets: what a webhook handler gets (installation Octokit, valid config, people). */
export interface JobRepoEnv {
  repo: RepoId;
  installationId: number;
  octokit: Octokit;
  config: NetbotConfig;
  people: MaintainerCheck;
}

export interface JobContext {
  services: AppServices;
  log: Logger | undefined;
  /** One line per decision, tagged with the job. */
  decide(message: string, fields?: Record<string, unknown>): void;
  /** Aborted when the job is cancelled (a new push) or its lease was lost (it timed out, or another took it). */
  signal: AbortSignal;
  /** Set for repository-scoped jobs. */
  env?: JobRepoEnv;
  /** Tells the runner the job is alive (long steps call it between their parts). */
  heartbeat(): Promise<void>;
}

export interface JobDefinition<P = any> {
  name: string;
  /** `repo`: the job carries a repository id and runs with that repository's env (skipped while its config is invalid). */
  scope: 'repo' | 'global';
  /** How long a claim lasts without a heartbeat before another worker may take the job over. */
  leaseMs?: number;
  maxAttempts?: number;
  /**
   * `fresh` (the default) reads the repository's config from GitHub before the job runs (it may have changed
   * in another process); `cached` accepts this process's copy (refreshed by pushes, at most an hour old).
   */
  config?: 'fresh' | 'cached';
  /**
   * A lane of its own: at most this many of this job run at once in one process, beside (not in) the
   * process's general slots, so long jobs (a pull request's check runs) never hold up the others (the sweep).
   */
  concurrency?: number;
  run(job: Job<P>, ctx: JobContext): Promise<void>;
}

/** A recurring job: cron in a time zone, an occurrence per tick, each enqueued once under `id@time`. */
export interface Schedule {
  /** Unique among schedules, e.g. `triage.sweep` or `agenda:1296269`. */
  id: string;
  cron: string;
  timezone?: string;
  job: string;
  payload?: unknown;
  repoId?: number;
}

export class JobSkipped extends Error {}

/**
 * How long a worker's claim on a job lasts without a heartbeat (the job of a worker that died waits this long
 * before another takes it over), unless the job says otherwise. NETBOT_JOB_LEASE_MS, default 5 minutes.
 */
export const defaultLeaseMs = (env: NodeJS.ProcessEnv = process.env) => {
  const ms = Number(env.NETBOT_JOB_LEASE_MS);
  return Number.isInteger(ms) && ms >= 1000 ? ms : 300_000;
};

/**
 * Runs durable jobs in this process: definitions by name, schedules turned into occurrences (each enqueued
 * once, whatever the number of processes: the occurrence is the job's unique key), and a worker that claims
 * due jobs with a lease. A schedule remembers its last occurrence in the store: an occurrence missed while
 * every process was down runs once at the next start (the latest one only), and a restart repeats nothing.
 */
export class JobRunner {
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly staticSchedules: Schedule[] = [];
  private readonly scheduleSources: (() => Promise<Schedule[]>)[] = [];
  private readonly holder = workerId();
  private readonly running = new Set<Promise<void>>();
  /** Running jobs by name (lanes are counted per name; the rest share the general slots). */
  private readonly runningByName = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private concurrency = 1;
  private pollMs = 1000;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly services: AppServices) {}

  define<P>(definition: JobDefinition<P>): void {
    if (this.definitions.has(definition.name)) throw new Error(`job ${definition.name} is defined twice`);
    this.definitions.set(definition.name, definition as JobDefinition);
  }

  schedule(schedule: Schedule): void {
    this.staticSchedules.push(schedule);
  }

  /** Schedules that come and go with the data (one per repository whose config asks for one). */
  addScheduleSource(source: () => Promise<Schedule[]>): void {
    this.scheduleSources.push(source);
  }

  /** Enqueues a job, and wakes this process's worker so it need not wait for its next poll. */
  async enqueue(name: string, payload: unknown, opts: Parameters<AppServices['jobs']['enqueue']>[2] = {}) {
    if (!this.definitions.has(name)) throw new Error(`no job named ${name}`);
    const result = await this.services.jobs.enqueue(name, payload, { maxAttempts: this.definitions.get(name)!.maxAttempts, ...opts });
    this.wakeUp?.();
    return result;
  }

  /**
   * Enqueues the due occurrence of every schedule (the latest at or before `now`). A schedule seen for the
   * first time starts from now: it runs at its next occurrence, not for the past.
   */
  async tick(now = this.services.now()): Promise<string[]> {
    const schedules = [...this.staticSchedules];
    for (const source of this.scheduleSources) schedules.push(...(await source()));
    const enqueued: string[] = [];
    for (const s of schedules) {
      let latest: Date | undefined;
      try {
        latest = new Cron(s.cron, { timezone: s.timezone, paused: true }).previousRuns(1, now)[0];
      } catch (error) {
        this.services.log?.warn({ schedule: s.id, err: error }, 'jobs: a schedule does not parse; skipped');
        continue;
      }
      if (!latest) continue;
      const mark = await this.services.jobs.scheduleMark(s.id);
      if (mark === undefined) {
        await this.services.jobs.advanceSchedule(s.id, latest.getTime());
        continue;
      }
      if (latest.getTime() <= mark) continue;
      const key = `${s.id}@${latest.toISOString()}`;
      const { created } = await this.enqueue(s.job, { ...(s.payload as object), scheduledAt: latest.toISOString() }, { key, repoId: s.repoId, runAt: latest });
      await this.services.jobs.advanceSchedule(s.id, latest.getTime());
      if (created) enqueued.push(key);
    }
    return enqueued;
  }

  /** Starts ticking schedules (every minute) and working (`concurrency` jobs at a time). */
  start(opts: { concurrency?: number; pollMs?: number; names?: string[] } = {}): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.concurrency = opts.concurrency ?? 1;
    this.pollMs = opts.pollMs ?? 1000;
    let lastTick = 0;
    const loop = async () => {
      if (this.stopped) return;
      try {
        if (Date.now() - lastTick >= 60_000) {
          lastTick = Date.now();
          await this.tick();
        }
        while (!this.stopped) {
          const free = this.freeNames(opts.names);
          if (free.length === 0 || !(await this.runNext(free))) break;
        }
      } catch (error) {
        this.services.log?.error({ err: error }, 'jobs: the worker loop failed; retrying');
      }
      if (this.stopped) return;
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.timer = setTimeout(resolve, this.pollMs);
        this.timer.unref();
      });
      this.wakeUp = undefined;
      void loop();
    };
    void loop();
  }

  /** The job names this process may start one more of now: a free general slot, or a free place in their lane. */
  private freeNames(names = [...this.definitions.keys()]): string[] {
    const general = [...this.runningByName].filter(([name]) => this.definitions.get(name)?.concurrency === undefined).reduce((n, [, count]) => n + count, 0);
    return names.filter((name) => {
      const lane = this.definitions.get(name)?.concurrency;
      return lane === undefined ? general < this.concurrency : (this.runningByName.get(name) ?? 0) < lane;
    });
  }

  /** Stops claiming and waits for the jobs this process is running. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wakeUp?.();
    await Promise.allSettled([...this.running]);
  }

  /**
   * Claims one due job and starts it; resolves true when one started (its run goes on in the background,
   * see `drain` to wait). The in-process worker and the tests both come through here.
   */
  async runNext(names = [...this.definitions.keys()]): Promise<boolean> {
    const maxLease = Math.max(...names.map((n) => this.definitions.get(n)?.leaseMs ?? defaultLeaseMs()));
    const job = await this.services.jobs.claim(this.holder, maxLease, names);
    if (!job) return false;
    this.runningByName.set(job.name, (this.runningByName.get(job.name) ?? 0) + 1);
    const run = this.execute(job).finally(() => {
      this.running.delete(run);
      this.runningByName.set(job.name, this.runningByName.get(job.name)! - 1);
    });
    this.running.add(run);
    return true;
  }

  /** Runs due jobs until none is left (tests, the CLI): each job to its end. */
  async drain(names?: string[]): Promise<void> {
    while (await this.runNext(names)) await Promise.allSettled([...this.running]);
    await Promise.allSettled([...this.running]);
  }

  private async execute(job: Job): Promise<void> {
    const definition = this.definitions.get(job.name)!;
    const leaseMs = definition.leaseMs ?? defaultLeaseMs();
    const log = this.services.log?.child({ job: job.name, jobId: job.id, key: job.key });
    const abort = new AbortController();
    const beat = async () => {
      const state = await this.services.jobs.heartbeat(job.id, this.holder, leaseMs);
      if (!state.held) abort.abort(new Error('the job was taken over by another worker'));
      else if (state.cancelRequested) abort.abort(new Error('the job was cancelled'));
    };
    const beating = setInterval(() => void beat().catch(() => {}), Math.max(50, leaseMs / 3));
    beating.unref();
    try {
      const env = definition.scope === 'repo' ? await this.repoEnv(job, definition.config ?? 'fresh') : undefined;
      await definition.run(job, {
        services: this.services,
        log,
        decide: (message, fields) => log?.info(fields ?? {}, message),
        signal: abort.signal,
        env,
        heartbeat: beat,
      });
      await this.services.jobs.finish(job.id, this.holder, { state: abort.signal.aborted ? 'cancelled' : 'done' });
    } catch (error) {
      if (error instanceof JobSkipped) {
        log?.info({ why: error.message }, 'jobs: skipped');
        await this.services.jobs.finish(job.id, this.holder, { state: 'done' });
      } else if (abort.signal.aborted) {
        await this.services.jobs.finish(job.id, this.holder, { state: 'cancelled' });
      } else {
        const retry = job.attempts < job.maxAttempts;
        log?.warn({ err: error, attempt: job.attempts, of: job.maxAttempts }, retry ? 'jobs: failed; will retry' : 'jobs: failed for good');
        await this.services.jobs.finish(job.id, this.holder, {
          state: 'failed',
          error: String((error as Error)?.stack ?? error),
          retryAt: retry ? Date.now() + retryDelayMs(job.attempts) : undefined,
        });
      }
    } finally {
      clearInterval(beating);
    }
  }

  /** The repository's env, read now: its installation from the registry and its config fresh from GitHub. */
  private async repoEnv(job: Job, config: 'fresh' | 'cached'): Promise<JobRepoEnv> {
    if (job.repoId === null) throw new JobSkipped('a repository job without a repository');
    const known = await this.services.repos.get(job.repoId);
    if (!known?.installationId) throw new JobSkipped(`no installation known for repository ${job.repoId}`);
    if (!this.services.octokitFor) throw new JobSkipped('no GitHub App credentials in this process');
    const octokit = await this.services.octokitFor(known.installationId);
    const ref = { owner: known.owner, repo: known.repo };
    // While the config is invalid netbot acts on nothing there; a maintainer may also have changed it since.
    const loaded = config === 'fresh' ? await this.services.configs.fetch(octokit, ref) : await this.services.configs.cached(octokit, ref);
    if (!loaded.ok) throw new JobSkipped('the repository config is invalid: netbot acts on nothing there until it is fixed');
    await this.services.repos.remember({ repoId: known.repoId, owner: known.owner, repo: known.repo }, loaded.config);
    return {
      repo: { repoId: known.repoId, ...ref, htmlUrl: known.htmlUrl ?? undefined },
      installationId: known.installationId,
      octokit,
      config: loaded.config,
      people: new MaintainerCheck(octokit, ref, loaded.config),
    };
  }
}
