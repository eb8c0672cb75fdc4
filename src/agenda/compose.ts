import type { NetbotConfig } from '../config.js';
import type { SuiteHealth } from '../core/read-models.js';
import { SECTIONS, type SectionId } from './config.js';
import { deputyFor, localParts, meetingAfter } from './meetings.js';
import type { Gathered, Item } from './query.js';
import type { ActionItem, Nomination, Snapshot } from './store.js';

/**
 * The agenda, composed (pure): gathered data in, sections out. Each section is data for its own template
 * (templates/agenda/<section>.md.njk); every count carries its change since the last meeting's snapshot.
 */

const DAY_MS = 86_400_000;
/** Posted this long after it was due, the agenda says it is late (netbot was not running). */
const LATE_AFTER_MS = 15 * 60_000;

export interface ComposeInput {
  repo: { owner: string; repo: string; htmlUrl: string };
  config: NetbotConfig;
  meetingAt: Date;
  /** The last meeting before this one: "since last meeting" starts there. */
  since: Date;
  now: Date;
  /** When the agenda was posted (now, for one not posted yet). */
  postedAt: Date;
  frozen: boolean;
  gathered: Gathered;
  previousAgenda: { url: string; meetingAt: Date } | null;
  nominations: Nomination[];
  actions: ActionItem[];
  /** The meetings that had an agenda, up to this one (how long an action item has been open counts them). */
  meetingTimes: number[];
  /** Earlier meetings' counts, oldest first: the last one gives the deltas. */
  snapshots: Snapshot[];
  reviewLoad: Map<string, number> | null;
  starterClaims: { claimed: number[]; released: number[] } | null;
  gateHealth: SuiteHealth[] | null;
  /** Mention action owners (the posted agenda); a preview pings nobody. */
  mentions: boolean;
}

/** A count and its change since the last meeting (null: no earlier snapshot). */
export interface Figure {
  value: number;
  delta: number | null;
}

export interface Section {
  id: SectionId;
  template: string;
  timebox: number | null;
  vars: Record<string, unknown>;
}

export interface Agenda {
  title: string;
  meetingAt: string;
  frozen: boolean;
  sections: Section[];
  timebox: { total: number; length: number; over: boolean } | null;
  /** This meeting's counts: kept as its snapshot. */
  counts: Record<string, number>;
}

/** `Team meeting 2026-11-30`: the meeting's date in its time zone. */
export function agendaTitle(config: NetbotConfig, meetingAt: Date): string {
  return `Team meeting ${localParts(meetingAt, config.agenda.timezone).date}`;
}

const daysBetween = (from: string | number, to: Date) => Math.max(0, Math.floor((to.getTime() - new Date(from).getTime()) / DAY_MS));

export function composeAgenda(input: ComposeInput): Agenda {
  const { config, gathered, meetingAt, now } = input;
  const agenda = config.agenda;
  const counts: Record<string, number> = { ...gathered.counts };
  delete counts.existing;
  const open = input.actions.filter((a) => a.closedAt === null);
  counts['actions.open'] = open.length;
  counts['topics'] = input.nominations.filter((n) => n.kind === 'topic').length;
  const last = input.snapshots.at(-1)?.counts;
  const figure = (name: string): Figure => {
    const value = counts[name] ?? 0;
    return { value, delta: last && typeof last[name] === 'number' ? value - last[name]! : null };
  };
  const list = (name: string): Item[] => gathered.lists[name] ?? [];
  const local = localParts(meetingAt, agenda.timezone);
  const dueAt = new Date(meetingAt.getTime() - agenda.postAhead * 3_600_000);

  const sections: Record<SectionId, Record<string, unknown>> = {
    header: {
      title: agendaTitle(config, meetingAt),
      date: local.date,
      time: local.time,
      weekday: local.weekday,
      zone: agenda.timezone,
      zoneShort: local.zone,
      chair: agenda.chair ?? null,
      deputy: agenda.bugDeputies ? (deputyFor(agenda.bugDeputies.rotation, agenda.bugDeputies.from, meetingAt) ?? null) : null,
      place: agenda.place ?? null,
      previous: input.previousAgenda && { url: input.previousAgenda.url, date: localParts(input.previousAgenda.meetingAt, agenda.timezone).date },
      minutes: minutesLink(input),
      frozen: input.frozen,
      nextMeeting: localParts(meetingAfter(agenda.schedule, agenda.timezone, meetingAt), agenda.timezone).date,
      late: input.postedAt.getTime() - dueAt.getTime() > LATE_AFTER_MS ? { due: `${localParts(dueAt, agenda.timezone).date} ${localParts(dueAt, agenda.timezone).time}`, posted: `${localParts(input.postedAt, agenda.timezone).date} ${localParts(input.postedAt, agenda.timezone).time}` } : null,
    },
    announcements: {
      nominated: input.nominations.filter((n) => n.kind === 'announcement'),
      labelled: list('announcements'),
      labelledCount: figure('announcements'),
      label: agenda.announcementLabel,
      milestone: gathered.milestone && { ...gathered.milestone, due: gathered.milestone.dueOn?.slice(0, 10) ?? null, daysLeft: gathered.milestone.dueOn ? Math.ceil((Date.parse(gathered.milestone.dueOn) - now.getTime()) / DAY_MS) : null },
    },
    actions: composeActions(input, open, figure('actions.open')),
    bugs: {
      open: figure('bugs.open'),
      new: { ...figure('bugs.new'), items: list('bugs.new') },
      closed: { ...figure('bugs.closed'), items: list('bugs.closed') },
      priorities: agenda.priorityLabels.map((l) => ({ label: l, ...figure(`bugs.priority.${l}`) })),
      urgent: agenda.urgentLabels.length ? { labels: agenda.urgentLabels, ...figure('bugs.urgentUnassigned'), items: list('bugs.urgentUnassigned') } : null,
      untriaged: { label: config.labels.needsTriage, ...figure('bugs.untriaged'), items: list('bugs.untriaged').map((i) => ({ ...i, days: daysBetween(i.createdAt, now) })) },
      starter: {
        label: config.labels.lowHangingFruit,
        opened: figure('starter.opened'),
        fixed: figure('starter.fixed'),
        claimed: input.starterClaims ? input.starterClaims.claimed : null,
        released: input.starterClaims ? input.starterClaims.released : null,
      },
    },
    subteams: { teams: composeTeams(input, figure, list) },
    gate: composeGate(input),
    discussion: { topics: input.nominations.filter((n) => n.kind === 'topic') },
    trend: composeTrend(input, counts),
  };

  const timeboxes = Object.values(agenda.timebox).filter((m): m is number => typeof m === 'number');
  const total = timeboxes.reduce((a, b) => a + b, 0);
  return {
    title: agendaTitle(config, meetingAt),
    meetingAt: meetingAt.toISOString(),
    frozen: input.frozen,
    sections: SECTIONS.map((id) => ({ id, template: `agenda/${id}.md.njk`, timebox: agenda.timebox[id] ?? null, vars: sections[id] })),
    timebox: timeboxes.length ? { total, length: agenda.length, over: total > agenda.length } : null,
    counts,
  };
}

function minutesLink(input: ComposeInput): string | null {
  const { config, previousAgenda, gathered } = input;
  if (!previousAgenda) return null;
  if (config.agenda.minutes) return config.agenda.minutes.replace('{date}', localParts(previousAgenda.meetingAt, config.agenda.timezone).date);
  // Else the comment of the previous agenda where the minutes were pasted (it has #action/#info lines or says "minutes").
  const pasted = gathered.previous?.comments.find((c) => !c.body.startsWith('<!-- netbot:') && /(^|\s)#(action|info|agreed|topic)\b|\bminutes\b/i.test(c.body));
  return pasted?.url ?? null;
}

function composeActions(input: ComposeInput, open: ActionItem[], count: Figure) {
  const since = input.since.getTime();
  const mentioned = new Set<string>();
  /** How many meetings have come since the item was raised, this one included. */
  const meetingsOpen = (a: ActionItem) => input.meetingTimes.filter((t) => t > a.raisedAt && t <= input.meetingAt.getTime()).length;
  const items = [...open]
    .sort((a, b) => a.owner.toLowerCase().localeCompare(b.owner.toLowerCase()) || a.number - b.number)
    .map((a) => {
      const key = a.owner.toLowerCase();
      const mention = input.mentions && !mentioned.has(key);
      mentioned.add(key);
      return { ...a, mention, meetingsOpen: meetingsOpen(a) };
    });
  const done = input.actions.filter((a) => a.closedAt !== null && a.closedAt >= since);
  return { open: items, done, count, carried: items.filter((a) => a.meetingsOpen > 1).length };
}

function composeTeams(input: ComposeInput, figure: (name: string) => Figure, list: (name: string) => Item[]) {
  const { config, now, reviewLoad } = input;
  const capacity = config.routing.maxOpenReviews;
  return Object.entries(config.subteams).map(([key, team]) => {
    const reviewers = [...new Set([...team.leads, ...team.backups])];
    return {
      key,
      name: team.name,
      label: team.label,
      leads: team.leads,
      open: figure(`team.${key}.open`),
      review: { ...figure(`team.${key}.review`), items: list(`team.${key}.review`).map((i) => ({ ...i, days: daysBetween(i.createdAt, now) })) },
      failing: { ...figure(`team.${key}.failing`), items: list(`team.${key}.failing`) },
      atCapacity: reviewLoad === null ? null : reviewers.map((login) => ({ login, open: reviewLoad.get(login.toLowerCase()) ?? 0 })).filter((r) => r.open >= capacity),
      capacity,
    };
  });
}

export type GateLevel = 'ok' | 'notice' | 'warning' | 'critical';

/** Neutron's gate-failure policy: a failure rate at or above each threshold is flagged. */
export function gateLevel(failureRate: number, t: { notice: number; warning: number; critical: number }): GateLevel {
  const pct = failureRate * 100;
  return pct >= t.critical ? 'critical' : pct >= t.warning ? 'warning' : pct >= t.notice ? 'notice' : 'ok';
}

function composeGate(input: ComposeInput) {
  if (input.gateHealth === null) return { available: false, suites: [] };
  const t = input.config.agenda.gateThresholds;
  return {
    available: true,
    thresholds: t,
    suites: input.gateHealth.map((s) => ({
      name: s.suite === 'migrations' ? 'migrations' : `conformance (${s.plugin ?? 'all'})`,
      runs: s.runs,
      passed: s.passed,
      failed: s.failed,
      passPercent: Math.round(s.passRate * 1000) / 10,
      level: s.runs === 0 ? 'ok' : gateLevel(1 - s.passRate, t),
      flaky: s.flakyCases.slice(0, input.config.agenda.listLimit),
    })),
  };
}

function composeTrend(input: ComposeInput, counts: Record<string, number>) {
  const { config } = input;
  const weeks = [...input.snapshots.slice(-(config.agenda.trendWeeks - 1)), { meetingAt: input.meetingAt.getTime(), counts }];
  const labels = weeks.map((w) => localParts(new Date(w.meetingAt), config.agenda.timezone).date.slice(5));
  const series = Object.entries(config.subteams).map(([key, team]) => ({
    key,
    name: team.name,
    color: team.color,
    values: weeks.map((w) => w.counts[`team.${key}.open`] ?? 0),
  }));
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  return { labels, series, max, weeks: weeks.length };
}
