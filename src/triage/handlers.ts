import type { Probot } from 'probot';
import { onEvent } from '../core/on-event.js';
import type { AppServices } from '../core/services.js';
import type { NetbotConfig } from '../config.js';
import { FIRST_TIMER_ASSOCIATIONS, hasLabel, labelNames, retractLhfComment, snapshot, welcomeVars, type IssueLike } from './actions.js';
import { classifyIssue } from './classify.js';
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

/** The acting handlers for issues and pull requests: classify, label, welcome. (The records are records.ts's.) */
export function registerIssueHandlers(app: Probot, services: AppServices): void {
  const store = triageStoreFor(services);

  onEvent(app, services, ['issues.opened', 'issues.edited'], 'triage.classify', async (context, env) => {
    const issue = context.payload.issue as IssueLike;
    if (!env.config.triage.enabled || issue.pull_request) return;
    if (issue.state === 'closed') {
      // Editing a closed bug must not make it a starter bug, nor invite newcomers to claim it.
      await snapshot(store, env.repo.repoId, issue, labelNames(issue), env.config);
      env.decide('closed issue edited: only recorded', { issue: issue.number });
      return;
    }
    await classifyIssue(context.octokit, env, store, { ...env.repo, issue_number: issue.number }, issue, context.payload.action === 'opened');
  });

  onEvent(app, services, ['issues.labeled', 'issues.unlabeled'], 'triage.labels', async (context, env) => {
    const { config } = env;
    const issue = context.payload.issue as IssueLike;
    if (!config.triage.enabled || issue.pull_request) return;
    const ref = { ...env.repo, issue_number: issue.number };
    const name = context.payload.label?.name;
    const by = context.payload.sender.login;
    if (context.payload.action === 'labeled' && name && becameBug(issue, name, config, await store.get(ref.repoId, issue.number), services.now())) {
      env.decide(`triage: a human labelled it ${name}: classified now`, { issue: issue.number, by });
      await classifyIssue(context.octokit, env, store, ref, issue, false);
      return;
    }
    await snapshot(store, ref.repoId, issue, labelNames(issue), config); // before any write: a failed edit must not leave the board stale
    if (context.payload.action === 'unlabeled' && name && hasLabel([config.labels.lowHangingFruit], name)) {
      env.decide(`triage: a human removed ${name}: the newcomers' comment no longer invites /claim`, { issue: issue.number, by });
      await retractLhfComment(context.octokit, env, ref, by);
    }
  });

  onEvent(app, services, 'pull_request.opened', 'triage.welcome-pull-request', async (context, env) => {
    const { config } = env;
    if (!config.triage.enabled) return;
    const pr = context.payload.pull_request;
    const author = pr.user?.login;
    if (!author) return;
    const firstTimer = config.triage.welcome.enabled && FIRST_TIMER_ASSOCIATIONS.has(pr.author_association ?? '');
    if (!firstTimer || !(await store.markWelcomed(env.repo.repoId, author))) return;
    try {
      const body = await services.templates.render(context.octokit, env.repo, config, 'triage/welcome.md.njk', welcomeVars(config, env.repo, author, 'pull request'));
      const fresh = ((pr as { comments?: number }).comments ?? 0) === 0;
      await services.comments.upsert(context.octokit, { ...env.repo, issue_number: pr.number }, 'welcome', body, { issueHasNoComments: fresh });
      env.decide('triage: welcomed a first-time contributor', { pull_request: pr.number, author });
    } catch (error) {
      await store.unmarkWelcomed(env.repo.repoId, author);
      throw error;
    }
  });
}
