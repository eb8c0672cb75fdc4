import type { HandlerEnv } from '../core/on-event.js';
import { repoParams, type Octokit, type RepoRef } from '../github/types.js';
import { decideRouting, type ExclusionReason, type RoutingDecision, type RoutingInput } from './decide.js';
import { routingStoreFor, type RoutingStore } from './store.js';
import type { ChangedFile } from './subteams.js';
import { commentView } from './view.js';

/** The parts of a pull request routing reads (from a webhook payload or `pulls.get`). */
export interface PullInfo extends RepoRef {
  repoId: number;
  number: number;
  author: string;
  draft: boolean;
  labels: string[];
  requestedReviewers: string[];
  /** Comments on the pull request, when known (0 lets the comment be posted without a search). */
  comments?: number;
}

export type Trigger = 'opened' | 'reopened' | 'ready_for_review' | 'synchronize' | 'command';

/** How many rounds of "GitHub refused someone, ask the next candidate" before giving up. */
const MAX_REQUEST_ROUNDS = 3;

/**
 * Routes one pull request: reads its files (all pages) and the store, decides, then writes review
 * requests (one call; on a 422 each person alone, and the next candidate for whoever GitHub refused),
 * the missing area labels and the one routing comment. New commits that leave the subteams unchanged
 * write nothing.
 */
export async function routePull(octokit: Octokit, env: HandlerEnv, pull: PullInfo, trigger: Trigger): Promise<RoutingDecision | undefined> {
  const { config, services } = env;
  if (!config.routing.enabled) return undefined;
  if (pull.draft) {
    env.decide('routing: draft pull request waits until it is ready for review', { pr: pull.number });
    return undefined;
  }
  const files = (await octokit.paginate(octokit.rest.pulls.listFiles, { ...repoParams(pull), pull_number: pull.number, per_page: 100 })) as ChangedFile[];
  // One routing at a time per repository, in any process: the load a decision reads is the load it leaves.
  return services.locks.withLock(`routing.route:${pull.repoId}`, () => routeWithFiles(octokit, env, pull, trigger, files));
}

async function routeWithFiles(octokit: Octokit, env: HandlerEnv, pull: PullInfo, trigger: Trigger, files: ChangedFile[]): Promise<RoutingDecision> {
  const { config, services } = env;
  const repo: RepoRef = { owner: pull.owner, repo: pull.repo };
  const repoId = pull.repoId;
  const store = routingStoreFor(services);

  // What GitHub says is requested now is the truth for load, whoever asked.
  for (const login of pull.requestedReviewers) await store.requested(repoId, pull.number, login, { byBot: false });
  const input = await routingInput(store, env, pull, files);
  let decision = decideRouting(input);
  const keys = decision.subteams.map((s) => s.key);

  if (trigger === 'synchronize') {
    const before = await store.routed(repoId, pull.number);
    if (before && sameSet(before, keys)) {
      env.decide('routing: new commits leave the subteams unchanged', { pr: pull.number, subteams: keys });
      return decision;
    }
  }

  const asked = new Set<string>();
  const refused = new Map(input.refused);
  for (let round = 0; round < MAX_REQUEST_ROUNDS; round++) {
    const logins = decision.requests.map((r) => r.login).filter((l) => !asked.has(l.toLowerCase()));
    if (logins.length === 0) break;
    const failures = await requestReviewers(octokit, repo, pull.number, logins);
    for (const login of logins) if (!failures.has(login)) asked.add(login.toLowerCase());
    if (failures.size === 0) break;
    for (const [login, message] of failures) {
      await store.mark(repoId, pull.number, 'refused', login, { detail: message });
      refused.set(login.toLowerCase(), message);
    }
    decision = decideRouting({ ...input, refused });
  }
  // After the last round, whoever was picked but never asked leaves their subteam uncovered (the comment must say so).
  const unasked = decision.covered.filter((c) => c.how === 'requested' && !asked.has(c.login.toLowerCase()));
  decision = {
    ...decision,
    requests: decision.requests.filter((r) => asked.has(r.login.toLowerCase())),
    covered: decision.covered.filter((c) => !unasked.includes(c)),
    uncovered: [...decision.uncovered, ...unasked.map((c) => c.subteam)],
  };
  for (const r of decision.requests) await store.requested(repoId, pull.number, r.login, { byBot: true, subteams: r.subteams });

  const ref = { ...repo, repoId, issue_number: pull.number };
  if (decision.labels.length > 0) {
    const specs = decision.subteams.map((s) => config.subteams[s.key]!).map((t) => ({ name: t.label, color: t.color, description: t.description }));
    await services.labels.ensure(octokit, repo, specs);
    await services.labels.addMissing(octokit, ref, pull.labels, decision.labels);
  }
  const body = await services.templates.render(octokit, repo, config, 'routing/comment.md.njk', commentView(decision, config));
  await services.comments.upsert(octokit, ref, 'routing', body, { issueHasNoComments: pull.comments === 0 });
  await store.setRouted(repoId, pull.number, decision.subteams.map((s) => s.key));
  env.decide('routing: routed', {
    pr: pull.number,
    subteams: decision.subteams.map((s) => s.key),
    requested: decision.requests.map((r) => `${r.login}:${r.reason}`),
    skipped: decision.skipped.map((s) => `${s.login}:${s.reason}`),
    uncovered: decision.uncovered,
    usedDefault: decision.usedDefault,
  });
  return decision;
}

async function routingInput(store: RoutingStore, env: HandlerEnv, pull: PullInfo, files: ChangedFile[]): Promise<RoutingInput> {
  const repoId = pull.repoId;
  const ref = { ...pull, issue_number: pull.number };
  const excluded = new Map<string, ExclusionReason>();
  for (const key of (await store.marks(repoId, pull.number, 'unrouted')).keys()) excluded.set(key, 'unrouted');
  const vetoed = await env.services.labels.vetoed(ref, Object.values(env.config.subteams).map((t) => t.label));
  for (const [key, team] of Object.entries(env.config.subteams)) {
    if (!excluded.has(key) && vetoed.has(team.label.toLowerCase())) excluded.set(key, 'label-removed');
  }
  const open = (await store.openRequests(repoId, pull.number)).map((r) => r.reviewer);
  return {
    files,
    labels: pull.labels,
    config: env.config,
    author: pull.author,
    load: await store.load(repoId),
    vacation: await store.vacations(),
    alreadyRequested: [...new Set([...pull.requestedReviewers, ...open])],
    alreadyReviewed: await store.reviewedBy(repoId, pull.number),
    humanRemoved: new Set((await store.marks(repoId, pull.number, 'removed')).keys()),
    refused: await store.marks(repoId, pull.number, 'refused'),
    excluded,
    forced: [...(await store.marks(repoId, pull.number, 'forced')).keys()],
    seed: pull.number,
  };
}

/** Requests all at once; on a 422, each alone to find who GitHub refuses. Returns login → GitHub's message. */
async function requestReviewers(octokit: Octokit, repo: RepoRef, pullNumber: number, logins: string[]): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  try {
    await octokit.rest.pulls.requestReviewers({ ...repoParams(repo), pull_number: pullNumber, reviewers: logins });
    return failures;
  } catch (error) {
    if (status(error) !== 422) throw error;
    if (logins.length === 1) return failures.set(logins[0]!, message(error));
  }
  for (const login of logins) {
    try {
      await octokit.rest.pulls.requestReviewers({ ...repoParams(repo), pull_number: pullNumber, reviewers: [login] });
    } catch (error) {
      if (status(error) !== 422) throw error;
      failures.set(login, message(error));
    }
  }
  return failures;
}

const status = (error: unknown) => (error as { status?: number }).status;

function message(error: unknown): string {
  const data = (error as { response?: { data?: { message?: string } } }).response?.data;
  return (data?.message ?? 'unprocessable').slice(0, 200);
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
