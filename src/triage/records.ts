import type { Probot } from 'probot';
import { onEvent } from '../github/handler.js';
import type { AppServices } from '../services.js';
import type { IssueLike } from './actions.js';
import { linkedIssueNumbers } from './links.js';
import { triageStoreFor, type TriageStore } from './store.js';

/**
 * Handlers that only keep the triage records true and write nothing to GitHub: a person's decisions (a label
 * removed, an assignment), a bug's fate (closed, deleted, transferred), pull-request links and the
 * repository's visibility. They run even while the repository's config is invalid (`stateOnly`, which sees
 * only the default config), so the records do not drift and a decision made meanwhile is not undone later.
 */
export function registerRecordHandlers(app: Probot, services: AppServices): void {
  const store = triageStoreFor(services);
  const recordsOnly = { stateOnly: true };
  // Facts count whoever reports them: a stale bot closing an abandoned pull request, another app unassigning.
  // (This app's own events replay what it already recorded.) Decisions (labels, assignments) are people's only.
  const facts = { stateOnly: true, includeBots: true };

  onEvent(
    app,
    services,
    ['issues.labeled', 'issues.unlabeled'],
    'triage-vetoes',
    async (context, env) => {
      const name = context.payload.label?.name;
      if ((context.payload.issue as IssueLike).pull_request || !name) return;
      // Events from bots never reach here (onEvent), so this is a person's decision, on any label: remember it.
      const ref = context.issue();
      const by = context.payload.sender.login;
      if (context.payload.action === 'unlabeled') services.labels.recordVeto(ref, name, by, services.now());
      else services.labels.clearVeto(ref, name);
      env.decide(`triage: a human ${context.payload.action} ${name}`, { issue: ref.issue_number, by });
    },
    recordsOnly,
  );

  onEvent(
    app,
    services,
    ['issues.closed', 'issues.reopened'],
    'triage-state-record',
    async (context) => {
      const issue = context.payload.issue as IssueLike;
      if (!issue.pull_request) store.setState(context.repo(), issue.number, context.payload.action === 'closed' ? 'closed' : 'open');
    },
    facts,
  );

  onEvent(
    app,
    services,
    ['issues.deleted', 'issues.transferred'],
    'triage-gone',
    async (context, env) => {
      const issue = context.payload.issue as IssueLike;
      if (issue.pull_request) return;
      // The bug is no longer in this repository: off the board, and its claim no longer counts against anyone.
      store.forget(context.repo(), issue.number, `issue ${context.payload.action}`);
      env.decide(`triage: issue ${context.payload.action}: forgotten`, { issue: issue.number });
    },
    facts,
  );

  onEvent(
    app,
    services,
    'issues.assigned',
    'triage-assignee-record',
    async (context, env) => {
      const issue = context.payload.issue as IssueLike;
      const assignee = context.payload.assignee?.login;
      if (issue.pull_request || !assignee) return;
      const outcome = recordHandAssignment(store, context.issue(), 'assigned', assignee, context.payload.sender.login);
      if (outcome) env.decide(`triage: ${outcome}`, { issue: issue.number, assignee });
    },
    recordsOnly,
  );

  onEvent(
    app,
    services,
    'issues.unassigned',
    'triage-unassignee-record',
    async (context, env) => {
      const issue = context.payload.issue as IssueLike;
      const assignee = context.payload.assignee?.login;
      if (issue.pull_request || !assignee) return;
      // Whoever unassigned the claimer, they no longer hold it on GitHub (this app's own unassignments already released it).
      const sender = context.payload.sender;
      const outcome = recordHandAssignment(store, context.issue(), 'unassigned', assignee, sender.login, sender.type !== 'Bot');
      if (outcome) env.decide(`triage: ${outcome}`, { issue: issue.number, assignee });
    },
    facts,
  );

  onEvent(
    app,
    services,
    ['pull_request.opened', 'pull_request.edited', 'pull_request.closed', 'pull_request.reopened'],
    'triage-pull-request-links',
    async (context, env) => {
      const pr = context.payload.pull_request;
      // An open or merged pull request protects a claim; one closed unmerged was abandoned; an edit may link other bugs.
      const linked = pr.state === 'open' || pr.merged ? linkedIssueNumbers(pr.body, context.repo()) : [];
      store.setPullRequestLinks(context.repo(), pr.number, pr.user?.login ?? 'ghost', linked);
      for (const number of linked) if (pr.user?.login) store.touch(context.repo(), number, pr.user.login);
      env.decide('triage: pull request links updated', { pull_request: pr.number, linked });
    },
    facts,
  );

  onEvent(
    app,
    services,
    ['repository.privatized', 'repository.publicized'],
    'triage-visibility',
    async (context, env) => {
      // A repository made private loses its public board at once.
      store.setVisibility(context.repo(), context.payload.repository.private);
      env.decide(`triage: repository ${context.payload.action}: board ${context.payload.repository.private ? 'withdrawn' : 'served'}`);
    },
    facts,
  );
}

/**
 * A person changed the assignees by hand (the bot's own changes never reach here): their word wins. Assigning
 * pins the claim (the stale sweep leaves it); unassigning the claimer releases it. Needs the bug's row.
 */
export function recordHandAssignment(
  store: TriageStore,
  ref: { owner: string; repo: string; issue_number: number },
  action: string,
  assignee: string,
  by: string,
  byPerson = true,
): string | undefined {
  const row = store.get(ref, ref.issue_number);
  if (!row) return undefined;
  if (action === 'assigned') {
    if (!row.claimedBy) store.claim(ref, ref.issue_number, assignee, { pinned: true });
    else if (row.claimPinned) return undefined;
    else store.pinClaim(ref, ref.issue_number);
    return 'assigned by hand: claim pinned, the stale sweep leaves it';
  }
  if (row.claimedBy?.toLowerCase() !== assignee.toLowerCase()) return undefined;
  // A person other than the claimer took it away: their decision, which a /claim by the same person does not undo.
  const decidedBy = byPerson && by.toLowerCase() !== assignee.toLowerCase() ? by : undefined;
  store.release(ref, ref.issue_number, `unassigned by ${by}`, decidedBy);
  return 'claimer unassigned by hand: claim released';
}
