import nock from 'nock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { fakeAgendaGitHub, type FakeGitHub } from '../../bench/support/agenda-github.js';
import { agendaSchedules, FREEZE_JOB, POST_JOB, registerAgendaJobs } from '../../src/agenda/jobs.js';
import { agendaStoreFor } from '../../src/agenda/store.js';
import { JobRunner } from '../../src/core/job-runner.js';
import { createServices, type AppServices } from '../../src/services.js';
import { TestOctokit } from '../helpers/probot.js';
import { agendaConfig, busyRepo, OWNER, REPO, REPO_ID } from './support.js';

const RAW_CONFIG = { agenda: { enabled: true, schedule: '0 14 * * 2', timezone: 'UTC' } };
let clock: Date;
let services: AppServices;
let github: FakeGitHub;
const octokit = new TestOctokit({ auth: 'token' }) as any;

beforeEach(async () => {
  clock = new Date('2026-11-30T10:00:00Z'); // Monday; the agenda of Tuesday 14:00 is due today at 14:00
  services = await createServices(':memory:', { now: () => clock });
  services.octokitFor = async () => octokit;
  registerAgendaJobs(services);
  await services.repos.remember({ repoId: REPO_ID, owner: OWNER, repo: REPO, installationId: 7, htmlUrl: `https://github.com/${OWNER}/${REPO}` }, RAW_CONFIG);
  github = fakeAgendaGitHub(busyRepo(clock, { issues: 20, pulls: 4 }), { installationToken: false });
  github.repo.files.set('.github/netbot.yml', JSON.stringify(RAW_CONFIG)); // what the job reads fresh before it runs
});
afterEach(async () => {
  github.stop();
  nock.cleanAll();
  await services.close();
});

const agendas = () => github.repo.items.filter((i) => i.labels.includes('meeting-agenda'));

test("a repository's schedules: posting is the meeting's cron moved back by postAhead; none while the agenda is off", () => {
  expect(agendaSchedules(REPO_ID, agendaConfig())).toEqual([
    { id: `${POST_JOB}:${REPO_ID}`, cron: '0 14 * * 1', timezone: 'UTC', job: POST_JOB, repoId: REPO_ID },
    { id: `${FREEZE_JOB}:${REPO_ID}`, cron: '0 14 * * 2', timezone: 'UTC', job: FREEZE_JOB, repoId: REPO_ID },
  ]);
  expect(agendaSchedules(REPO_ID, agendaConfig({ schedule: '30 9 * * 1', postAhead: 36, timezone: 'Europe/Berlin' }))[0]).toMatchObject({ cron: '30 21 * * 6', timezone: 'Europe/Berlin' });
  expect(agendaSchedules(REPO_ID, agendaConfig({ enabled: false }))).toEqual([]);
});

test('each meeting is posted by one occurrence, enqueued once however many processes tick, then frozen at its start', async () => {
  const second = new JobRunner(services); // another process on the same store
  registerAgendaJobs({ ...services, runner: second });
  expect(await services.runner.tick(clock)).toEqual([]); // first sight: from now on
  clock = new Date('2026-11-30T14:00:30Z');
  const [mine, theirs] = await Promise.all([services.runner.tick(clock), second.tick(clock)]);
  expect([...mine, ...theirs]).toEqual([`${POST_JOB}:${REPO_ID}@2026-11-30T14:00:00.000Z`]);
  expect(await services.jobs.counts(POST_JOB)).toMatchObject({ queued: 1 });
  await services.runner.drain();
  expect(agendas().map((i) => i.title)).toEqual(['Team meeting 2026-12-01']);
  expect(await services.runner.tick(clock)).toEqual([]);

  clock = new Date('2026-12-01T14:00:10Z');
  expect(await services.runner.tick(clock)).toEqual([`${FREEZE_JOB}:${REPO_ID}@2026-12-01T14:00:00.000Z`]);
  await services.runner.drain();
  expect((await agendaStoreFor(services).meeting(REPO_ID, Date.parse('2026-12-01T14:00:00Z')))?.frozenAt).toBe(clock.getTime());
  expect(agendas()[0]!.body).toContain('This agenda was frozen when the meeting started');
  expect(await services.jobs.counts()).toMatchObject({ done: 2, failed: 0 });
});

test('a posting missed while netbot was down runs once at the next start: the agenda says it is late; nothing runs twice', async () => {
  expect(await services.runner.tick(clock)).toEqual([]);
  clock = new Date('2026-12-02T09:00:00Z'); // down from Monday morning to Wednesday: the posting and the meeting passed
  expect((await services.runner.tick(clock)).sort()).toEqual([`${FREEZE_JOB}:${REPO_ID}@2026-12-01T14:00:00.000Z`, `${POST_JOB}:${REPO_ID}@2026-11-30T14:00:00.000Z`]);
  await services.runner.drain();
  expect(agendas()).toHaveLength(1);
  expect(agendas()[0]!.body).toContain('This agenda was due on 2026-11-30 14:00 and posted on 2026-12-02 09:00: netbot was not running in between.');
  expect(agendas()[0]!.body).toContain('This agenda was frozen when the meeting started');
  // Another start, the same day: nothing is enqueued again, nothing posted twice.
  const restarted = new JobRunner(services);
  registerAgendaJobs({ ...services, runner: restarted });
  expect(await restarted.tick(clock)).toEqual([]);
  expect(await services.jobs.counts()).toMatchObject({ done: 2, queued: 0, failed: 0 });
});

test('a repository whose config turned the agenda off since is skipped, posting nothing', async () => {
  await services.runner.tick(clock);
  github.repo.files.set('.github/netbot.yml', JSON.stringify({ agenda: { enabled: false } }));
  clock = new Date('2026-11-30T14:01:00Z');
  expect(await services.runner.tick(clock)).toHaveLength(1); // the registry still had it on
  await services.runner.drain();
  expect(agendas()).toEqual([]);
  expect(await services.jobs.counts(POST_JOB)).toMatchObject({ done: 1, failed: 0 });
});
