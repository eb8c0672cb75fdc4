import nock from 'nock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fakeAgendaGitHub, fakeRepo, type FakeGitHub } from '../../bench/support/agenda-github.js';
import { publishAgenda } from '../../src/agenda/publish.js';
import { agendaStoreFor } from '../../src/agenda/store.js';
import { TEST_REPO_ID, examplePayload } from '../helpers/payloads.js';
import { createTestBot, TestOctokit, type TestBot } from '../helpers/probot.js';
import { agendaConfig } from './support.js';

const CONFIG_YAML = 'triagers: [triager-sam]\nagenda:\n  enabled: true\n  schedule: "0 14 * * 2"\n  timezone: UTC\n';
const MEETING = Date.parse('2026-12-01T14:00:00Z');
let clock: Date;
let bot: TestBot;
let github: FakeGitHub;

beforeEach(async () => {
  clock = new Date('2026-11-30T16:00:00Z');
  bot = await createTestBot({ now: () => clock, rooms: ['agenda'] });
  github = fakeAgendaGitHub(fakeRepo({ owner: 'Codertocat', name: 'Hello-World', databaseId: TEST_REPO_ID, labels: ['meeting-agenda'] }));
  github.repo.files.set('.github/netbot.yml', CONFIG_YAML);
  github.repo.items.push({ number: 1, title: 'Spelling error in the README file', isPull: false, state: 'open', createdAt: '2026-11-01T00:00:00Z', labels: [], assignees: [], author: 'Codertocat' });
});
afterEach(async () => {
  github.stop();
  nock.cleanAll();
  await bot.services.close();
});

let seq = 0;
/** A real issue_comment.created payload, said by `login` on issue #1. */
function say(login: string, body: string) {
  const payload = examplePayload('issue_comment', 'created', () => true, (p) => {
    p.comment.id = 5000 + ++seq;
    p.comment.body = body;
    p.comment.user = { ...p.comment.user, login, type: 'User' };
    p.sender = { ...p.sender, login, type: 'User' };
    p.issue.number = 1;
    p.issue.pull_request = undefined;
  });
  return bot.receive('issue_comment', payload);
}
const replies = () => (github.repo.comments.get(1) ?? []).map((c) => c.body);
const store = () => agendaStoreFor(bot.services);

test('/agenda <topic> by a triager: nominated for the next meeting, linked to where it was said', async () => {
  await say('triager-sam', '/agenda Who reviews the DVR series?');
  expect(replies().at(-1)).toContain('Added to the agenda of 2026-12-01: Who reviews the DVR series?.');
  const [topic] = await store().nominations(TEST_REPO_ID, MEETING);
  expect(topic).toMatchObject({ kind: 'topic', text: 'Who reviews the DVR series?', nominatedBy: 'triager-sam', target: { number: 1, title: 'Spelling error in the README file', isPull: false } });
  expect(topic!.target.url).toBe('https://github.com/Codertocat/Hello-World/issues/1');
});

test('/agenda from someone without triage rights gets a short reply saying who may; nothing is recorded', async () => {
  await say('drive-by', '/agenda please discuss my thing');
  expect(github.calls).toContain('GET /repos/Codertocat/Hello-World/collaborators/drive-by/permission');
  expect(replies().at(-1)).toContain('Sorry, `drive-by`: `/agenda` is for maintainers and triagers (anyone when agenda.openNominations is on), so I did nothing.');
  expect(await store().nominations(TEST_REPO_ID, MEETING)).toEqual([]);
});

test('with agenda.openNominations anyone may nominate; /agenda alone nominates the issue itself', async () => {
  github.repo.files.set('.github/netbot.yml', `${CONFIG_YAML}  openNominations: true\n`);
  await say('drive-by', '/agenda');
  expect((await store().nominations(TEST_REPO_ID, MEETING))[0]).toMatchObject({ text: 'Spelling error in the README file', nominatedBy: 'drive-by' });
});

test('/agenda announce, /action and /done: recorded, numbered, closed by the owner', async () => {
  await say('triager-sam', '/agenda announce Feature freeze is on Thursday\n/action @carl-baldwin review the DVR spec');
  expect(replies().at(-1)).toContain('Announcement added to the agenda of 2026-12-01: Feature freeze is on Thursday.');
  expect(replies().at(-1)).toContain('Action 1 for `carl-baldwin`: review the DVR spec.');
  await say('triager-sam', '/action carl-baldwin no at sign');
  expect(replies().at(-1)).toContain('Usage: `/action @owner <what to do>`');
  await say('carl-baldwin', '/done 1');
  expect(replies().at(-1)).toContain('Action 1 (`carl-baldwin`: review the DVR spec) is done.');
  expect((await store().action(TEST_REPO_ID, 1))).toMatchObject({ closedBy: 'carl-baldwin', closedHow: 'done' });
  await say('triager-sam', '/done 1\n/done 99');
  expect(replies().at(-1)).toContain('Action 1 was done already.');
  expect(replies().at(-1)).toContain('There is no action item 99 here.');
});

describe('the posted agenda follows', () => {
  const octokit = new TestOctokit({ auth: 'token' }) as any;
  const post = () => publishAgenda({ services: bot.services, octokit, repo: { repoId: TEST_REPO_ID, owner: 'Codertocat', repo: 'Hello-World' }, config: agendaConfig({}, { triagers: ['triager-sam'], subteams: {} }) }, new Date(MEETING));

  test('a nomination edits it in place (nominations within 30 seconds share one edit)', async () => {
    await bot.services.repos.remember({ repoId: TEST_REPO_ID, owner: 'Codertocat', repo: 'Hello-World', installationId: 2 });
    const posted = (await post()) as any;
    await say('triager-sam', '/agenda Who reviews the DVR series?');
    await say('triager-sam', '/agenda And the IPv6 spec?');
    expect(await bot.services.jobs.counts('agenda.refresh')).toMatchObject({ queued: 1 });
    github.reset();
    clock = new Date(clock.getTime() + 30_000);
    await bot.services.runner.drain();
    expect(github.calls.filter((c) => !c.includes('access_tokens'))).toEqual(['POST /graphql Agenda', 'PATCH /repos/Codertocat/Hello-World/issues/:n']);
    const body = github.repo.items.find((i) => i.number === posted.number)!.body!;
    expect(body).toContain('1. Who reviews the DVR series?: [issue #1](https://github.com/Codertocat/Hello-World/issues/1) Spelling error in the README file, nominated by `triager-sam`');
    expect(body).toContain('1. And the IPv6 spec?: [issue #1]');
  });

  test('once the meeting started, a nomination goes to next week, and the reply says so', async () => {
    await post();
    clock = new Date(MEETING + 600_000);
    await publishAgenda({ services: bot.services, octokit, repo: { repoId: TEST_REPO_ID, owner: 'Codertocat', repo: 'Hello-World' }, config: agendaConfig({}, { subteams: {} }) }, new Date(MEETING), { freeze: true });
    await say('triager-sam', '/agenda Late topic');
    expect(replies().at(-1)).toContain('Added to the agenda of 2026-12-08 (the agenda of 2026-12-01 is frozen: its meeting has started): Late topic.');
    expect(await store().nominations(TEST_REPO_ID, MEETING)).toEqual([]);
    expect(await store().nominations(TEST_REPO_ID, Date.parse('2026-12-08T14:00:00Z'))).toHaveLength(1);
    expect(await bot.services.jobs.counts('agenda.refresh')).toMatchObject({ queued: 0 });
  });
});

test('/agenda preview replies with the agenda as it would be now, pinging nobody, writing nothing else', async () => {
  await store().addAction(TEST_REPO_ID, { owner: 'carl-baldwin', text: 'review the DVR spec', originKey: 'k', raisedBy: 'x' });
  await say('drive-by', '/agenda preview');
  const reply = replies().at(-1)!;
  expect(reply).toContain('<details><summary>The agenda of 2026-12-01 as it would be now (nobody is mentioned in this preview)</summary>');
  expect(reply).toContain('# Team meeting 2026-12-01');
  expect(reply).toContain('- [ ] `carl-baldwin` review the DVR spec');
  expect(reply).not.toContain('netbot:agenda:');
  expect(github.repo.items.filter((i) => i.labels.includes('meeting-agenda'))).toEqual([]);
});
