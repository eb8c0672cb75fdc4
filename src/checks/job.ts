import { JobSkipped, type JobContext } from '../core/job-runner.js';
import type { Job } from '../core/jobs.js';
import type { AppServices } from '../core/services.js';
import { repoParams, type Octokit, type RepoRef } from '../github/types.js';
import { ANNOTATIONS_PER_REQUEST, completedOutput, progressOutput, type Annotation, type CheckOutput, type Step } from './check-output.js';
import { runPipeline, type PipelineEvent, type PipelineTimes, type SuiteOutcome } from './runner/pipeline.js';
import type { RunnerSettings } from './runner/settings.js';
import { RUN_JOB, type RunJobPayload } from './start.js';
import { checksStoreFor, type CheckRun } from './store.js';

/**
 * The live summary is rewritten at most this often (each write to GitHub waits its turn in Probot's write
 * throttle, one a second per installation: a short run makes only its in_progress and completed writes).
 */
const PROGRESS_EVERY_MS = 10_000;

/** What one job did, for the bench and the logs. */
export interface RunJobResult {
  times: PipelineTimes;
  outcomes: SuiteOutcome[];
}

/** Called with each finished job's figures (the bench listens). */
export type RunJobObserver = (result: RunJobResult) => void;

/**
 * `checks.run`: one head commit's suites, in its own lane of the worker (`concurrency` at once per process, so
 * the other jobs never wait behind a long run). A job whose worker died is taken over once its lease runs out
 * and runs again from the start; each run is completed once (the store decides which write wins).
 */
export function defineRunJob(services: AppServices, settings: RunnerSettings, observe?: RunJobObserver): void {
  services.runner.define<RunJobPayload>({
    name: RUN_JOB,
    scope: 'global', // it finds its repository itself: a run must end with a conclusion even when the config went bad
    concurrency: settings.concurrency,
    maxAttempts: 3,
    run: async (job, ctx) => {
      const result = await runChecksJob(job, ctx, settings);
      if (result) observe?.(result);
    },
  });
}

async function runChecksJob(job: Job<RunJobPayload>, ctx: JobContext, settings: RunnerSettings): Promise<RunJobResult | undefined> {
  const { services } = ctx;
  const store = checksStoreFor(services);
  const p = job.payload;
  const runs = (await Promise.all(p.runIds.map((id) => store.get(id)))).filter((r): r is CheckRun => r !== undefined && r.state !== 'completed');
  if (runs.length === 0) throw new JobSkipped('its check runs were completed already (cancelled by a new push, or run by another worker)');
  const repo = await services.repos.get(p.repoId);
  if (!repo?.installationId || !services.octokitFor) throw new JobSkipped(`no installation known for repository ${p.repoId} (or no App credentials in this process)`);
  const octokit = await services.octokitFor(repo.installationId);
  const ref: RepoRef = { owner: repo.owner, repo: repo.repo };
  const reporter = new Reporter(services, octokit, ref, runs);

  const loaded = await services.configs.cached(octokit, ref);
  if (!loaded.ok || !loaded.config.checks.enabled) {
    const why = loaded.ok ? 'checks were turned off in .github/netbot.yml' : '.github/netbot.yml became invalid: netbot is paused in this repository';
    await reporter.endAll({ conclusion: 'cancelled', title: `Cancelled: ${why}`, summary: `Not run: ${why}.` });
    ctx.decide('checks: runs cancelled before they started', { why, sha: p.headSha });
    return undefined;
  }

  try {
    for (const run of runs) await reporter.start(run);
    const { outcomes, times } = await runPipeline({
      fetchTarball: async () => Buffer.from((await octokit.rest.repos.downloadTarballArchive({ ...repoParams(ref), ref: p.headSha })).data as ArrayBuffer),
      defaultBranchHas: (blob) => defaultBranchHas(octokit, ref, p.defaultBranch, blob),
      scope: `${p.repoId}-${p.pr}`,
      suites: runs.map((r) => ({ key: `run-${r.id}`, suite: r.suite, plugin: r.plugin })),
      settings,
      signal: ctx.signal,
      onEvent: (event) => reporter.onEvent(event, ctx.signal),
    });
    await reporter.settled();
    ctx.decide('checks: head commit tested', { sha: p.headSha, pr: p.pr, conclusions: outcomes.map((o) => o.conclusion), ...roundTimes(times) });
    return { times, outcomes };
  } catch (error) {
    // A failure of netbot itself (GitHub down): retried; on the last attempt the runs end as failures, never pending.
    if (!ctx.signal.aborted && job.attempts >= job.maxAttempts) {
      await reporter.endAll({ conclusion: 'failure', title: 'netbot could not finish this run', summary: `netbot could not finish this run after ${job.attempts} attempts: ${(error as Error).message}. Use \`/retest\` to try again.` }).catch(() => {});
    }
    throw error;
  }
}

async function defaultBranchHas(octokit: Octokit, ref: RepoRef, branch: string, blob: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repoParams(ref), path: 'package-lock.json', ref: branch });
    return !Array.isArray(data) && data.sha === blob;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}

const roundTimes = (t: PipelineTimes) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v) : v]));

/**
 * Writes a job's check runs as the pipeline moves: in_progress with a live summary (the shared steps, then the
 * running suite's last output line), then each run completed as soon as its suite ends. Writes are queued one
 * after another; a run another writer completed first (a cancel) is left alone.
 */
class Reporter {
  private readonly steps: Step[] = [];
  private readonly byKey: Map<string, CheckRun>;
  private chain: Promise<void> = Promise.resolve();
  private lastProgress = 0;
  private lastLine = '';
  private running: CheckRun | undefined;

  constructor(
    private readonly services: AppServices,
    private readonly octokit: Octokit,
    private readonly ref: RepoRef,
    private readonly runs: CheckRun[],
  ) {
    this.byKey = new Map(runs.map((r) => [`run-${r.id}`, r]));
  }

  async start(run: CheckRun): Promise<void> {
    if (!(await checksStoreFor(this.services).start(run.id))) return;
    this.lastProgress = Date.now();
    await this.update(run, { status: 'in_progress', started_at: this.services.now().toISOString(), output: progressOutput(run, [{ name: 'fetch the head commit', state: 'waiting' }]) });
  }

  onEvent(event: PipelineEvent, signal: AbortSignal): void {
    if (signal.aborted) return; // cancelled: the canceller completes the runs, or a worker that took the job over does
    if (event.kind === 'step') {
      const name = { fetch: 'fetch the head commit', install: 'install the dependencies', build: 'build' }[event.step];
      const existing = this.steps.find((s) => s.name === name);
      const state = event.state === 'started' ? 'running' : `done${event.detail ? `: ${event.detail}` : ''}`;
      if (existing) existing.state = state;
      else this.steps.push({ name, state });
      this.enqueue(() => this.progressAll());
    } else if (event.kind === 'suite-started') {
      this.running = this.byKey.get(event.key);
      this.lastLine = '';
      if (this.running) this.enqueue(() => this.progress(this.running!, false));
    } else if (event.kind === 'suite-output') {
      const line = event.text.trimEnd().split('\n').filter((l) => l.trim() !== '').at(-1);
      if (line) this.lastLine = line.slice(0, 300);
      const run = this.byKey.get(event.key);
      if (run && Date.now() - this.lastProgress >= PROGRESS_EVERY_MS) this.enqueue(() => this.progress(run, false));
    } else {
      const run = this.byKey.get(event.outcome.key);
      if (run) this.enqueue(() => this.complete(run, event.outcome));
    }
  }

  /** Resolves when every queued write is done (rejects with the first that failed). */
  async settled(): Promise<void> {
    await this.chain;
  }

  /** Ends every run not completed yet with the same output (a runner that cannot go on). */
  async endAll(end: { conclusion: 'failure' | 'cancelled'; title: string; summary: string }): Promise<void> {
    await this.chain.catch(() => {});
    for (const run of this.runs) {
      if (!(await checksStoreFor(this.services).complete(run.id, { conclusion: end.conclusion, title: end.title }))) continue;
      await this.update(run, { status: 'completed', conclusion: end.conclusion, completed_at: this.services.now().toISOString(), output: { title: end.title, summary: end.summary } });
    }
  }

  private enqueue(write: () => Promise<void>): void {
    this.chain = this.chain.then(write);
  }

  private async progressAll(): Promise<void> {
    if (Date.now() - this.lastProgress < PROGRESS_EVERY_MS) return;
    for (const run of this.runs) await this.progress(run, true);
  }

  private async progress(run: CheckRun, force: boolean): Promise<void> {
    if (!force && Date.now() - this.lastProgress < PROGRESS_EVERY_MS) return;
    const current = await checksStoreFor(this.services).get(run.id);
    if (current?.state !== 'in_progress') return;
    this.lastProgress = Date.now();
    const suite = this.running === undefined ? 'waiting for the build' : this.running.id === run.id ? 'running' : 'waiting for the suite before it';
    await this.update(run, { output: progressOutput(run, [...this.steps, { name: 'the suite', state: suite }], this.running?.id === run.id ? this.lastLine : undefined) });
  }

  private async complete(run: CheckRun, outcome: SuiteOutcome): Promise<void> {
    const store = checksStoreFor(this.services);
    const failed = outcome.report?.cases.filter((c) => c.status === 'failed').map((c) => c.id) ?? [];
    const history = await store.history(run.repoId, run, failed, run.id);
    const { output, annotations } = completedOutput(run, outcome, {
      flaky: failed.filter((id) => history.get(id)!.flakes > 0),
      fresh: failed.filter((id) => history.get(id)!.failedBefore === 0),
    });
    const won = await store.complete(run.id, {
      conclusion: outcome.conclusion,
      title: output.title,
      counts: outcome.report?.summary,
      durationMs: outcome.report?.duration_ms ?? outcome.durationMs,
      cases: outcome.report?.cases.map((c) => ({ id: c.id, status: c.status })),
    });
    if (!won) return;
    // All but the last batch first: a completed run then has every annotation it will ever have.
    const batches: Annotation[][] = [];
    for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
    for (const batch of batches.slice(0, -1)) await this.update(run, { output: { ...output, annotations: batch } });
    await this.update(run, { status: 'completed', conclusion: outcome.conclusion, completed_at: this.services.now().toISOString(), output: { ...output, annotations: batches.at(-1) } });
  }

  private async update(run: CheckRun, fields: { status?: 'in_progress' | 'completed'; conclusion?: string; started_at?: string; completed_at?: string; output: CheckOutput & { annotations?: Annotation[] } }): Promise<void> {
    if (run.checkRunId === null) return;
    await this.octokit.rest.checks.update({ ...repoParams(this.ref), check_run_id: run.checkRunId, ...(fields as object) });
  }
}
