import nock from 'nock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fakeAgendaGitHub, type FakeGitHub } from '../../bench/support/agenda-github.js';
import { publishAgenda, previewAgenda } from '../../src/agenda/publish.js';
import { agendaStoreFor } from '../../src/agenda/store.js';
import type { NetbotConfig } from '../../src/config.js';
import { createServices, type AppServices } from '../../src/services.js';
import { TestOctokit } from '../helpers/probot.js';
import { agendaConfig, busyRepo, DAY, OWNER, REPO, REPO_ID } from './support.js';

const MEETING = new Date('2026-12-01T14:00:00Z'); // a Tuesday
let clock: Date;
let services: AppServices;
let github: FakeGitHub;
const octokit = new TestOctokit({ auth: 'token' }) as any;
const repo = { repoId: REPO_ID, owner: OWNER, repo: REPO, htmlUrl: `https://github.com/${OWNER}/${REPO}` };
const env = (config: NetbotConfig = agendaConfig()) => ({ services, octokit, repo, config });
const issue = (n: number | null) => github.repo.items.find((i) => i.number === n)!;

beforeEach(async () => {
  clock = new Date('2026-11-30T14:05:00Z'); // the agenda of Tuesday's meeting is due on Monday 14:00
  services = await createServices(':memory:', { now: () => clock });
  github = fakeAgendaGitHub(busyRepo(clock, { issues: 120, pulls: 30 }), { installationToken: false });
});
afterEach(async () => {
  github.stop();
  nock.cleanAll();
  await services.close();
});

describe('one issue per meeting, posted, edited in place, frozen, closed with a link to the next', () => {
  test('the first post: one GraphQL query, the label listed once per process, one issue created (3 requests)', async () => {
    const outcome = await publishAgenda(env(), MEETING);
    expect(outcome).toMatchObject({ action: 'created', frozen: false, problems: 0 });
    expect(github.calls).toEqual(['GET /repos/netcore/netcore/labels', 'POST /graphql Agenda', 'POST /repos/netcore/netcore/issues']);
    const posted = issue((outcome as any).number);
    expect(posted.title).toBe('Team meeting 2026-12-01');
    expect(posted.labels).toEqual(['meeting-agenda']);
    expect(posted.body).toMatch(/^<!-- netbot:agenda:2026-12-01T14:00:00.000Z -->\n# Team meeting 2026-12-01/);
    expect(posted.body).toContain('- **When:** Tuesday 2026-12-01, 14:00 UTC (UTC)');
    // Counts come from issueCount: 120 open bugs, of which the generated share per area.
    expect(posted.body).toContain('- Open: **120**');
    expect(posted.body).toContain('### L3');
    expect(github.points().graphql).toBe(1);
  });

  test('a second run edits the same issue (2 requests), a third with nothing new writes nothing (1 request)', async () => {
    const first = await publishAgenda(env(), MEETING);
    github.reset();
    github.repo.items.push({ number: 5000, title: 'A new bug today', isPull: false, state: 'open', createdAt: clock.toISOString(), labels: ['area/db'], assignees: [], author: 'newbie' });
    clock = new Date(clock.getTime() + 3_600_000);
    const second = await publishAgenda(env(), MEETING);
    expect(second).toMatchObject({ action: 'updated', number: (first as any).number });
    expect(github.calls).toEqual(['POST /graphql Agenda', 'PATCH /repos/netcore/netcore/issues/:n']);
    expect(issue((first as any).number).body).toContain('A new bug today');
    github.reset();
    expect(await publishAgenda(env(), MEETING)).toMatchObject({ action: 'unchanged' });
    expect(github.calls).toEqual(['POST /graphql Agenda']);
    expect(github.repo.items.filter((i) => i.title === 'Team meeting 2026-12-01')).toHaveLength(1);
  });

  test('at the start the agenda is frozen; later runs skip it; next week closes it with a link to the new one', async () => {
    const first = (await publishAgenda(env(), MEETING)) as any;
    clock = new Date(MEETING.getTime());
    expect(await publishAgenda(env(), MEETING, { freeze: true })).toMatchObject({ action: 'updated', frozen: true });
    expect(issue(first.number).body).toContain("This agenda was frozen when the meeting started. Topics, announcements and action items added since then go to next week's agenda (2026-12-08)");
    expect(await publishAgenda(env(), MEETING)).toEqual({ action: 'skipped', why: 'the agenda is frozen: the meeting has started' });

    clock = new Date('2026-12-07T14:01:00Z');
    github.reset();
    const next = (await publishAgenda(env(), new Date('2026-12-08T14:00:00Z'))) as any;
    expect(next.action).toBe('created');
    expect(github.calls).toEqual(['POST /graphql Agenda', 'POST /repos/netcore/netcore/issues', 'PATCH /repos/netcore/netcore/issues/:n', 'POST /repos/netcore/netcore/issues/:n/comments']);
    expect(issue(first.number).state).toBe('closed');
    expect(github.repo.comments.get(first.number)?.at(-1)?.body).toContain(`The next meeting's agenda is posted: #${next.number}`);
    expect(issue(next.number).body).toContain(`- **Previous meeting:** [agenda of 2026-12-01](https://github.com/netcore/netcore/issues/${first.number})`);
    // The deltas are against last week's snapshot: one bug more since.
    expect(issue(next.number).body).toMatch(/- Open: \*\*120\*\*/);
    // Closed once: the week's later edits do not close it again.
    github.reset();
    github.repo.items.push({ number: 5001, title: 'Another', isPull: false, state: 'open', createdAt: clock.toISOString(), labels: [], assignees: [], author: 'x' });
    await publishAgenda(env(), new Date('2026-12-08T14:00:00Z'));
    expect(github.calls).toEqual(['POST /graphql Agenda', 'PATCH /repos/netcore/netcore/issues/:n']);
    expect(issue(next.number).body).toMatch(/- Open: \*\*121\*\* \(\+1 since last meeting\)/);
  });

  test('a post that died after creating the issue is not repeated: the next run adopts the issue it finds by title', async () => {
    await publishAgenda(env(), MEETING);
    const [made] = github.repo.items.filter((i) => i.title === 'Team meeting 2026-12-01');
    // The store lost its record (the process died before writing it).
    await services.store.db.deleteFrom('agenda_meetings').execute();
    github.reset();
    const again = await publishAgenda(env(), MEETING);
    expect(again).toMatchObject({ action: 'adopted', number: made!.number });
    expect(github.repo.items.filter((i) => i.title === 'Team meeting 2026-12-01')).toHaveLength(1);
  });

  test('a preview writes nothing, anywhere, and mentions nobody', async () => {
    const store = agendaStoreFor(services);
    await store.addAction(REPO_ID, { owner: 'carl-baldwin', text: 'review the DVR spec', originKey: 'k1', raisedBy: 'markmcclain' });
    const { body } = await previewAgenda(env(), MEETING);
    expect(github.calls).toEqual(['POST /graphql Agenda']);
    expect(body).toContain('`carl-baldwin` review the DVR spec');
    expect(body).not.toContain('@carl-baldwin');
    expect(await store.meeting(REPO_ID, MEETING.getTime())).toBeUndefined();
  });
});

describe('action items carried forward', () => {
  test('a ticked box closes one; a line someone added and #action lines of pasted minutes open new ones', async () => {
    const store = agendaStoreFor(services);
    await store.addAction(REPO_ID, { owner: 'carl-baldwin', text: 'review the DVR spec', originKey: 'k1', raisedBy: 'markmcclain' });
    await store.addAction(REPO_ID, { owner: 'zzzeek', text: 'look at the migration deadlock', originKey: 'k2', raisedBy: 'markmcclain' });
    const first = (await publishAgenda(env(), MEETING)) as any;
    const posted = issue(first.number);
    expect(posted.body).toContain('- [ ] @carl-baldwin review the DVR spec (action 1, new');
    // During the meeting: someone ticks action 2 and adds a line; after it, the minutes are pasted.
    posted.body = posted.body!.replace(/- \[ \] (@zzzeek .*<!-- netbot:action:2 -->)/, '- [x] $1') + '\n- [ ] @sc68cal write the SLAAC test plan\n';
    github.repo.comments.set(first.number, [
      { id: 77, body: 'Minutes:\n```\n[14:20] <markmcclain> #action @dougwig rebase the haproxy patch\n```', author: 'markmcclain', association: 'MEMBER' },
      { id: 78, body: '#action mallory delete the repo', author: 'mallory', association: 'NONE' },
    ]);
    clock = new Date('2026-12-07T14:01:00Z');
    const next = (await publishAgenda(env(), new Date('2026-12-08T14:00:00Z'))) as any;
    const body = issue(next.number).body!;
    expect(body).toContain('@carl-baldwin review the DVR spec (action 1, open for 2 meetings');
    expect(body).toContain('- [x] `zzzeek` look at the migration deadlock (action 2, ticked)');
    expect(body).toContain('@sc68cal write the SLAAC test plan (action 3, new');
    expect(body).toContain('@dougwig rebase the haproxy patch (action 4, new');
    expect(body).not.toContain('mallory');
    expect(body).toContain(`[minutes](https://github.com/netcore/netcore/issues/${first.number}#issuecomment-77)`);
    // Each owner is mentioned once, and only owners are.
    expect(body.match(/@carl-baldwin/g)).toHaveLength(1);
    const outsideCode = body.replace(/`[^`\n]*`/g, '');
    expect([...outsideCode.matchAll(/(?<!\w)@([A-Za-z0-9-]+)/g)].map((m) => m[1]).sort()).toEqual(['carl-baldwin', 'dougwig', 'sc68cal']);
  });
});

describe('bad input', () => {
  test("a repository's template that fails to render is reported in the agenda with its line; the built-in is used", async () => {
    process.env.NETBOT_ALLOW_TEMPLATE_OVERRIDES = 'true';
    const { TemplateOverrides } = await import('../../src/github/template-overrides.js');
    services.templates = new TemplateOverrides(true);
    delete process.env.NETBOT_ALLOW_TEMPLATE_OVERRIDES;
    github.repo.files.set('.github/agenda-bugs.njk', '## Our bugs\n{{ open.value }}\n{% for i in %}');
    const config = agendaConfig({}, { templates: { 'agenda/bugs.md.njk': '.github/agenda-bugs.njk' } });
    const outcome = (await publishAgenda(env(config), MEETING)) as any;
    expect(outcome.problems).toBe(1);
    const body = issue(outcome.number).body!;
    expect(body).toContain("This repository's template `agenda/bugs.md.njk` (`.github/agenda-bugs.njk`) failed to render at line 3");
    expect(body).toContain('## Bugs'); // the built-in section
  });

  test('titles are escaped and ping nobody', async () => {
    github.repo.items.push({ number: 4242, title: 'Broken for @octocat and <script>alert(1)</script> [x](http://evil)', isPull: false, state: 'open', createdAt: clock.toISOString(), labels: ['critical'], assignees: [], author: 'x' });
    const outcome = (await publishAgenda(env(), MEETING)) as any;
    const body = issue(outcome.number).body!;
    expect(body).toContain('Broken for @\u200doctocat and &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\[x\\]\\(http://evil\\)');
    expect(body).not.toContain('<script>');
  });
});

describe('Discussions', () => {
  test('in a configured category: created, labelled, edited, and the previous one closed in one mutation', async () => {
    github.repo.categories = [{ id: 'DIC_1', name: 'Meetings' }];
    const config = agendaConfig({ discussionCategory: 'meetings' });
    const first = (await publishAgenda(env(config), MEETING)) as any;
    expect(github.calls).toEqual(['GET /repos/netcore/netcore/labels', 'POST /graphql Agenda', 'POST /graphql CreateAgenda', 'POST /graphql LabelAgenda']);
    const d = github.repo.discussions.get(first.number)!;
    expect(d).toMatchObject({ title: 'Team meeting 2026-12-01', labels: ['meeting-agenda'], closed: false });
    clock = new Date('2026-12-07T14:01:00Z');
    github.reset();
    const next = (await publishAgenda(env(config), new Date('2026-12-08T14:00:00Z'))) as any;
    expect(github.calls).toEqual(['POST /graphql Agenda', 'POST /graphql CreateAgenda', 'POST /graphql LabelAgenda', 'POST /graphql CloseAgenda']);
    expect(d.closed).toBe(true);
    expect(github.repo.comments.get(first.number)?.[0]?.body).toContain(`[Discussion #${next.number}](https://github.com/netcore/netcore/discussions/${next.number})`);
  });

  test('a category that does not exist fails with a clear message and posts nothing', async () => {
    github.repo.categories = [{ id: 'DIC_1', name: 'General' }];
    await expect(publishAgenda(env(agendaConfig({ discussionCategory: 'Meetings' })), MEETING)).rejects.toThrow('no Discussion category named "Meetings" in netcore/netcore (agenda.discussionCategory); categories: General');
    expect(github.repo.discussions.size).toBe(0);
    expect(await agendaStoreFor(services).meeting(REPO_ID, MEETING.getTime())).toBeUndefined();
  });
});

test('deltas: each count says how it moved since the last meeting', async () => {
  await publishAgenda(env(), MEETING);
  clock = new Date(MEETING.getTime() + 6 * DAY);
  for (let k = 0; k < 3; k++) github.repo.items.push({ number: 6000 + k, title: `New L3 bug ${k}`, isPull: false, state: 'open', createdAt: clock.toISOString(), labels: ['area/l3', 'critical'], assignees: [], author: 'x' });
  const next = (await publishAgenda(env(), new Date('2026-12-08T14:00:00Z'))) as any;
  const body = issue(next.number).body!;
  expect(body).toMatch(/- Open: \*\*123\*\* \(\+3 since last meeting\) · `critical` \*\*\d+\*\* \(\+3 since last meeting\)/);
  expect(body).toMatch(/### L3\n\n- Lead: `carl-baldwin`\n- Open bugs \(`area\/l3`\): \*\*33\*\* \(\+3 since last meeting\)/);
});
