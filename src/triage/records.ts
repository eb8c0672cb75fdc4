import type { Probot } from 'probot';
import { onEvent } from '../core/on-event.js';
import type { AppServices } from '../core/services.js';
import { labelNames, snapshot, type IssueLike } from './actions.js';
import { linkedIssueNumbers } from './links.js';
import { triageStoreFor, type TriageStore } from './store.js';

/**
 * Handlers that keep the triage records true and write nothing to GitHub. Records follow GitHub whoever
 * acted (a bot that removes the starter label takes the bug off the board too), and they run even while
 * the repository's config is invalid, so nothing drifts meanwhile. Only people's *decisions* (a label
 * removed, an assignment made) are people's alone: a bot's are facts, not decisions.
 */
export function registerRecordHandlers(app: Probot, services: AppServices): void {
  const store = triageStoreFor(services);
  const record = { kind: 'record' as const };

  onEvent(
    app,
    services,
    ['issues.closed', 'issues.reopened', 'issues.labeled', 'issues.unlabeled'],
    'triage.board',
    async (context, env) => {
      const issue = context.payload.issue as IssueLike;
      if (!env.config.triage.enabled || issue.pull_request) return;
      // A person's label change is recorded by triage.labels, in order with what it does about it.
      if (context.payload.action.endsWith('labeled') && !context.isBot) return;
      // What GitHub shows now, whoever changed it: the board shows what GitHub shows.
      await snapshot(store, env.repo.repoId, issue, labelNames(issue), env.config);
    },
    record,
  );

  onEvent(
    app,
    services,
    ['issues.labeled', 'issues.unlabeled'],
    'triage.vetoes',
    async (context, env) => {
      const name = context.payload.label?.name;
      if ((context.payload.issue as IssueLike).pull_request || !name || context.isBot) return;
      // A person's decision, on any label: a label they removed is never put back by the bot.
      const ref = { ...env.repo, issue_number: context.payload.issue.number };
      const by = context.payload.sender.login;
      if (context.payload.action === 'unlabeled') await services.labels.recordVeto(ref, name, by, services.now());
      else await services.labels.clearVeto(ref, name);
      env.decide(`triage: a human ${context.payload.action} ${name}`, { issue: ref.issue_number, by });
    },
    record,
  );

  onEvent(
    app,
    services,
    ['issues.deleted', 'issues.transferred'],
    'triage.gone',
    async (context, env) => {
      const issue = context.payload.issue as IssueLike;
      if (issue.pull_request) return;
      // The bug is no longer in this repository: off the board, and its claim no longer counts against anyone.
      await store.forget(env.repo.repoId, issue.number, `issue ${context.payload.action}`);
      env.decide(`triage: issue ${context.payload.action}: forgotten`, { issue: issue.number });
    },
    record,
  );

  onEvent(
    app,
    services,
    ['issues.assigned', 'issues.unassigned'],
    'triage.assignments',
    async (context, env) => {
      const issue = context.payload.issue as IssueLike;
      const assignee = context.payload.assignee?.login;
      if (issue.pull_request || !assignee || !env.config.triage.enabled) return;
      const sender = context.payload.sender;
      // Assigning by hand is a person's decision (pin the claim); an unassignment, by anyone, is a fact.
      if (context.payload.action === 'assigned' && sender.type === 'Bot') return;
      const ref = { repoId: env.repo.repoId, number: issue.number };
      await snapshot(store, ref.repoId, issue, labelNames(issue), env.config); // the row may be new
      const outcome = await recordHandAssignment(store, ref, context.payload.action, assignee, sender.login, sender.type !== 'Bot');
      if (outcome) env.decide(`triage: ${outcome}`, { issue: issue.number, assignee });
    },
    record,
  );

  onEvent(
    app,
    services,
    ['pull_request.opened', 'pull_request.edited', 'pull_request.closed', 'pull_request.reopened'],
    'triage.pull-request-links',
    async (context, env) => {
      const pr = context.payload.pull_request;
      // An open or merged pull request protects a claim; one closed unmerged was abandoned; an edit may link other bugs.
      const linked = pr.state === 'open' || pr.merged ? linkedIssueNumbers(pr.body, context.repo()) : [];
      await store.setPullRequestLinks(env.repo.repoId, pr.number, pr.user?.login ?? 'ghost', linked);
      for (const number of linked) if (pr.user?.login) await store.touch(env.repo.repoId, number, pr.user.login);
      env.decide('triage: pull request links updated', { pull_request: pr.number, linked });
    },
    record,
  );

  onEvent(
    app,
    services,
    'issue_comment.created',
    'triage.activity',
    async (context, env) => {
      const issue = context.payload.issue as IssueLike;
      const login = context.payload.comment.user?.login;
      if (issue.pull_request || !login) return;
      await store.touch(env.repo.repoId, issue.number, login); // a comment by the claimer keeps the claim alive
    },
    record,
  );
}

/**
 * A change of assignees by hand (the bot's own never reach here as decisions): a person's word wins. Assigning
 * pins the claim (the stale sweep leaves it); unassigning the claimer releases it. Needs the bug's row.
 */
export async function recordHandAssignment(
  store: TriageStore,
  ref: { repoId: number; number: number },
  action: string,
  assignee: string,
  by: string,
  byPerson = true,
): Promise<string | undefined> {
  const row = await store.get(ref.repoId, ref.number);
  if (!row) return undefined;
  if (action === 'assigned') {
    if (!row.claimedBy) await store.claim(ref.repoId, ref.number, assignee, { pinned: true });
    else if (row.claimPinned) return undefined;
    else await store.pinClaim(ref.repoId, ref.number);
    return 'assigned by hand: claim pinned, the stale sweep leaves it';
  }
  if (row.claimedBy?.toLowerCase() !== assignee.toLowerCase()) return undefined;
  // A person other than the claimer took it away: their decision, which a /claim by the same person does not undo.
  const decidedBy = byPerson && by.toLowerCase() !== assignee.toLowerCase() ? by : undefined;
  await store.release(ref.repoId, ref.number, `unassigned by ${by}`, decidedBy);
  return 'claimer unassigned by hand: claim released';
}
