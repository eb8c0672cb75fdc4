import type { Probot } from 'probot';
import { onEvent } from '../github/handler.js';
import type { AppServices } from '../services.js';
import type { NetbotConfig } from '../config.js';
import { repoKey, type RepoRef } from '../github/types.js';
import { FIRST_TIMER_ASSOCIATIONS, hasLabel, labelNames, retractLhfComment, snapshot, welcomeVars, type IssueLike } from './actions.js';
import { classifyIssue } from './classify.js';
import { triageStoreFor, type TriageIssue } from './store.js';

/** Issue references that link a pull request to the bug it fixes, as GitHub reads them (colon, any case, `owner/repo#N`). */
const LINKS = /\b(?:fix(?:e[sd])?|close[sd]?|resolve[sd]?|related-bug|partial-bug|closes-bug)[ \t]*:?[ \t]*([\w.-]{1,100}\/[\w.-]{1,100})?#(\d{1,7})\b/gi;

export function linkedIssueNumbers(body: string | null | undefined, repo?: RepoRef): number[] {
  const here = repo && repoKey(repo);
  const refs = [...String(body ?? '').slice(0, 64_000).matchAll(LINKS)].filter((m) => !m[1] || m[1].toLowerCase() === here);
  return [...new Set(refs.map((m) => Number(m[2])))];
}

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

/** Webhook handlers for issues and pull requests: classify, label, welcome, keep the board's store current. */
export function registerIssueHandlers(app: Probot, services: AppServices): void {
  const store = triageStoreFor(services);

  onEvent(app, services, ['issues.opened', 'issues.edited'], 'triage-classify', async (context, env) => {
    const { config } = env;
    const issue = context.payload.issue as IssueLike;
    if (!config.triage.enabled || issue.pull_request) return;
    const ref = context.issue();
    store.rememberRepo(ref, context.payload.installation?.id, config, { isPrivate: context.payload.repository.private });
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
    if (!config.triage.enabled || issue.pull_request) return;
    const ref = context.issue();
    const name = context.payload.label?.name;
    const ours = [config.labels.lowHangingFruit, config.labels.needsTriage, ...Object.values(config.subteams).map((t) => t.label)];
    if (name && hasLabel(ours, name)) {
      // Events from bots never reach here (onEvent), so this is a human's decision: remember it.
      if (context.payload.action === 'unlabeled') services.labels.recordVeto(ref, name, context.payload.sender.login, services.now());
      else services.labels.clearVeto(ref, name);
      if (context.payload.action === 'unlabeled' && hasLabel([config.labels.lowHangingFruit], name)) {
        await retractLhfComment(context.octokit, env, ref, context.payload.sender.login);
      }
      env.decide(`triage: a human ${context.payload.action} ${name}`, { issue: issue.number, by: context.payload.sender.login });
    }
    store.rememberRepo(ref, context.payload.installation?.id, config, { isPrivate: context.payload.repository.private });
    if (context.payload.action === 'labeled' && name && becameBug(issue, name, config, store.get(ref, issue.number), services.now())) {
      env.decide(`triage: a human labelled it ${name}: classified now`, { issue: issue.number, by: context.payload.sender.login });
      await classifyIssue(context.octokit, env, store, ref, issue, false);
      return;
    }
    snapshot(store, ref, issue, labelNames(issue), config);
  });

  onEvent(app, services, ['issues.closed', 'issues.reopened'], 'triage-state', async (context, env) => {
    const issue = context.payload.issue as IssueLike;
    if (!env.config.triage.enabled || issue.pull_request) return;
    store.rememberRepo(context.issue(), context.payload.installation?.id, env.config, { isPrivate: context.payload.repository.private });
    snapshot(store, context.issue(), issue, labelNames(issue), env.config);
  });

  onEvent(app, services, ['repository.privatized', 'repository.publicized'], 'triage-visibility', async (context, env) => {
    // A repository made private loses its public board at once.
    store.setVisibility(context.repo(), context.payload.repository.private);
    env.decide(`triage: repository ${context.payload.action}: board ${context.payload.repository.private ? 'withdrawn' : 'served'}`);
  });

  onEvent(app, services, ['issues.deleted', 'issues.transferred'], 'triage-gone', async (context, env) => {
    const issue = context.payload.issue as IssueLike;
    if (issue.pull_request) return;
    // The bug is no longer in this repository: off the board, and its claim no longer counts against anyone.
    store.forget(context.repo(), issue.number, `issue ${context.payload.action}`);
    env.decide(`triage: issue ${context.payload.action}: forgotten`, { issue: issue.number });
  });

  onEvent(app, services, ['issues.assigned', 'issues.unassigned'], 'triage-assignees', async (context, env) => {
    const issue = context.payload.issue as IssueLike;
    if (!env.config.triage.enabled || issue.pull_request) return;
    const ref = context.issue();
    const assignee = context.payload.assignee?.login;
    snapshot(store, ref, issue, labelNames(issue), env.config);
    const row = store.get(ref, issue.number);
    if (!assignee || !row) return;
    // A human changed the assignees by hand (the bot's own changes never reach here): their word wins.
    if (context.payload.action === 'assigned') {
      if (!row.claimedBy) store.claim(ref, issue.number, assignee, { pinned: true });
      else store.pinClaim(ref, issue.number);
      env.decide('triage: assigned by hand: claim pinned, the stale sweep leaves it', { issue: issue.number, assignee });
    } else if (row.claimedBy?.toLowerCase() === assignee.toLowerCase()) {
      store.release(ref, issue.number, `unassigned by ${context.payload.sender.login}`);
      env.decide('triage: claimer unassigned by hand: claim released', { issue: issue.number, assignee });
    }
  });

  onEvent(app, services, ['pull_request.edited', 'pull_request.closed', 'pull_request.reopened'], 'triage-pull-request-links', async (context, env) => {
    if (!env.config.triage.enabled) return;
    const pr = context.payload.pull_request;
    // An open or merged pull request protects a claim; one closed unmerged was abandoned; an edit may link other bugs.
    const linked = pr.state === 'open' || pr.merged ? linkedIssueNumbers(pr.body, context.repo()) : [];
    store.setPullRequestLinks(context.repo(), pr.number, pr.user?.login ?? 'ghost', linked);
    for (const number of linked) if (pr.user?.login) store.touch(context.repo(), number, pr.user.login);
    env.decide('triage: pull request links updated', { pull_request: pr.number, linked });
  });

  onEvent(app, services, 'pull_request.opened', 'triage-pull-request', async (context, env) => {
    const { config } = env;
    if (!config.triage.enabled) return;
    const pr = context.payload.pull_request;
    const ref = context.repo();
    const author = pr.user?.login;
    if (!author) return;
    for (const number of linkedIssueNumbers(pr.body, context.repo())) {
      store.linkPullRequest(ref, number, pr.number, author);
      store.touch(ref, number, author);
    }
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
