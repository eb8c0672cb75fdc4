import type { Context, Probot } from 'probot';
import { parseCommands } from '../github/commands.js';
import { onEvent, type HandlerEnv } from '../github/handler.js';
import type { AppServices } from '../services.js';
import { applyLabels, hasLabel, labelNames, postLhfComment, retractLhfComment, snapshot, type IssueLike } from './actions.js';
import { triageStoreFor, type TriageStore } from './store.js';

const COMMANDS = ['lhf', 'not-lhf', 'claim', 'unclaim'] as const;
type Ctx = Context<'issue_comment.created'>;

/** `/lhf`, `/not-lhf` (triagers) and `/claim`, `/unclaim` (anyone) in issue comments. */
export function registerCommandHandlers(app: Probot, services: AppServices): void {
  const store = triageStoreFor(services);
  onEvent(app, services, 'issue_comment.created', 'triage-commands', async (context, env) => {
    const { config } = env;
    const issue = context.payload.issue as IssueLike;
    store.rememberEventRepo(context, config);
    if (!config.triage.enabled || issue.pull_request) return;
    const ref = context.issue();
    const login = context.payload.comment.user?.login ?? context.payload.sender.login;
    snapshot(store, ref, issue, labelNames(issue), config);
    store.touch(ref, issue.number, login); // a comment by the claimer keeps the claim alive

    const commands = parseCommands(context.payload.comment.body).filter((c) => (COMMANDS as readonly string[]).includes(c.name));
    const done = new Set<string>();
    for (const command of commands) {
      if (done.has(command.name)) continue; // the same command twice in one comment acts once
      done.add(command.name);
      const reply = (kind: string, vars: Record<string, unknown> = {}) => sendReply(context, env, kind, `${command.name}:${command.line}`, { login, command: command.name, ...vars });
      if (command.name === 'lhf' || command.name === 'not-lhf') {
        if (!(await env.people.isTriager(login))) {
          env.decide(`triage: /${command.name} from a non-triager: polite reply`, { issue: issue.number, login });
          await reply('not-triager');
          continue;
        }
        await (command.name === 'lhf' ? markLhf(context, env, store, login) : markNotLhf(context, env, store, login));
      } else if (command.name === 'claim') {
        await claim(context, env, store, login, reply);
      } else {
        await unclaim(context, env, store, login, reply);
      }
    }
  });
}

async function sendReply(context: Ctx, env: HandlerEnv, kind: string, key: string, vars: Record<string, unknown>): Promise<void> {
  const ref = context.issue();
  const body = await env.services.templates.render(context.octokit, ref, env.config, 'triage/reply.md.njk', {
    kind,
    number: ref.issue_number,
    lhfLabel: env.config.labels.lowHangingFruit,
    staleDays: env.config.triage.claims.staleDays,
    max: env.config.triage.claims.maxOpenPerPerson,
    ...vars,
  });
  // One reply per command line of one comment: its purpose is new, so there is nothing to look up.
  await env.services.comments.upsert(context.octokit, ref, `reply-${context.payload.comment.id}-${key}`, body, { issueHasNoComments: true });
}

async function markLhf(context: Ctx, env: HandlerEnv, store: TriageStore, login: string): Promise<void> {
  const ref = context.issue();
  const issue = context.payload.issue as IssueLike;
  const lhfLabel = env.config.labels.lowHangingFruit;
  env.services.labels.clearVeto(ref, lhfLabel); // a human asked for it: any earlier veto ends
  const labels = await applyLabels(context.octokit, env, ref, labelNames(issue), [lhfLabel]);
  snapshot(store, ref, issue, labels, env.config); // labelled: on the board even if the comment below fails
  await postLhfComment(context.octokit, env, ref, { ...issue, labels }, { markedBy: login });
  env.decide('triage: /lhf by a triager: labelled and commented', { issue: issue.number, login });
}

async function markNotLhf(context: Ctx, env: HandlerEnv, store: TriageStore, login: string): Promise<void> {
  const ref = context.issue();
  const issue = context.payload.issue as IssueLike;
  const lhfLabel = env.config.labels.lowHangingFruit;
  const labels = labelNames(issue);
  const onIssue = labels.find((l) => l.toLowerCase() === lhfLabel.toLowerCase()) ?? lhfLabel; // as the issue spells it
  await env.services.labels.remove(context.octokit, ref, labels, onIssue);
  env.services.labels.recordVeto(ref, lhfLabel, login, env.services.now()); // never put back by the bot
  // Recorded before the comment edit: if that fails, the board must not keep listing the bug.
  snapshot(store, ref, issue, labels.filter((l) => l.toLowerCase() !== lhfLabel.toLowerCase()), env.config);
  await retractLhfComment(context.octokit, env, ref, login);
  env.decide('triage: /not-lhf by a triager: label removed and vetoed', { issue: issue.number, login });
}

type Reply = (kind: string, vars?: Record<string, unknown>) => Promise<void>;

async function claim(context: Ctx, env: HandlerEnv, store: TriageStore, login: string, reply: Reply): Promise<void> {
  const ref = context.issue();
  const issue = context.payload.issue as IssueLike;
  const decide = (why: string) => env.decide(`triage: /claim ${why}`, { issue: issue.number, login });
  if (issue.state === 'closed') return decide('on a closed issue'), reply('claim-closed');
  // The label is the triagers' decision (and what puts a bug on the board): a bug label is not needed too.
  if (!hasLabel(labelNames(issue), env.config.labels.lowHangingFruit)) {
    return decide('on a bug that is not low-hanging fruit'), reply('claim-not-lhf');
  }
  const row = store.get(ref, issue.number);
  const holder = row?.claimedBy ?? issue.assignees?.find((a) => a && a.login.toLowerCase() !== login.toLowerCase())?.login;
  if (holder?.toLowerCase() === login.toLowerCase()) return decide('by the holder'), reply('claim-already-yours');
  if (holder) return decide(`refused: held by ${holder}`), reply('claim-taken', { holder });
  const releasedBy = store.releasedByOther(ref, issue.number, login);
  if (releasedBy) return decide(`refused: ${releasedBy} released their claim before`), reply('claim-taken-away', { releasedBy });
  const current = store.openClaimsOf(ref, login);
  if (current.length >= env.config.triage.claims.maxOpenPerPerson) {
    return decide('refused: at the open-claims limit'), reply('claim-limit', { claims: current.map((c) => ({ number: c.number })) });
  }
  // Reserved before any await: a second /claim handled meanwhile sees the bug taken.
  store.claim(ref, issue.number, login);
  let assigned;
  try {
    ({ data: assigned } = await context.octokit.rest.issues.addAssignees({ ...ref, assignees: [login] }));
  } catch (error) {
    store.release(ref, issue.number, 'assignment failed'); // a failed write leaves no claim behind
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) throw error; // GitHub's trouble: a redelivery retries it
    assigned = { assignees: [] }; // refused for good (e.g. 422): say so below rather than stay silent
  }
  // GitHub answers 201 even when it ignores an assignee it cannot assign: only a real assignment is a claim.
  if (Array.isArray(assigned?.assignees) && !assigned.assignees.some((a) => a?.login.toLowerCase() === login.toLowerCase())) {
    if (store.get(ref, issue.number)?.claimedBy) store.release(ref, issue.number, 'GitHub did not assign');
    return decide('refused: GitHub did not assign'), reply('claim-unassignable');
  }
  decide('granted: assigned');
  await reply('claim-ok');
}

async function unclaim(context: Ctx, env: HandlerEnv, store: TriageStore, login: string, reply: Reply): Promise<void> {
  const ref = context.issue();
  const issue = context.payload.issue as IssueLike;
  const holder = store.get(ref, issue.number)?.claimedBy;
  if (!holder) return env.decide('triage: /unclaim with no claim', { issue: issue.number, login }), reply('unclaim-none');
  if (holder.toLowerCase() !== login.toLowerCase() && !(await env.people.isMaintainer(login))) {
    return env.decide('triage: /unclaim refused: not the holder', { issue: issue.number, login }), reply('unclaim-not-holder', { holder });
  }
  await context.octokit.rest.issues.removeAssignees({ ...ref, assignees: [holder] });
  store.release(ref, issue.number, `unclaimed by ${login}`, holder.toLowerCase() === login.toLowerCase() ? undefined : login);
  env.decide('triage: /unclaim: released', { issue: issue.number, login, holder });
  await reply('unclaim-ok', { holder });
}
