import { validate } from '@octokit/graphql-schema';
import { describe, expect, test } from 'vitest';
import { fakeRepo, queryCost, searchItems } from '../../bench/support/agenda-github.js';
import { harvestActions, minutesActions, taskLines } from '../../src/agenda/actions.js';
import { agendaQuery, readAgendaData } from '../../src/agenda/query.js';
import { agendaConfig, OWNER, REPO } from './support.js';

const since = new Date('2026-11-24T14:00:00Z');

describe("the gathering query is valid against GitHub's published GraphQL schema", () => {
  test.each([
    ['an issue agenda, first week', { config: agendaConfig() }],
    ['with the previous and the current agenda', { config: agendaConfig(), previous: { kind: 'issue' as const, number: 90 }, current: { kind: 'issue' as const, number: 97 } }],
    ['a Discussion agenda', { config: agendaConfig({ discussionCategory: 'Meetings' }), previous: { kind: 'discussion' as const, number: 12 }, findTitle: 'Team meeting 2026-12-01' }],
  ])('%s', (_name, p) => {
    const plan = agendaQuery({ owner: OWNER, repo: REPO, since, ...p });
    expect(validate(plan.document)).toEqual([]);
    // Counts only ask for the count; lists ask for what the agenda shows.
    for (const [i, s] of plan.searches.entries()) {
      const field = new RegExp(`s${i}: search\\(query: \\$q${i}, type: ISSUE, first: (\\d+)\\) \\{ issueCount(\\s+nodes)?`).exec(plan.document);
      expect([Number(field?.[1]), Boolean(field?.[2])]).toEqual([Math.max(1, s.list), s.list > 0]);
    }
  });

  test('one query is one rate-limit point by GitHub rule, with four subteams and lists of five', () => {
    const plan = agendaQuery({ owner: OWNER, repo: REPO, since, config: agendaConfig(), previous: { kind: 'issue', number: 90 }, current: { kind: 'issue', number: 97 } });
    expect(plan.searches.length).toBe(24);
    expect(queryCost(plan.document, plan.variables)).toBe(1);
  });

  test('every search uses qualifiers GitHub search has, and excludes the agendas themselves from the bugs', () => {
    const plan = agendaQuery({ owner: OWNER, repo: REPO, since, config: agendaConfig({}, { triage: { bugLabels: ['bug', 'type: defect'] } }), findTitle: 'Team meeting 2026-12-01' });
    const repo = fakeRepo({ owner: OWNER, name: REPO });
    for (const s of plan.searches) expect(() => searchItems(repo, s.query)).not.toThrow();
    expect(plan.searches.find((s) => s.name === 'bugs.new')?.query).toBe('repo:netcore/netcore is:issue -label:"meeting-agenda" label:"bug","type: defect" created:>=2026-11-24T14:00:00Z sort:created-desc');
    expect(plan.searches.find((s) => s.name === 'team.l3.review')?.query).toBe('repo:netcore/netcore is:pr is:open draft:false review:none label:"area/l3" sort:created-asc');
  });

  test("the answer is read back by name; a missing repository is a clear error", () => {
    const plan = agendaQuery({ owner: OWNER, repo: REPO, since, config: agendaConfig() });
    const data: any = { rateLimit: { cost: 1, remaining: 4990 }, repository: { id: 'R_x', databaseId: 5, milestones: { nodes: [{ title: 'later', number: 2, dueOn: null, url: 'u2' }, { title: 'Kilo-1', number: 1, dueOn: '2026-12-10T00:00:00Z', url: 'u1' }] } } };
    plan.searches.forEach((s, i) => (data[`s${i}`] = { issueCount: i, nodes: s.list ? [{ __typename: 'Issue', number: 7, title: 'T', url: 'u', createdAt: '2026-11-25T00:00:00Z', closedAt: null, author: null }] : undefined }));
    const g = readAgendaData(plan, data);
    expect(g.counts['bugs.open']).toBe(0);
    expect(g.counts['bugs.new']).toBe(1);
    expect(g.lists['bugs.new']).toEqual([{ number: 7, title: 'T', url: 'u', isPull: false, author: 'ghost', createdAt: '2026-11-25T00:00:00Z', closedAt: null }]);
    expect(g.milestone?.title).toBe('Kilo-1'); // the first one with a due date
    expect(() => readAgendaData(plan, { repository: null })).toThrow('GitHub answered without the repository');
  });
});

describe('action items in what people write', () => {
  test("task lines: netbot's own (marker), ticked or not; a person's `- [ ] @owner text`; code blocks ignored", () => {
    const body = ['- [ ] @carl-baldwin review <!-- netbot:action:3 -->', '- [x] `zzzeek` bisect <!-- netbot:action:4 -->', '* [ ] @sc68cal write the SLAAC test plan', '- [ ] no owner here', '```', '- [ ] @in-code nothing', '```'].join('\n');
    expect(taskLines(body)).toEqual([
      { checked: false, action: 3, text: '@carl-baldwin review' },
      { checked: true, action: 4, text: '`zzzeek` bisect' },
      { checked: false, owner: 'sc68cal', text: 'write the SLAAC test plan' },
      { checked: false, text: 'no owner here' },
    ]);
  });

  test('#action lines as MeetBot writes them, and as IRC logs show them', () => {
    const minutes = ['#action carl-baldwin to review the DVR spec', '[14:20] <markmcclain> #action @dougwig rebase the haproxy patch', '#ACTION: sc68cal, file the radvd bug', '#action carl_baldwin irc nick', '#info nothing'].join('\n');
    expect(minutesActions(minutes)).toEqual([
      { owner: 'carl-baldwin', text: 'to review the DVR spec' },
      { owner: 'dougwig', text: 'rebase the haproxy patch' },
      { owner: 'sc68cal', text: 'file the radvd bug' },
    ]);
  });

  test('the harvest counts each once (stable keys) and takes minutes only from people allowed to add them', () => {
    const agenda = { number: 90, url: 'u', body: '- [x] done <!-- netbot:action:1 -->\n- [ ] @amuller new one', comments: [{ id: 5, url: 'c5', body: '#action zzzeek look', author: 'markmcclain', association: 'MEMBER' }, { id: 6, url: 'c6', body: '#action x y', author: 'drive-by', association: 'NONE' }] };
    const h = harvestActions([agenda]);
    expect(h.ticked).toEqual([1]);
    expect(h.added.map((a) => [a.owner, a.originKey])).toEqual([
      ['amuller', 'agenda:90:amuller:new one'],
      ['zzzeek', 'minutes:5:zzzeek:look'],
    ]);
    expect(harvestActions([agenda]).added).toEqual(h.added);
  });
});
