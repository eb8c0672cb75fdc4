import type { Probot } from 'probot';
import { onEvent } from '../github/handler.js';
import type { AppServices } from '../services.js';
import type { NetbotConfig } from '../config.js';
import { FIRST_TIMER_ASSOCIATIONS, hasLabel, labelNames, retractLhfComment, snapshot, welcomeVars, type IssueLike } from './actions.js';
import { classifyIssue } from './classify.js';
import { recordHandAssignment } from './records.js';
import { triageStoreFor, type TriageIssue } from './store.js';

/**
 * With `bugLabels`, an issue becomes a bug when a person adds the first bug label to an open issue: classify
 * it then, unless it was classified already. A label set when the issue was opened comes with `opened` (which
 * classifies it), so a label event within a minute of creation for an issue not stored yet is left to that.
 */
function becameBug(issue: IssueLike, added: string, config: NetbotConfig, row: TriageIssue | undefined, now: Date): boolean {
  const bugLabels = config.triage.bugLabels;
  if (issue.state === 'closed' || !hasLabel(bugLabels, added)) return false;
  if (labelNames(issue).some((l) => l.toLowerCase() !== added.toLowerCase() && hasLabel(bugLabels, l))) return false; // a bug already
  if (row) return row.score === null;
  return now.getTime() - Date.parse(issue.created_at) > 60_000;
}

export { linkedIssueNumbers } from './links.js';

/** Webhook handlers for issues and pull requests: classify, label, welcome, keep the board's store current. */
export function registerIssueHandlers(app: Probot, services: AppServices): void {
  const store = triageStoreFor(services);

  onEvent(app, services, ['issues.opened', 'issues.edited'], 'triage-classify', async (context, env) => {
    const { config } = env;
    const issue = context.payload.issue as IssueLike;
    store.rememberEventRepo(context, env.config);
    if (!config.triage.enabled || issue.pull_request) return;
    const ref = context.issue();
    const labels = labelNames(issue);
    if (issue.state === 'closed') {
      // Editing a closed bug must not make it a starter bug, nor invite newcomers to claim it.
      snapshot(store, ref, issue, labels, config);
      env.decide('closed issue edited: only recorded', { issue: issue.number });
      return;
    }
    await classifyIssue(context.octokit, env, store, ref, issue, context.payload.action === 'opened');
  });

  onEvent(app, services, ['issues.labeled', 'issues.unlabeled'], 'triage-labels', async (context, env) => {
    const { config } = env;
    const issue = context.payload.issue as IssueLike;
    store.rememberEventRepo(context, env.config);
    if (!config.triage.enabled || issue.pull_request) return;
    const ref = context.issue();
    const name = context.payload.label?.name;
    const ours = [config.labels.lowHangingFruit, config.labels.needsTriage, ...Object.values(config.subteams).map((t) => t.label)];
    if (context.payload.action === 'labeled' && name && becameBug(issue, name, config, store.get(ref, issue.number), services.now())) {
      env.decide(`triage: a human labelled it ${name}: classified now`, { issue: issue.number, by: context.payload.sender.login });
      await classifyIssue(context.octokit, env, store, ref, issue, false);
      return;
    }
    snapshot(store, ref, issue, labelNames(issue), config); // before any write: a failed edit must not leave the board stale
    if (name && hasLabel(ours, name)) {
      // The veto itself is recorded by records.ts (even while the config is invalid).
      env.decide(`triage: a human ${context.payload.action} ${name}`, { issue: issue.number, by: context.payload.sender.login });
      if (context.payload.action === 'unlabeled' && hasLabel([config.labels.lowHangingFruit], name)) {
        await retractLhfComment(context.octokit, env, ref, context.payload.sender.login);
      }
    }
  });

  onEvent(app, services, ['issues.closed', 'issues.reopened'], 'triage-state', async (context, env) => {
    const issue = context.payload.issue as IssueLike;
    store.rememberEventRepo(context, env.config);
    if (!env.config.triage.enabled || issue.pull_request) return;
    snapshot(store, context.issue(), issue, labelNames(issue), env.config);
  });

  onEvent(app, services, ['issues.assigned', 'issues.unassigned'], 'triage-assignees', async (context, env) => {
    const issue = context.payload.issue as IssueLike;
    if (!env.config.triage.enabled || issue.pull_request) return;
    const ref = context.issue();
    const assignee = context.payload.assignee?.login;
    snapshot(store, ref, issue, labelNames(issue), env.config);
    if (!assignee) return;
    // The row may be new (snapshot above): records.ts could not pin or release a claim without it.
    const outcome = recordHandAssignment(store, ref, context.payload.action, assignee, context.payload.sender.login);
    if (outcome) env.decide(`triage: ${outcome}`, { issue: issue.number, assignee });
  });

  onEvent(app, services, 'pull_request.opened', 'triage-pull-request', async (context, env) => {
    const { config } = env;
    if (!config.triage.enabled) return;
    const pr = context.payload.pull_request;
    const ref = context.repo();
    const author = pr.user?.login;
    if (!author) return; // (its links are recorded by records.ts)
    const firstTimer = config.triage.welcome.enabled && FIRST_TIMER_ASSOCIATIONS.has(pr.author_association ?? '');
    if (!firstTimer || !store.markWelcomed(ref, author)) return;
    try {
      const body = await services.templates.render(context.octokit, ref, config, 'triage/welcome.md.njk', welcomeVars(config, ref, author, 'pull request'));
      const fresh = ((pr as { comments?: number }).comments ?? 0) === 0;
      await services.comments.upsert(context.octokit, { ...ref, issue_number: pr.number }, 'welcome', body, { issueHasNoComments: fresh });
      env.decide('triage: welcomed a first-time contributor', { pull_request: pr.number, author });
    } catch (error) {
      store.unmarkWelcomed(ref, author);
      throw error;
    }
  });
}
