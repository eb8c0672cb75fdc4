import type { Probot } from 'probot';
import { onEvent, type HandlerEnv } from '../core/on-event.js';
import type { AppServices } from '../core/services.js';
import { issueParams, repoParams, type Octokit } from '../github/types.js';
import { render } from '../templates.js';
import { failureHistory, type FailureHistory } from './history.js';
import { cancelSuperseded, startChecks, type PullHead } from './start.js';
import { checksStoreFor } from './store.js';
import { OK_TO_TEST_LABEL } from './trust.js';

interface PullPayload {
  number: number;
  state: string;
  html_url?: string;
  user: { login: string } | null;
  author_association?: string;
  head: { sha: string };
  base: { repo: { default_branch?: string } };
  labels?: { name: string }[];
}

/** The head of a pull request, from a payload or `pulls.get`. */
export function pullHead(pr: PullPayload, defaultBranch?: string): PullHead {
  return {
    number: pr.number,
    headSha: pr.head.sha,
    author: pr.user?.login ?? '',
    association: pr.author_association ?? 'NONE',
    defaultBranch: pr.base.repo.default_branch ?? defaultBranch ?? 'main',
    htmlUrl: pr.html_url,
  };
}

/** The pull request as GitHub has it now (a rerun or an approval is for its current head). */
export async function currentPull(octokit: Octokit, env: Pick<HandlerEnv, 'repo'>, number: number): Promise<PullPayload> {
  return (await octokit.rest.pulls.get({ ...repoParams(env.repo), pull_number: number })).data as PullPayload;
}

/** The note a rerun's queued summary carries: which failed cases of the last attempt are known flakes. */
export function historyNotes(history: FailureHistory[]): Map<string, string> {
  return new Map(history.map((h) => [h.name, render('checks/reply.md.njk', { outcome: 'history', failures: [h] })]));
}

export function registerChecksHandlers(app: Probot, services: AppServices): void {
  const store = checksStoreFor(services);

  onEvent(app, services, ['pull_request.opened', 'pull_request.reopened', 'pull_request.synchronize', 'pull_request.ready_for_review'], 'checks.plan', async (context, env) => {
    if (!env.config.checks.enabled) return env.decide('checks: off in this repository (checks.enabled: false)');
    const pr = context.payload.pull_request as PullPayload;
    const { trust } = await startChecks(context.octokit, env, pullHead(pr, context.payload.repository.default_branch), { mode: 'event', trigger: `pull request ${context.payload.action.replace(/_/g, ' ')}` });
    // The label approved the head it was given on; an untrusted author's new push must be approved again.
    const label = pr.labels?.find((l) => l.name.toLowerCase() === OK_TO_TEST_LABEL);
    if (context.payload.action === 'synchronize' && label && !trust.trusted) {
      await context.octokit.rest.issues.removeLabel({ ...issueParams({ ...env.repo, issue_number: pr.number }), name: label.name }).catch((error: { status?: number }) => {
        if (error.status !== 404) throw error;
      });
      env.decide('checks: a new push of an untrusted author: the ok-to-test label comes off (it approved the old head)', { pr: pr.number });
    }
  }, { bots: true }); // a bot's pull request (dependabot) gets its runs too: as action_required until approved, if untrusted

  // A record: whoever closed it (a merge queue's bot too), its jobs stop and its own unfinished runs end as
  // cancelled. It needs no config, and touches GitHub only when there are runs to end.
  onEvent(
    app,
    services,
    'pull_request.closed',
    'checks.closed',
    async (context, env) => {
      const cancelled = await cancelSuperseded(context.octokit, env, context.payload.pull_request.number);
      if (cancelled) env.decide('checks: the pull request was closed: its runs are cancelled', { pr: context.payload.pull_request.number, cancelled });
    },
    { kind: 'record' },
  );

  onEvent(
    app,
    services,
    'pull_request.labeled',
    'checks.ok-to-test-label',
    async (context, env) => {
      if (!env.config.checks.enabled) return;
      const pr = context.payload.pull_request as PullPayload;
      const by = context.payload.sender.login;
      if (!(await env.people.isMaintainer(by))) return env.decide('checks: the ok-to-test label from someone who is not a maintainer approves nothing', { pr: pr.number, by });
      await store.approve(env.repo.repoId, pr.number, pr.head.sha, by, 'label');
      await startChecks(context.octokit, env, pullHead(pr, context.payload.repository.default_branch), { mode: 'approval', trigger: `approved by ${by} (label)` });
    },
    { when: (context) => context.payload.label?.name.toLowerCase() === OK_TO_TEST_LABEL },
  );

  // "Re-run" on one check run: that suite again, on the pull request's head if the run was of that head.
  onEvent(app, services, 'check_run.rerequested', 'checks.rerun', async (context, env) => {
    const run = await store.byCheckRunId(context.payload.check_run.id);
    if (!run) return; // another app's run
    await rerun(context.octokit, env, run.pr, run.headSha, `re-run by ${context.payload.sender.login}`, [run.name]);
  });

  // "Re-run all checks": a fork's suite names no pull request, so it is found by its head commit.
  onEvent(app, services, 'check_suite.rerequested', 'checks.rerun-suite', async (context, env) => {
    const suite = context.payload.check_suite;
    const pr = suite.pull_requests?.[0]?.number ?? (await store.prOfHead(env.repo.repoId, suite.head_sha));
    if (pr === undefined) return env.decide('checks: a re-run of a suite no pull request of ours has', { sha: suite.head_sha });
    await rerun(context.octokit, env, pr, suite.head_sha, `re-run by ${context.payload.sender.login}`);
  });
}

async function rerun(octokit: Octokit, env: HandlerEnv, number: number, sha: string, trigger: string, only?: string[]): Promise<void> {
  if (!env.config.checks.enabled) return env.decide('checks: off in this repository (checks.enabled: false)');
  const pr = await currentPull(octokit, env, number);
  if (pr.state !== 'open') return env.decide('checks: a re-run on a closed pull request: nothing runs', { pr: number });
  if (pr.head.sha !== sha) return env.decide('checks: a re-run of a commit that is no longer the head: nothing runs', { pr: number, sha, head: pr.head.sha });
  const history = await failureHistory(checksStoreFor(env.services), env.repo.repoId, sha, only);
  await startChecks(octokit, env, pullHead(pr), { mode: 'rerun', trigger, only, history: historyNotes(history) });
}
