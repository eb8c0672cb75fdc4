import { describe, expect, test } from 'vitest';
import { composeAgenda, gateLevel, type ComposeInput } from '../../src/agenda/compose.js';
import type { Gathered, Item } from '../../src/agenda/query.js';
import { renderAgenda } from '../../src/agenda/render.js';
import type { ActionItem } from '../../src/agenda/store.js';
import { render } from '../../src/templates.js';
import { agendaConfig, DAY } from './support.js';

/** Composition is pure: gathered data in, sections out; rendered here with the built-in templates only. */
const MEETING = new Date('2026-12-01T14:00:00Z');
const WEEK = 7 * DAY;
const builtIn = async (name: string, vars: Record<string, unknown>) => ({ text: render(name, vars) });
const text = async (input: ComposeInput) => (await renderAgenda(builtIn, composeAgenda(input))).body;

function gathered(counts: Record<string, number> = {}, lists: Record<string, Item[]> = {}, extra: Partial<Gathered> = {}): Gathered {
  return { repositoryId: 'R_1', databaseId: 1, counts, lists, milestone: null, previous: null, current: null, categories: [], labelId: null, rateLimit: null, ...extra };
}

function input(over: Partial<ComposeInput> = {}): ComposeInput {
  return {
    repo: { owner: 'netcore', repo: 'netcore', htmlUrl: 'https://github.com/netcore/netcore' },
    config: agendaConfig(),
    meetingAt: MEETING,
    since: new Date(MEETING.getTime() - WEEK),
    now: new Date(MEETING.getTime() - DAY),
    postedAt: new Date(MEETING.getTime() - DAY),
    frozen: false,
    gathered: gathered(),
    previousAgenda: null,
    nominations: [],
    actions: [],
    meetingTimes: [MEETING.getTime()],
    snapshots: [],
    reviewLoad: null,
    starterClaims: null,
    gateHealth: null,
    mentions: true,
    ...over,
  };
}

const item = (number: number, title: string, daysAgo: number, isPull = false): Item => ({ number, title, url: `https://github.com/netcore/netcore/${isPull ? 'pull' : 'issues'}/${number}`, isPull, author: 'x', createdAt: new Date(MEETING.getTime() - daysAgo * DAY).toISOString(), closedAt: null });

const action = (number: number, owner: string, textOf: string, raisedAt: number, closed?: Partial<ActionItem>): ActionItem => ({
  number, owner, text: textOf, raisedAt, raisedBy: 'markmcclain', raisedUrl: null, originKey: `k${number}`, closedAt: null, closedBy: null, closedHow: null, ...closed,
});

test('an empty week: every section says so plainly; no deltas without a last meeting; gate health has no data yet', async () => {
  const agenda = composeAgenda(input());
  expect(agenda.sections.map((s) => s.template)).toEqual(['agenda/header.md.njk', 'agenda/announcements.md.njk', 'agenda/actions.md.njk', 'agenda/bugs.md.njk', 'agenda/subteams.md.njk', 'agenda/gate.md.njk', 'agenda/discussion.md.njk', 'agenda/trend.md.njk']);
  expect(agenda.timebox).toBeNull();
  const body = await text(input());
  expect(body).toContain('_None. Announce with `/agenda announce <text>` or the `announcement` label._');
  expect(body).toContain('_No open action items._');
  expect(body).toContain('- Open: **0** · `critical` **0**');
  expect(body).not.toContain('since last meeting)');
  expect(body).toContain('_No data yet: the checks feature has not recorded any conformance or migration runs._');
  expect(body).toContain('_No topics yet.');
  expect(body).toContain('_The trend starts next week');
  expect(body).not.toContain('```mermaid');
  expect(body).not.toContain('[!NOTE]');
});

test('a busy week: counts with their deltas, the lists, review load, starter claims, gate health flagged by threshold, the trend', async () => {
  const counts = {
    'bugs.open': 412, 'bugs.new': 23, 'bugs.closed': 17, 'bugs.priority.critical': 3, 'bugs.priority.high': 41, 'bugs.priority.medium': 120, 'bugs.priority.low': 80,
    'bugs.urgentUnassigned': 2, 'bugs.untriaged': 9, 'starter.opened': 4, 'starter.fixed': 2, announcements: 1,
    'team.l3.open': 130, 'team.db.open': 88, 'team.lbaas.open': 61, 'team.ipv6.open': 40, 'team.l3.review': 7, 'team.l3.failing': 2,
  };
  const last = { ...counts, 'bugs.open': 406, 'bugs.priority.critical': 5, 'team.l3.open': 124, 'team.l3.review': 7 };
  const snapshots = [0, 1, 2].map((k) => ({ meetingAt: MEETING.getTime() - (3 - k) * WEEK, counts: k === 2 ? last : { ...last, 'team.l3.open': 110 + k } }));
  const body = await text(
    input({
      gathered: gathered(counts, {
        'bugs.new': [item(2001, 'DVR: floating IP not reachable after router migration', 1)],
        'bugs.urgentUnassigned': [item(1999, 'Deadlock in ML2 port binding', 9)],
        'team.l3.review': [item(3001, 'Fix SNAT for DVR', 12, true)],
        'team.l3.failing': [item(3002, 'L3 HA: keepalived state', 2, true)],
        announcements: [item(1500, 'Kilo feature freeze', 3)],
      }, { milestone: { title: 'Kilo-1', number: 3, dueOn: '2026-12-10T00:00:00Z', url: 'https://github.com/netcore/netcore/milestone/3' } }),
      snapshots,
      reviewLoad: new Map([['carl-baldwin', 5], ['amuller', 4]]),
      starterClaims: { claimed: [2010, 2011], released: [] },
      gateHealth: [
        { suite: 'conformance', plugin: 'sqlite', runs: 30, passed: 19, failed: 11, passRate: 19 / 30, flakyCases: [{ id: 'sqlite/ipam.release_on_delete', flakes: 4 }] },
        { suite: 'conformance', plugin: 'journal', runs: 20, passed: 17, failed: 3, passRate: 0.85, flakyCases: [] },
        { suite: 'migrations', plugin: null, runs: 12, passed: 12, failed: 0, passRate: 1, flakyCases: [] },
      ],
      nominations: [{ id: 1, kind: 'announcement', text: 'Summit CFP closes Friday', target: { number: 1, title: 't', url: 'https://github.com/netcore/netcore/issues/1', isPull: false }, nominatedBy: 'markmcclain', createdAt: 0 }],
    }),
  );
  expect(body).toContain('- Open: **412** (+6 since last meeting) · `critical` **3** (-2 since last meeting), `high` **41**');
  expect(body).toContain('- Next milestone: [Kilo\\-1](https://github.com/netcore/netcore/milestone/3), due 2026-12-10 (in 10 days)');
  expect(body).toContain('- Summit CFP closes Friday (from `markmcclain` on [#1](https://github.com/netcore/netcore/issues/1))');
  expect(body).toContain('  - [#2001](https://github.com/netcore/netcore/issues/2001) DVR: floating IP not reachable after router migration');
  expect(body).toContain('- Starter bugs (`low-hanging-fruit`) this week: **4** opened, **2** claimed (#2010, #2011), **2** fixed');
  expect(body).toContain('- Open bugs (`area/l3`): **130** (+6 since last meeting)');
  expect(body).toContain('  - [#3001](https://github.com/netcore/netcore/pull/3001) Fix SNAT for DVR, waiting 11 days');
  expect(body).toContain('- Reviewers at capacity (5 open reviews): `carl-baldwin` (5)');
  expect(body).toContain('| conformance \\(sqlite\\) | 30 | 19 | 63.3 % | 🔴 failing 33 %+ of runs |');
  expect(body).toContain('| conformance \\(journal\\) | 20 | 17 | 85 % | 🟡 failing 10 %+ |');
  expect(body).toContain('| migrations | 12 | 12 | 100 % |  |');
  expect(body).toContain('Flaky in conformance \\(sqlite\\): `sqlite/ipam.release_on_delete` (4)');
  expect(body).toContain('```mermaid\n%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#0e8a16, #5319e7, #fbca04, #c5def5"}}}}%%\nxychart-beta');
  expect(body).toContain('    x-axis ["11-10", "11-17", "11-24", "12-01"]');
  expect(body).toContain('    line [110, 111, 124, 130]');
  expect(body).toContain('| L3 | `#0e8a16` | 110 | 111 | 124 | 130 |');
});

test("Neutron's gate-failure policy: a failure rate at or above 10, 25, 33 % is a notice, a warning, critical", () => {
  const t = { notice: 10, warning: 25, critical: 33 };
  expect([0.05, 0.1, 0.249, 0.25, 0.33, 0.5].map((r) => gateLevel(r, t))).toEqual(['ok', 'notice', 'notice', 'warning', 'critical', 'critical']);
});

test('action items carried three weeks: how many meetings each has been open; owners mentioned once; done ones listed', async () => {
  const weeks = [3, 2, 1, 0].map((k) => MEETING.getTime() - k * WEEK);
  const actions = [
    action(1, 'carl-baldwin', 'review the DVR spec', weeks[0]! + 3_600_000), // raised at the meeting three weeks ago
    action(2, 'carl-baldwin', 'write the L3 HA docs', weeks[2]! + 3_600_000),
    action(3, 'zzzeek', 'bisect the deadlock', weeks[2]! + 3_600_000, { closedAt: weeks[2]! + 2 * DAY, closedBy: 'zzzeek', closedHow: 'done' }),
  ];
  const agenda = composeAgenda(input({ actions, meetingTimes: weeks, since: new Date(weeks[2]!) }));
  const section = agenda.sections.find((s) => s.id === 'actions')!.vars as any;
  expect(section.open.map((a: any) => [a.number, a.meetingsOpen, a.mention])).toEqual([
    [1, 3, true],
    [2, 1, false],
  ]);
  expect(section.carried).toBe(1);
  const body = await text(input({ actions, meetingTimes: weeks, since: new Date(weeks[2]!) }));
  expect(body).toContain('- [ ] @carl-baldwin review the DVR spec (action 1, open for 3 meetings) <!-- netbot:action:1 -->');
  expect(body).toContain('- [ ] `carl-baldwin` write the L3 HA docs (action 2, new) <!-- netbot:action:2 -->');
  expect(body).toContain('**2** open, 1 carried over more than one meeting.');
  expect(body).toContain('- [x] `zzzeek` bisect the deadlock (action 3, closed by `zzzeek`) <!-- netbot:action:3 -->');
  expect(body.match(/@carl-baldwin/g)).toHaveLength(1);
});

test('a missed schedule: an agenda posted long after it was due says so, with both times in the meeting time zone', async () => {
  const config = agendaConfig({ timezone: 'Europe/Berlin', schedule: '0 15 * * 2' });
  const meetingAt = new Date('2026-12-01T14:00:00Z'); // 15:00 in Berlin
  const body = await text(input({ config, meetingAt, postedAt: new Date('2026-12-01T09:30:00Z'), now: new Date('2026-12-01T09:30:00Z') }));
  expect(body).toContain('- **When:** Tuesday 2026-12-01, 15:00 CET (Europe/Berlin)');
  expect(body).toContain('This agenda was due on 2026-11-30 15:00 and posted on 2026-12-01 10:30: netbot was not running in between.');
  // On time (within 15 minutes of the due time): no note.
  expect(await text(input({ config, meetingAt, postedAt: new Date('2026-11-30T14:10:00Z') }))).not.toContain('was due on');
});

test("a frozen agenda says that later nominations go to next week's meeting", async () => {
  const body = await text(input({ frozen: true, now: MEETING }));
  expect(body).toContain("> This agenda was frozen when the meeting started. Topics, announcements and action items added since then go to next week's agenda (2026-12-08).");
});

test('timeboxes: shown per section, and a warning when they add up to more than the meeting', async () => {
  const config = agendaConfig({ length: 45, timebox: { bugs: 15, subteams: 20, discussion: 15 } });
  const agenda = composeAgenda(input({ config }));
  expect(agenda.timebox).toEqual({ total: 50, length: 45, over: true });
  const body = await text(input({ config }));
  expect(body).toContain('## Bugs _(15 min)_');
  expect(body).toContain("> The sections' timeboxes add up to 50 minutes, more than the meeting's 45.");
  expect(await text(input({ config: agendaConfig({ timebox: { bugs: 15 } }) }))).not.toContain('add up to');
});

describe('the header', () => {
  test('chair, the bug deputy of the week (a rotation), the place, the previous agenda and its minutes', async () => {
    const config = agendaConfig({ bugDeputies: { rotation: ['amuller', 'kevinbenton', 'haleyb'], from: '2026-11-16' }, minutes: 'https://meetings.example.org/netcore/{date}.html' });
    const body = await text(input({ config, previousAgenda: { url: 'https://github.com/netcore/netcore/issues/90', meetingAt: new Date('2026-11-24T14:00:00Z') } }));
    expect(body).toContain('- **Chair:** `markmcclain`');
    expect(body).toContain('- **Bug deputy this week:** `haleyb`'); // third week from 2026-11-16
    expect(body).toContain('- **Where:** \\#openstack\\-meeting on OFTC');
    expect(body).toContain('- **Previous meeting:** [agenda of 2026-11-24](https://github.com/netcore/netcore/issues/90) · [minutes](https://meetings.example.org/netcore/2026-11-24.html)');
  });

  test('nominated text and titles are escaped and ping nobody', async () => {
    const nominations = [{ id: 1, kind: 'topic' as const, text: '@netcore/core-team look at <img src=x onerror=alert(1)> **now**', target: { number: 7, title: 'Ping @octocat', url: 'https://github.com/netcore/netcore/issues/7', isPull: true }, nominatedBy: 'drive-by', createdAt: 0 }];
    const body = await text(input({ nominations }));
    expect(body).toContain('1. @\u200dnetcore/core\\-team look at &lt;img src=x onerror=alert\\(1\\)&gt; \\*\\*now\\*\\*: [pull request #7](https://github.com/netcore/netcore/issues/7) Ping @\u200doctocat, nominated by `drive-by`');
  });
});
