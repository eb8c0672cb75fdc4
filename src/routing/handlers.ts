import type { Probot } from 'probot';
import { onEvent } from '../core/on-event.js';
import type { AppServices } from '../core/services.js';
import { subteamOfLabel } from './decide.js';
import { routePull, type PullInfo, type Trigger } from './route.js';
import { routingStoreFor } from './store.js';

interface PullPayload {
  number: number;
  draft?: boolean;
  comments?: number;
  /** null for a deleted account in some payloads. */
  user: { login: string } | null;
  labels?: { name: string }[];
  requested_reviewers?: ({ login?: string } | { name?: string })[];
}

/** The parts of a webhook's pull request that routing reads. */
export function pullInfo(repo: { owner: string; repo: string; repoId: number }, pr: PullPayload): PullInfo {
  return {
    ...repo,
    number: pr.number,
    author: pr.user?.login ?? '',
    draft: pr.draft === true,
    labels: (pr.labels ?? []).map((l) => l.name),
    // Teams have a name and no login: only people count.
    requestedReviewers: (pr.requested_reviewers ?? []).flatMap((r) => ('login' in r && r.login ? [r.login] : [])),
    comments: pr.comments,
  };
}

/** Routing on pull request events, and the events that keep reviewers' load and human overrides true. */
export function registerRoutingHandlers(app: Probot, services: AppServices): void {
  const store = routingStoreFor(services);

  onEvent(
    app,
    services,
    ['pull_request.opened', 'pull_request.reopened', 'pull_request.ready_for_review', 'pull_request.synchronize'],
    'routing.route',
    async (context, env) => {
      const pull = pullInfo(env.repo, context.payload.pull_request as PullPayload);
      await routePull(context.octokit, env, pull, context.payload.action as Trigger);
    },
  );

  // The load records take events from bots too (a merge queue closing a pull request, another app asking or
  // withdrawing reviewers): skipping them would leave slots open forever. Replaying this app's own events is harmless.
  const record = { kind: 'record' as const };
  onEvent(
    app,
    services,
    'pull_request.review_requested',
    'routing.load-requested',
    async (context, env) => {
      const reviewer = 'requested_reviewer' in context.payload ? context.payload.requested_reviewer?.login : undefined;
      if (!reviewer) return; // a team was requested
      await store.requested(env.repo.repoId, context.payload.number, reviewer, { byBot: false });
      env.decide('routing: review requested (load +1)', { pr: context.payload.number, reviewer });
    },
    record,
  );

  // A bot's withdrawal (this app on /unroute, or another app) frees the slot; only a person's is remembered as a decision.
  onEvent(
    app,
    services,
    'pull_request.review_request_removed',
    'routing.load-removed',
    async (context, env) => {
      const reviewer = 'requested_reviewer' in context.payload ? context.payload.requested_reviewer?.login : undefined;
      if (!reviewer) return;
      const pr = context.payload.number;
      const byBot = await store.removed(env.repo.repoId, pr, reviewer);
      if (context.isBot) {
        env.decide('routing: a bot withdrew a review request (slot freed)', { pr, reviewer, by: context.payload.sender.login });
        return;
      }
      await store.mark(env.repo.repoId, pr, 'removed', reviewer, { actor: context.payload.sender.login });
      env.decide('routing: a person withdrew a review request; not asking them again on this pull request', { pr, reviewer, requestedByBot: byBot, by: context.payload.sender.login });
    },
    record,
  );

  onEvent(
    app,
    services,
    'pull_request_review.submitted',
    'routing.load-reviewed',
    async (context, env) => {
      const reviewer = context.payload.review.user?.login;
      if (!reviewer) return;
      await store.reviewed(env.repo.repoId, context.payload.pull_request.number, reviewer);
      env.decide('routing: review submitted (slot freed)', { pr: context.payload.pull_request.number, reviewer });
    },
    record,
  );

  onEvent(
    app,
    services,
    'pull_request.closed',
    'routing.load-closed',
    async (context, env) => {
      const freed = await store.closed(env.repo.repoId, context.payload.pull_request.number);
      env.decide('routing: pull request closed (slots freed)', { pr: context.payload.pull_request.number, freed });
    },
    record,
  );

  // A person's area label change is their decision about the subteams (a bot's is not): recorded even while the config is invalid.
  onEvent(
    app,
    services,
    ['pull_request.unlabeled', 'pull_request.labeled'],
    'routing.area-label',
    async (context, env) => {
      const label = context.payload.label?.name;
      const subteam = label ? subteamOfLabel(env.config, label) : undefined;
      if (!label || !subteam || context.isBot) return;
      const ref = { ...env.repo, issue_number: context.payload.pull_request.number };
      if (context.payload.action === 'unlabeled') {
        await services.labels.recordVeto(ref, label, context.payload.sender.login, services.now());
        env.decide('routing: a person removed an area label; the subteam stays off this pull request', { pr: ref.issue_number, label, subteam });
      } else {
        await services.labels.clearVeto(ref, label);
        await store.unmark(env.repo.repoId, ref.issue_number, 'unrouted', subteam);
      }
    },
    record,
  );
}
