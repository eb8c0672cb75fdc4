import { refusal, type CommandInvocation } from '../core/commands.js';
import type { HandlerEnv } from '../core/on-event.js';
import type { AppServices } from '../core/services.js';
import { repoParams, type Octokit } from '../github/types.js';
import { pullInfo } from './handlers.js';
import { routePull } from './route.js';
import { routingStoreFor, type RoutingStore } from './store.js';

type Reply = Record<string, unknown> & { outcome: string };
const ROUTE_WHO = "maintainers, the pull request's author";

/**
 * `/route <subteam>` (maintainers and the pull request's author), `/unroute <subteam>` (maintainers only:
 * an author must not be able to dodge a subteam's review), `/vacation on|off` (anyone, for themselves).
 */
export function registerRoutingCommands(services: AppServices): void {
  const store = routingStoreFor(services);
  const onRouting = (config: { routing: { enabled: boolean } }) => config.routing.enabled;
  services.commands.register({
    name: 'route',
    room: 'routing',
    usage: '/route <subteam>',
    summary: "add a subteam to a pull request (its lead or a backup is asked); only a maintainer can bring back a subteam a person took off (`/unroute` or removing its label)",
    who: ROUTE_WHO,
    on: 'pull requests',
    examples: ['/route l3', '/route ipv6'],
    enabled: onRouting,
    run: (inv) => route(inv, store),
  });
  services.commands.register({
    name: 'unroute',
    room: 'routing',
    usage: '/unroute <subteam>',
    summary: "drop the bot's review requests and area label for a subteam",
    who: 'maintainers',
    on: 'pull requests',
    allowed: 'maintainers',
    examples: ['/unroute lbaas'],
    enabled: onRouting,
    run: (inv) => unroute(inv, store),
  });
  services.commands.register({
    name: 'vacation',
    room: 'routing',
    usage: '/vacation on|off',
    summary: 'stop or resume being asked for reviews',
    who: 'anyone, for themselves',
    on: 'both',
    examples: ['/vacation on', '/vacation off'],
    async run(inv) {
      const arg = inv.command.args[0]?.toLowerCase();
      if (arg !== 'on' && arg !== 'off') return reply(inv, [{ outcome: 'vacation-usage' }]);
      await store.setVacation(inv.login, arg === 'on');
      inv.env.decide(`routing: vacation ${arg}`, { login: inv.login });
      return reply(inv, [{ outcome: `vacation-${arg}` }]);
    },
  });
}

function reply(inv: CommandInvocation, replies: Reply[]): Promise<string> {
  const { env, context } = inv;
  return env.services.templates.render(context.octokit, env.repo, env.config, 'routing/reply.md.njk', { replies, who: inv.login });
}

/** The subteam a command names, or the reply that says what is wrong with it. */
function subteamArg(inv: CommandInvocation): { key: string } | { problem: Reply } {
  const keys = Object.keys(inv.env.config.subteams);
  const arg = inv.command.args[0]?.toLowerCase();
  if (!arg) return { problem: { outcome: 'missing-subteam', command: inv.command.name, keys } };
  if (!keys.includes(arg)) return { problem: { outcome: 'unknown-subteam', arg: inv.command.args[0], keys } };
  return { key: arg };
}

async function route(inv: CommandInvocation, store: RoutingStore): Promise<string> {
  const { env, login, target } = inv;
  const isAuthor = login.toLowerCase() === target.author.toLowerCase();
  if (!isAuthor && !(await env.people.isMaintainer(login))) {
    env.decide('routing: /route refused (not permitted)', { login, pr: target.number });
    return refusal(inv, ROUTE_WHO);
  }
  const arg = subteamArg(inv);
  if ('problem' in arg) return reply(inv, [arg.problem]);
  const team = env.config.subteams[arg.key]!;
  const ref = { ...env.repo, issue_number: target.number };
  // The author may add a subteam, but not bring back one a person took off (/unroute or removing its label).
  const takenOff = (await store.marks(ref.repoId, target.number, 'unrouted')).has(arg.key) || (await env.services.labels.isVetoed(ref, team.label));
  if (takenOff && !(await env.people.isMaintainer(login))) {
    env.decide(`routing: /route ${arg.key} refused (a person took the subteam off; the author is not a maintainer)`, { login, pr: target.number });
    return reply(inv, [{ outcome: 'taken-off', name: team.name }]);
  }
  await store.unmark(ref.repoId, target.number, 'unrouted', arg.key);
  await store.mark(ref.repoId, target.number, 'forced', arg.key, { actor: login });
  await env.services.labels.clearVeto(ref, team.label);
  env.decide(`routing: /route ${arg.key}`, { login, pr: target.number });
  const replies: Reply[] = [{ outcome: 'routed', name: team.name }];
  await rerouteAfterCommand(inv.context.octokit, env, target.number, replies);
  return reply(inv, replies);
}

async function unroute(inv: CommandInvocation, store: RoutingStore): Promise<string> {
  const { env, login, target, context } = inv;
  const arg = subteamArg(inv);
  if ('problem' in arg) return reply(inv, [arg.problem]);
  const team = env.config.subteams[arg.key]!;
  const ref = { ...env.repo, issue_number: target.number };
  await store.unmark(ref.repoId, target.number, 'forced', arg.key);
  await store.mark(ref.repoId, target.number, 'unrouted', arg.key, { actor: login });
  const removed = await withdrawBotRequests(context.octokit, store, env, target.number, arg.key);
  await env.services.labels.remove(context.octokit, ref, target.labels, team.label);
  env.decide(`routing: /unroute ${arg.key}`, { login, pr: target.number });
  const replies: Reply[] = [{ outcome: 'unrouted', name: team.name, removed }];
  await rerouteAfterCommand(context.octokit, env, target.number, replies);
  return reply(inv, replies);
}

/** Withdraws the bot's review requests made only for this subteam; others keep their remaining subteams. */
async function withdrawBotRequests(octokit: Octokit, store: RoutingStore, env: HandlerEnv, pr: number, subteam: string): Promise<string[]> {
  const repoId = env.repo.repoId;
  const withdraw: string[] = [];
  for (const request of await store.openRequests(repoId, pr)) {
    if (!request.requestedByBot || !request.subteams.includes(subteam)) continue;
    const rest = request.subteams.filter((s) => s !== subteam);
    if (rest.length > 0) await store.setSubteams(repoId, pr, request.reviewer, rest);
    else withdraw.push(request.reviewer);
  }
  if (withdraw.length === 0) return [];
  await octokit.rest.pulls.removeRequestedReviewers({ ...repoParams(env.repo), pull_number: pr, reviewers: withdraw });
  for (const login of withdraw) await store.removed(repoId, pr, login);
  return withdraw;
}

async function rerouteAfterCommand(octokit: Octokit, env: HandlerEnv, pr: number, replies: Reply[]): Promise<void> {
  const { data } = await octokit.rest.pulls.get({ ...repoParams(env.repo), pull_number: pr });
  const pull = pullInfo(env.repo, data as Parameters<typeof pullInfo>[1]);
  if (data.state !== 'open' || pull.draft) {
    replies.push({ outcome: data.state !== 'open' ? 'closed' : 'draft' });
    return;
  }
  await routePull(octokit, env, pull, 'command');
}
