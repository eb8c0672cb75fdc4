import type { Probot } from 'probot';
import { onEvent } from '../github/handler.js';
import type { AppServices } from '../services.js';
import { subteamOfLabel } from './decide.js';
import { routePull, type PullInfo, type Trigger } from './route.js';
import { RoutingStore } from './store.js';

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
export function pullInfo(repo: { owner: string; repo: string }, pr: PullPayload): PullInfo {
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
  const store = new RoutingStore(services.db, services.now);

  onEvent(
    app,
    services,
    ['pull_request.opened', 'pull_request.reopened', 'pull_request.ready_for_review', 'pull_request.synchronize'],
    'routing.route',
    async (context, env) => {
      const pull = pullInfo(context.repo(), context.payload.pull_request as PullPayload);
      await routePull(context.octokit, env, pull, context.payload.action as Trigger);
    },
  );

  // The load handlers take events from bots too (a merge queue closing a pull request, another app asking or
  // withdrawing reviewers): skipping them would leave slots open forever. Replaying this app's own events is harmless.
  // They only keep records, so they run even while the config is invalid (stateOnly), and cost no config call.
  const withBots = { includeBots: true, stateOnly: true };
  onEvent(
    app,
    services,
    'pull_request.review_requested',
    'routing.load-requested',
    async (context, env) => {
      const reviewer = 'requested_reviewer' in context.payload ? context.payload.requested_reviewer?.login : undefined;
      if (!reviewer) return; // a team was requested
      store.requested(context.repo(), context.payload.number, reviewer, { byBot: false });
      env.decide('routing: review requested (load +1)', { pr: context.payload.number, reviewer });
    },
    withBots,
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
      const repo = context.repo();
      const byBot = store.removed(repo, context.payload.number, reviewer);
      if (context.isBot) {
        env.decide('routing: a bot withdrew a review request (slot freed)', { pr: context.payload.number, reviewer, by: context.payload.sender.login });
        return;
      }
      store.mark(repo, context.payload.number, 'removed', reviewer, { actor: context.payload.sender.login });
      env.decide('routing: a person withdrew a review request; not asking them again on this pull request', {
        pr: context.payload.number,
        reviewer,
        requestedByBot: byBot,
        by: context.payload.sender.login,
      });
    },
    withBots,
  );

  onEvent(app, services, 'pull_request_review.submitted', 'routing.load-reviewed', async (context, env) => {
    const reviewer = context.payload.review.user?.login;
    if (!reviewer) return;
    store.reviewed(context.repo(), context.payload.pull_request.number, reviewer);
    env.decide('routing: review submitted (slot freed)', { pr: context.payload.pull_request.number, reviewer });
  }, withBots);

  onEvent(app, services, 'pull_request.closed', 'routing.load-closed', async (context, env) => {
    const freed = store.closed(context.repo(), context.payload.pull_request.number);
    env.decide('routing: pull request closed (slots freed)', { pr: context.payload.pull_request.number, freed });
  }, withBots);

  onEvent(app, services, ['pull_request.unlabeled', 'pull_request.labeled'], 'routing.area-label', async (context, env) => {
    const label = context.payload.label?.name;
    const subteam = label ? subteamOfLabel(env.config, label) : undefined;
    if (!label || !subteam) return;
    const ref = { ...context.repo(), issue_number: context.payload.pull_request.number };
    if (context.payload.action === 'unlabeled') {
      services.labels.recordVeto(ref, label, context.payload.sender.login, services.now());
      env.decide('routing: a person removed an area label; the subteam stays off this pull request', { pr: ref.issue_number, label, subteam });
    } else {
      services.labels.clearVeto(ref, label);
      store.unmark(context.repo(), ref.issue_number, 'unrouted', subteam);
    }
  });
}
