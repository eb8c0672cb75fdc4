import type { HandlerEnv } from '../core/on-event.js';
import { repoParams, type Octokit } from '../github/types.js';
import { approvalOutput, queuedOutput, skippedOutput } from './check-output.js';
import { planChecks, type Plan } from './plan.js';
import { checksStoreFor, type CheckRun, type NewRun } from './store.js';
import { decideTrust, type TrustDecision } from './trust.js';

/** The job that runs a head commit's suites (one job for all of them: one fetch, one install, one build). */
export const RUN_JOB = 'checks.run';

export interface RunJobPayload {
  repoId: number;
  pr: number;
  headSha: string;
  defaultBranch: string;
  runIds: number[];
}

/** The parts of a pull request the checks read (from a webhook payload or `pulls.get`). */
export interface PullHead {
  number: number;
  headSha: string;
  author: string;
  /** GitHub's `author_association`. */
  association: string;
  defaultBranch: string;
  htmlUrl?: string;
}

/**
 * - `event`: a pull request event; a suite that already has a live run on this head keeps it;
 * - `rerun`: `/retest`, "Re-run": every suite that runs gets a new attempt (`only`: just these names);
 * - `approval`: `/ok-to-test` or the label: the runs waiting for approval get a new attempt.
 */
export type StartMode = 'event' | 'rerun' | 'approval';

export const groupOf = (repoId: number, pr: number) => `checks:${repoId}#${pr}`;

/** A page of listFiles holds 100; GitHub lists at most 3000 files of a pull request. */
const MAX_LISTED_FILES = 3000;

export async function planFor(octokit: Octokit, env: Pick<HandlerEnv, 'config' | 'repo'>, pr: number): Promise<Plan> {
  const files = (await octokit.paginate(octokit.rest.pulls.listFiles, { ...repoParams(env.repo), pull_number: pr, per_page: 100 })) as { filename: string; previous_filename?: string }[];
  const paths = files.flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename]));
  return planChecks(paths, env.config.checks, { truncated: files.length >= MAX_LISTED_FILES });
}

export async function trustOf(env: Pick<HandlerEnv, 'config' | 'services' | 'repo' | 'people'>, pull: PullHead): Promise<TrustDecision> {
  const store = checksStoreFor(env.services);
  const base = { author: pull.author, association: pull.association, trustedAuthors: env.config.checks.trustedAuthors, headSha: pull.headSha };
  const quick = decideTrust({ ...base, authorIsMaintainer: false });
  if (quick.trusted) return quick;
  const authorIsMaintainer = await env.people.isMaintainer(pull.author);
  return decideTrust({ ...base, authorIsMaintainer, approvedBy: await store.approvedBy(env.repo.repoId, pull.number, pull.headSha) });
}

/**
 * Starts the checks of a pull request's head commit: the runs of an older head are cancelled (their jobs too);
 * each suite of the plan gets its check run at once: queued (and a job to run it) when the author is trusted,
 * `action_required` until a maintainer approves this commit otherwise, `skipped` with the plan's reason when
 * nothing it tests changed. One start per head commit at a time (a lock), so two events never make two runs.
 */
export async function startChecks(octokit: Octokit, env: HandlerEnv, pull: PullHead, opts: { mode: StartMode; trigger: string; only?: string[]; history?: Map<string, string> }): Promise<{ runs: CheckRun[]; trust: TrustDecision }> {
  const { services, repo } = env;
  const store = checksStoreFor(services);
  await cancelSuperseded(octokit, env, pull.number, pull.headSha);
  const plan = await planFor(octokit, env, pull.number);
  const trust = await trustOf(env, pull);
  const runs = await services.locks.withLock(`checks.start:${repo.repoId}:${pull.headSha}`, async () => {
    const latest = new Map((await store.latest(repo.repoId, pull.headSha)).map((r) => [r.name, r]));
    const wanted: NewRun[] = [];
    for (const suite of plan.suites) {
      if (opts.only && !opts.only.includes(suite.name)) continue;
      const before = latest.get(suite.name);
      const live = before && before.conclusion !== 'cancelled';
      if (opts.mode === 'event' && live) continue;
      if (opts.mode === 'approval' && before?.conclusion !== 'action_required') continue;
      if (opts.mode === 'rerun' && live && (!suite.run || before.state !== 'completed')) continue; // skipped stays skipped; running goes on
      wanted.push({ repoId: repo.repoId, pr: pull.number, headSha: pull.headSha, name: suite.name, suite: suite.suite, plugin: suite.plugin, planned: suite.run, reasons: suite.reasons, trigger: opts.trigger, attempt: (before?.attempt ?? 0) + 1 });
    }
    const runs = await store.addRuns(wanted);
    const queued: CheckRun[] = [];
    for (const run of runs) {
      if (run.checkRunId !== null) continue; // made by an earlier try of this same event
      const state = !run.planned ? 'skipped' : trust.trusted ? 'queued' : 'action_required';
      const output = state === 'skipped' ? skippedOutput(run) : state === 'action_required' ? approvalOutput(run, trust.reason) : queuedOutput(run, opts.history?.get(run.name));
      const { data } = await octokit.rest.checks.create({
        ...repoParams(repo),
        name: run.name,
        head_sha: run.headSha,
        external_id: String(run.id),
        details_url: pull.htmlUrl,
        ...(state === 'queued' ? { status: 'queued' as const } : { status: 'completed' as const, conclusion: state, completed_at: services.now().toISOString() }),
        output,
      });
      await store.setCheckRunId(run.id, data.id);
      if (state !== 'queued') await store.complete(run.id, { conclusion: state, title: output.title });
      else queued.push(run);
      env.decide(`checks: ${run.name} ${state}`, { pr: pull.number, sha: pull.headSha, attempt: run.attempt, why: state === 'action_required' ? trust.reason : run.reasons[0] });
    }
    if (queued.length > 0) {
      const payload: RunJobPayload = { repoId: repo.repoId, pr: pull.number, headSha: pull.headSha, defaultBranch: pull.defaultBranch, runIds: queued.map((r) => r.id) };
      await services.runner.enqueue(RUN_JOB, payload, { key: jobKey(repo.repoId, pull.headSha, queued), group: groupOf(repo.repoId, pull.number), repoId: repo.repoId });
    }
    return runs;
  });
  return { runs: await Promise.all(runs.map(async (r) => (await store.get(r.id))!)), trust };
}

/**
 * The runs of a pull request's older heads end as cancelled (a new push, or the pull request was closed:
 * `keepSha` undefined): their queued jobs are dropped and running ones are asked to stop. Each run is
 * completed by one writer (the store decides), so a worker finishing at the same moment writes nothing.
 */
export async function cancelSuperseded(octokit: Octokit, env: Pick<HandlerEnv, 'services' | 'repo' | 'decide'>, pr: number, keepSha?: string): Promise<number> {
  const store = checksStoreFor(env.services);
  await env.services.jobs.cancelGroup(groupOf(env.repo.repoId, pr), (key) => keepSha !== undefined && key !== null && jobKeepsHead(key, keepSha));
  let cancelled = 0;
  for (const run of await store.unfinished(env.repo.repoId, pr, keepSha)) {
    const title = keepSha ? `Cancelled: superseded by ${keepSha.slice(0, 7)}` : 'Cancelled: the pull request was closed';
    if (!(await store.complete(run.id, { conclusion: 'cancelled', title }))) continue;
    cancelled++;
    if (run.checkRunId !== null) {
      await octokit.rest.checks.update({ ...repoParams(env.repo), check_run_id: run.checkRunId, status: 'completed', conclusion: 'cancelled', completed_at: env.services.now().toISOString(), output: { title, summary: `${title}. Nothing of this commit runs any more.` } });
    }
    env.decide(`checks: ${run.name} cancelled`, { pr, sha: run.headSha, why: title });
  }
  return cancelled;
}

/** A job's key names its head commit (so a new push keeps the new head's jobs) and its runs (unique per attempt). */
const jobKey = (repoId: number, sha: string, runs: CheckRun[]) => `${RUN_JOB}:${repoId}:${sha}:${runs.map((r) => r.id).join(',')}`;
const jobKeepsHead = (key: string, sha: string) => key.startsWith(`${RUN_JOB}:`) && key.split(':')[2] === sha;
