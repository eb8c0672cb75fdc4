import type { Probot } from 'probot';
import { parseCommands } from '../github/commands.js';
import { onEvent, type HandlerEnv } from '../github/handler.js';
import type { Octokit } from '../github/types.js';
import type { AppServices } from '../services.js';
import { pullInfo } from './handlers.js';
import { routePull } from './route.js';
import { RoutingStore } from './store.js';

const ROUTING_COMMANDS = new Set(['route', 'unroute', 'vacation']);
/** Commands in one comment beyond this are ignored (a pasted wall of commands must not fan out). */
const MAX_COMMANDS = 10;

type Reply = Record<string, unknown> & { outcome: string };

/**
 * `/route <subteam>` (maintainers and the pull request's author), `/unroute <subteam>` (maintainers only:
 * an author must not be able to dodge a subteam's review), `/vacation on|off` (anyone, for themselves).
 * All replies to one comment go in one reply comment.
 */
export function registerRoutingCommentCommands(app: Probot, services: AppServices): void {
  onEvent(app, services, 'issue_comment.created', 'routing.commands', async (context, env) => {
    const commands = parseCommands(context.payload.comment.body)
      .filter((c) => ROUTING_COMMANDS.has(c.name))
      .slice(0, MAX_COMMANDS);
    if (commands.length === 0) return;
    const store = new RoutingStore(services.db, services.now);
    const repo = context.repo();
    const issue = context.payload.issue;
    const who = context.payload.comment.user?.login ?? context.payload.sender.login;
    const isPull = Boolean(issue.pull_request);
    const keys = Object.keys(env.config.subteams);
    const replies: Reply[] = [];
    let reroute = false;

    for (const command of commands) {
      if (command.name === 'vacation') {
        const arg = command.args[0]?.toLowerCase();
        if (arg !== 'on' && arg !== 'off') replies.push({ outcome: 'vacation-usage' });
        else {
          store.setVacation(who, arg === 'on');
          replies.push({ outcome: `vacation-${arg}` });
          env.decide(`routing: vacation ${arg}`, { login: who });
        }
        continue;
      }
      if (!isPull || !env.config.routing.enabled) continue; // /route and /unroute only mean something on a pull request
      const isAuthor = who.toLowerCase() === (issue.user?.login ?? '').toLowerCase(); // user is null for a deleted account
      const allowed = (command.name === 'route' && isAuthor) || (await env.people.isMaintainer(who));
      if (!allowed) {
        replies.push({ outcome: 'not-permitted', command: command.name });
        env.decide(`routing: /${command.name} refused (not permitted)`, { login: who, pr: issue.number });
        continue;
      }
      const arg = command.args[0]?.toLowerCase();
      if (!arg) {
        replies.push({ outcome: 'missing-subteam', command: command.name, keys });
        continue;
      }
      if (!keys.includes(arg)) {
        replies.push({ outcome: 'unknown-subteam', arg: command.args[0], keys });
        continue;
      }
      const team = env.config.subteams[arg]!;
      const ref = { ...repo, issue_number: issue.number };
      if (command.name === 'route') {
        // The author may add a subteam, but not bring back one a person took off (/unroute or removing its label).
        const takenOff = store.marks(repo, issue.number, 'unrouted').has(arg) || services.labels.isVetoed(ref, team.label);
        if (takenOff && !(await env.people.isMaintainer(who))) {
          replies.push({ outcome: 'taken-off', name: team.name });
          env.decide(`routing: /route ${arg} refused (a person took the subteam off; the author is not a maintainer)`, { login: who, pr: issue.number });
          continue;
        }
        store.unmark(repo, issue.number, 'unrouted', arg);
        store.mark(repo, issue.number, 'forced', arg, { actor: who });
        services.labels.clearVeto(ref, team.label);
        replies.push({ outcome: 'routed', name: team.name });
      } else {
        store.unmark(repo, issue.number, 'forced', arg);
        store.mark(repo, issue.number, 'unrouted', arg, { actor: who });
        const removed = await withdrawBotRequests(context.octokit, store, repo, issue.number, arg);
        await services.labels.remove(context.octokit, ref, (issue.labels ?? []).map((l) => l.name), team.label);
        replies.push({ outcome: 'unrouted', name: team.name, removed });
      }
      env.decide(`routing: /${command.name} ${arg}`, { login: who, pr: issue.number });
      reroute = true;
    }

    if (reroute) await rerouteAfterCommand(context.octokit, env, repo, issue.number, replies);
    if (replies.length === 0) return;
    const body = await services.templates.render(context.octokit, repo, env.config, 'routing/reply.md.njk', { replies, who });
    await context.octokit.rest.issues.createComment({ ...repo, issue_number: issue.number, body });
  });
}

/** Withdraws the bot's review requests made only for this subteam; others keep their remaining subteams. */
async function withdrawBotRequests(octokit: Octokit, store: RoutingStore, repo: { owner: string; repo: string }, pr: number, subteam: string): Promise<string[]> {
  const withdraw: string[] = [];
  for (const request of store.openRequests(repo, pr)) {
    if (!request.requestedByBot || !request.subteams.includes(subteam)) continue;
    const rest = request.subteams.filter((s) => s !== subteam);
    if (rest.length > 0) store.setSubteams(repo, pr, request.reviewer, rest);
    else withdraw.push(request.reviewer);
  }
  if (withdraw.length === 0) return [];
  await octokit.rest.pulls.removeRequestedReviewers({ ...repo, pull_number: pr, reviewers: withdraw });
  for (const login of withdraw) store.removed(repo, pr, login);
  return withdraw;
}

async function rerouteAfterCommand(octokit: Octokit, env: HandlerEnv, repo: { owner: string; repo: string }, pr: number, replies: Reply[]): Promise<void> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pr });
  const pull = pullInfo(repo, data as Parameters<typeof pullInfo>[1]);
  if (data.state !== 'open' || pull.draft) {
    replies.push({ outcome: data.state !== 'open' ? 'closed' : 'draft' });
    return;
  }
  await routePull(octokit, env, pull, 'command');
}
