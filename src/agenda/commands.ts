import { refusal, type CommandInvocation } from '../core/commands.js';
import type { AppServices } from '../core/services.js';
import { requestRefresh } from './jobs.js';
import { localParts, meetingAfter, meetingBefore } from './meetings.js';
import { previewAgenda } from './publish.js';
import { agendaStoreFor } from './store.js';

const NOMINATORS = 'maintainers, triagers (anyone when agenda.openNominations is on)';
const LOGIN = /^@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))$/;

const onAgenda = (config: { agenda: { enabled: boolean } }) => config.agenda.enabled;

/** `/agenda` (topics, announcements, preview), `/action` and `/done`, registered with their help. */
export function registerAgendaCommands(services: AppServices): void {
  const common = { room: 'agenda', on: 'both' as const, enabled: onAgenda };
  services.commands.register({
    ...common,
    name: 'agenda',
    usage: '/agenda <topic> | announce <text> | preview',
    summary: "nominate a topic (this issue or pull request, linked) or an announcement for the next meeting; `preview` replies with the agenda as it would be now",
    who: `${NOMINATORS}; preview: anyone`,
    examples: ['/agenda DVR and the L3 agent: who reviews?', '/agenda announce Feature freeze is on Thursday', '/agenda preview'],
    run: (inv) => agendaCommand(services, inv),
  });
  services.commands.register({
    ...common,
    name: 'action',
    usage: '/action @owner <text>',
    summary: 'add an action item: it is on every agenda, with how many meetings it has been open, until it is done',
    who: NOMINATORS,
    examples: ['/action @carl-baldwin review the DVR spec'],
    run: (inv) => actionCommand(services, inv),
  });
  services.commands.register({
    ...common,
    name: 'done',
    usage: '/done <number>',
    summary: 'close an action item (ticking its box on the agenda does too)',
    who: `${NOMINATORS}, the item's owner`,
    examples: ['/done 12'],
    run: (inv) => doneCommand(services, inv),
  });
}

function reply(inv: CommandInvocation, kind: string, vars: Record<string, unknown> = {}): Promise<string> {
  const { env, context } = inv;
  return env.services.templates.render(context.octokit, env.repo, env.config, 'agenda/reply.md.njk', { kind, login: inv.login, isPull: inv.target.isPull, ...vars });
}

const mayNominate = async (inv: CommandInvocation) => inv.env.config.agenda.openNominations || (await inv.env.people.isTriager(inv.login));
const sourceKey = (inv: CommandInvocation) => `${inv.source.kind}-${inv.source.id}:${inv.command.line}:${inv.command.name} ${inv.command.args.join(' ')}`;
const sourceUrl = (inv: CommandInvocation) => {
  const p = inv.context.payload as { comment?: { html_url?: string }; review?: { html_url?: string } };
  return p.comment?.html_url ?? p.review?.html_url;
};

/**
 * The meeting a change made now belongs to: the next one to start. Once a meeting has started its agenda is
 * frozen, so what is said then goes to the following week (the reply says so).
 */
async function openMeeting(services: AppServices, inv: CommandInvocation) {
  const { schedule, timezone } = inv.env.config.agenda;
  const now = services.now();
  const meetingAt = meetingAfter(schedule, timezone, now);
  const started = meetingBefore(schedule, timezone, now);
  const store = agendaStoreFor(services);
  const startedRow = started && (await store.meeting(inv.env.repo.repoId, started.getTime()));
  const frozenDate = startedRow && startedRow.closedAt === null ? localParts(started, timezone).date : undefined;
  return { meetingAt, date: localParts(meetingAt, timezone).date, frozenDate };
}

/** Edits the meeting's agenda if it is posted (and not frozen); else it shows the change when it is posted. */
async function refreshIfPosted(services: AppServices, repoId: number, meetingAt: Date): Promise<void> {
  const row = await agendaStoreFor(services).meeting(repoId, meetingAt.getTime());
  if (row && row.frozenAt === null) await requestRefresh(services, repoId, meetingAt);
}

async function agendaCommand(services: AppServices, inv: CommandInvocation): Promise<string | undefined> {
  const { env, target } = inv;
  const [first, ...rest] = inv.command.args;
  if (first?.toLowerCase() === 'preview') {
    const { meetingAt, date } = await openMeeting(services, inv);
    const { body } = await previewAgenda({ services, octokit: inv.context.octokit, repo: env.repo, config: env.config }, meetingAt);
    env.decide('agenda: preview', { number: target.number, login: inv.login });
    return reply(inv, 'preview', { date, preview: body.replace(/^<!-- netbot:agenda:[^>]*-->\n/, '') });
  }
  if (!(await mayNominate(inv))) return refusal(inv, NOMINATORS);
  const announce = first?.toLowerCase() === 'announce';
  const text = (announce ? rest : inv.command.args).join(' ').trim();
  if (announce && !text) return reply(inv, 'agenda-usage');
  const { meetingAt, date, frozenDate } = await openMeeting(services, inv);
  const store = agendaStoreFor(services);
  const added = await store.nominate(
    env.repo.repoId,
    meetingAt.getTime(),
    {
      kind: announce ? 'announcement' : 'topic',
      text: text || target.title,
      target: { number: target.number, title: target.title, url: issueUrl(inv), isPull: target.isPull },
      nominatedBy: inv.login,
    },
    sourceKey(inv),
  );
  env.decide(`agenda: ${announce ? 'announcement' : 'topic'} nominated`, { number: target.number, login: inv.login, meeting: meetingAt.toISOString(), added });
  if (!added) return reply(inv, 'already', { date });
  await refreshIfPosted(services, env.repo.repoId, meetingAt);
  return reply(inv, announce ? 'announced' : 'nominated', { date, frozenDate, text: text || target.title });
}

/** The issue's or pull request's web address (the payload has it; else built from the repository's). */
function issueUrl(inv: CommandInvocation): string {
  const p = inv.context.payload as { issue?: { html_url?: string }; pull_request?: { html_url?: string } };
  const base = inv.env.repo.htmlUrl ?? `https://github.com/${inv.env.repo.owner}/${inv.env.repo.repo}`;
  return p.issue?.html_url ?? p.pull_request?.html_url ?? `${base}/${inv.target.isPull ? 'pull' : 'issues'}/${inv.target.number}`;
}

async function actionCommand(services: AppServices, inv: CommandInvocation): Promise<string> {
  const { env } = inv;
  if (!(await mayNominate(inv))) return refusal(inv, NOMINATORS);
  const [who, ...words] = inv.command.args;
  const owner = LOGIN.exec(who ?? '')?.[1];
  const text = words.join(' ').trim();
  if (!owner || !text) return reply(inv, 'action-usage');
  const store = agendaStoreFor(services);
  const originKey = `command:${sourceKey(inv)}`;
  const number = (await store.addAction(env.repo.repoId, { owner, text, originKey, raisedBy: inv.login, raisedUrl: sourceUrl(inv) })) ?? (await store.actionByOrigin(env.repo.repoId, originKey))?.number;
  env.decide('agenda: action item added', { number, owner, login: inv.login });
  const { meetingAt } = await openMeeting(services, inv);
  await refreshIfPosted(services, env.repo.repoId, meetingAt);
  return reply(inv, 'action', { number, owner, text });
}

async function doneCommand(services: AppServices, inv: CommandInvocation): Promise<string> {
  const { env } = inv;
  const number = Number(/^#?(\d{1,9})$/.exec(inv.command.args[0] ?? '')?.[1]);
  if (!Number.isInteger(number) || number < 1) return reply(inv, 'done-usage');
  const store = agendaStoreFor(services);
  const item = await store.action(env.repo.repoId, number);
  if (!item) return reply(inv, 'done-unknown', { number });
  const isOwner = item.owner.toLowerCase() === inv.login.toLowerCase();
  if (!isOwner && !(await mayNominate(inv))) return refusal(inv, `${NOMINATORS}, the item's owner`);
  const result = await store.closeAction(env.repo.repoId, number, inv.login, 'done');
  env.decide(`agenda: /done ${number}: ${result}`, { login: inv.login });
  if (result !== 'closed') return reply(inv, result === 'already' ? 'done-already' : 'done-unknown', { number });
  const { meetingAt } = await openMeeting(services, inv);
  await refreshIfPosted(services, env.repo.repoId, meetingAt);
  return reply(inv, 'done', { number, owner: item.owner, text: item.text });
}
