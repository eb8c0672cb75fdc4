import type { NetbotConfig } from '../config.js';
import { JobSkipped, type JobRepoEnv, type Schedule } from '../core/job-runner.js';
import type { AppServices } from '../core/services.js';
import { meetingAfter, shiftBack } from './meetings.js';
import { publishAgenda } from './publish.js';
import { agendaStoreFor } from './store.js';

/** Posting: one occurrence per meeting (`agenda.post:<repo>@<when it is due>`), so each meeting is posted once. */
export const POST_JOB = 'agenda.post';
/** The meeting starts: its agenda is written one last time and frozen. */
export const FREEZE_JOB = 'agenda.freeze';
/** Nominations arrived: the posted agenda is edited (nominations within a few seconds share one edit). */
export const REFRESH_JOB = 'agenda.refresh';
const REFRESH_COALESCE_MS = 30_000;

/** A repository's two schedules, from its config (none while the agenda is off). */
export function agendaSchedules(repoId: number, config: NetbotConfig): Schedule[] {
  const agenda = config.agenda;
  if (!agenda.enabled) return [];
  const post = shiftBack(agenda.schedule, agenda.postAhead);
  if (!post.ok) return []; // the config check refuses such a file: never here
  return [
    { id: `${POST_JOB}:${repoId}`, cron: post.cron, timezone: agenda.timezone, job: POST_JOB, repoId },
    { id: `${FREEZE_JOB}:${repoId}`, cron: agenda.schedule, timezone: agenda.timezone, job: FREEZE_JOB, repoId },
  ];
}

const envOf = (services: AppServices, env: JobRepoEnv | undefined) => {
  if (!env) throw new JobSkipped('an agenda job without a repository');
  if (!env.config.agenda.enabled) throw new JobSkipped('the agenda is off in this repository (agenda.enabled)');
  return { services, octokit: env.octokit, repo: env.repo, config: env.config };
};

/**
 * The agenda's jobs and its schedule source: every repository whose last valid config turns the agenda on
 * gets a posting schedule (the meeting's cron moved `postAhead` hours back) and a freezing one (the meeting's
 * cron). They are core's scheduled jobs: an occurrence runs once however many processes tick, and one missed
 * while every process was down runs once at the next start.
 */
export function registerAgendaJobs(services: AppServices): void {
  services.runner.define<{ scheduledAt: string }>({
    name: POST_JOB,
    scope: 'repo',
    maxAttempts: 4,
    async run(job, ctx) {
      const env = envOf(services, ctx.env);
      const { schedule, timezone } = env.config.agenda;
      const meetingAt = meetingAfter(schedule, timezone, new Date(job.payload.scheduledAt));
      const outcome = await publishAgenda(env, meetingAt);
      ctx.decide('agenda: posted', { meeting: meetingAt.toISOString(), ...outcome });
    },
  });
  services.runner.define<{ scheduledAt: string }>({
    name: FREEZE_JOB,
    scope: 'repo',
    maxAttempts: 4,
    async run(job, ctx) {
      const outcome = await publishAgenda(envOf(services, ctx.env), new Date(job.payload.scheduledAt), { freeze: true });
      ctx.decide('agenda: frozen at the meeting start', { meeting: job.payload.scheduledAt, ...outcome });
    },
  });
  services.runner.define<{ meetingAt: string }>({
    name: REFRESH_JOB,
    scope: 'repo',
    config: 'cached',
    maxAttempts: 3,
    async run(job, ctx) {
      const env = envOf(services, ctx.env);
      const row = await agendaStoreFor(services).meeting(env.repo.repoId, Date.parse(job.payload.meetingAt));
      if (!row) throw new JobSkipped('the agenda is not posted yet: it will show the nominations when it is');
      const outcome = await publishAgenda(env, new Date(job.payload.meetingAt));
      ctx.decide('agenda: edited for new nominations', { meeting: job.payload.meetingAt, ...outcome });
    },
  });
  services.runner.addScheduleSource(async () => {
    const out: Schedule[] = [];
    for (const known of await services.repos.all()) {
      if (known.installationId === null || known.config === undefined) continue;
      const config = services.configs.parseStored(known.config);
      if (config) out.push(...agendaSchedules(known.repoId, config));
    }
    return out;
  });
}

/**
 * Asks for an edit of a meeting's posted agenda after a nomination: the changes of the next few seconds
 * share one edit (one job per window: the window is its key).
 */
export async function requestRefresh(services: AppServices, repoId: number, meetingAt: Date): Promise<void> {
  const window = Math.ceil((services.now().getTime() + 1) / REFRESH_COALESCE_MS) * REFRESH_COALESCE_MS;
  await services.runner.enqueue(REFRESH_JOB, { meetingAt: meetingAt.toISOString() }, { key: `${REFRESH_JOB}:${repoId}@${meetingAt.toISOString()}:${window}`, repoId, runAt: new Date(window) });
}
