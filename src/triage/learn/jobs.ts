import type { AppServices } from '../../core/services.js';
import { refitRepository } from './learner.js';
import { learningStoreFor } from './store.js';

/** The nightly refit: one job for the run, which makes one job per repository with examples. */
export const LEARN_JOB = 'triage.learn';
export const LEARN_REPO_JOB = 'triage.learn-repository';
export const LEARN_CRON = '41 3 * * *';

/**
 * Refits each repository's learned models on a schedule, as durable jobs: each nightly occurrence runs once
 * however many app processes run, and each repository's refit runs with its config read fresh (its
 * `triage.learning` settings; nothing while the config is invalid). A repository with nothing new is skipped.
 */
export function registerLearningJobs(services: AppServices): void {
  const store = learningStoreFor(services);
  services.runner.define<{ scheduledAt?: string }>({
    name: LEARN_JOB,
    scope: 'global',
    async run(job, ctx) {
      const occurrence = job.payload?.scheduledAt ?? new Date(job.runAt).toISOString();
      const repos = await store.reposWithExamples();
      for (const repoId of repos) {
        await services.runner.enqueue(LEARN_REPO_JOB, { scheduledAt: occurrence }, { key: `${LEARN_REPO_JOB}:${repoId}@${occurrence}`, repoId, maxAttempts: 2 });
      }
      ctx.decide('triage: nightly refit fanned out', { occurrence, repositories: repos.length });
    },
  });
  services.runner.define({
    name: LEARN_REPO_JOB,
    scope: 'repo',
    maxAttempts: 2,
    async run(_job, ctx) {
      const env = ctx.env!;
      const outcome = await refitRepository(services, env.repo.repoId, env.config);
      ctx.decide(outcome.unchanged ? 'triage: no new examples: models kept' : 'triage: models refitted', {
        repo: `${env.repo.owner}/${env.repo.repo}`,
        starter: outcome.starter.model ? { version: outcome.starter.version, cv: outcome.starter.model.cv } : { positives: outcome.starter.positives, negatives: outcome.starter.negatives },
        areas: Object.fromEntries(Object.entries(outcome.areas).map(([k, a]) => [k, a.model ? a.model.cv : { positives: a.positives, negatives: a.negatives }])),
      });
    },
  });
  services.runner.schedule({ id: LEARN_JOB, cron: LEARN_CRON, job: LEARN_JOB });
}
