import type { JobRepoEnv } from '../core/job-runner.js';
import type { AppServices } from '../core/services.js';
import { issueParams } from '../github/types.js';
import { triageStoreFor, type TriageIssue } from './store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export type StaleVerdict = { stale: true; idleDays: number } | { stale: false; why: string };

/**
 * Pure: is this claim stale? Not when a human assigned it by hand, when a pull request links the bug, or
 * when the claimer was active (the claim itself, their comments, their PRs) within `staleDays`.
 */
export function claimVerdict(claim: TriageIssue, hasLinkedPr: boolean, staleDays: number, now: Date): StaleVerdict {
  if (claim.claimPinned) return { stale: false, why: 'assigned by hand' };
  if (hasLinkedPr) return { stale: false, why: 'a pull request links it' };
  const last = Math.max(Date.parse(claim.claimedAt ?? '') || 0, Date.parse(claim.lastActivityAt ?? '') || 0);
  const idleDays = Math.floor((now.getTime() - last) / DAY_MS);
  return idleDays >= staleDays ? { stale: true, idleDays } : { stale: false, why: `active ${idleDays} day(s) ago` };
}

export interface SweepOutcome {
  repoId: number;
  number: number;
  holder: string;
  action: 'released' | 'cleared' | 'kept' | 'skipped' | 'failed';
  why: string;
}

/** The hourly sweep: one job for the whole run, which makes one job per repository with open claims. */
export const SWEEP_JOB = 'triage.sweep';
export const SWEEP_REPO_JOB = 'triage.sweep-repository';
export const SWEEP_CRON = '17 * * * *';

/**
 * The stale-claim sweep as durable jobs: each hourly occurrence runs once however many app processes run
 * (its key is the occurrence), a restart neither skips nor repeats one, and each repository's part runs
 * with that repository's env (its installation, its config read fresh: nothing while it is invalid).
 */
export function registerSweep(services: AppServices): void {
  const store = triageStoreFor(services);
  services.runner.define<{ scheduledAt?: string }>({
    name: SWEEP_JOB,
    scope: 'global',
    async run(job, ctx) {
      const occurrence = job.payload?.scheduledAt ?? new Date(job.runAt).toISOString();
      for (const repoId of await store.reposWithOpenClaims()) {
        await services.runner.enqueue(SWEEP_REPO_JOB, { scheduledAt: occurrence }, { key: `${SWEEP_REPO_JOB}:${repoId}@${occurrence}`, repoId, maxAttempts: 3 });
      }
      ctx.decide('triage: stale-claim sweep fanned out', { occurrence });
    },
  });
  services.runner.define({
    name: SWEEP_REPO_JOB,
    scope: 'repo',
    maxAttempts: 3,
    async run(_job, ctx) {
      const outcomes = await sweepRepository(services, ctx.env!);
      const released = outcomes.filter((o) => o.action === 'released');
      ctx.decide('triage: stale claims swept', { repo: `${ctx.env!.repo.owner}/${ctx.env!.repo.repo}`, released: released.map((o) => o.number), outcomes: outcomes.length });
    },
  });
  services.runner.schedule({ id: SWEEP_JOB, cron: SWEEP_CRON, job: SWEEP_JOB });
}

/** Releases the stale claims of one repository, with a friendly note each; a failure on one claim stops none of the others. */
export async function sweepRepository(services: AppServices, env: JobRepoEnv, now = services.now()): Promise<SweepOutcome[]> {
  const store = triageStoreFor(services);
  const { config, octokit, repo } = env;
  const out: SweepOutcome[] = [];
  for (const claim of await store.openClaims(repo.repoId)) {
    const holder = claim.claimedBy!;
    const note = (action: SweepOutcome['action'], why: string) => out.push({ repoId: repo.repoId, number: claim.number, holder, action, why });
    if (!config.triage.enabled) {
      note('skipped', 'triage disabled');
      continue;
    }
    const verdict = claimVerdict(claim, await store.hasLinkedPullRequest(repo.repoId, claim.number), config.triage.claims.staleDays, now);
    if (!verdict.stale) {
      note('kept', verdict.why);
      continue;
    }
    const ref = { ...repo, issue_number: claim.number };
    try {
      // The store can lag behind GitHub: check the issue still is open and assigned to the claimer.
      const issue = await octokit.rest.issues.get(issueParams(ref)).then(
        (r) => r.data,
        (error: { status?: number }) => {
          if (error.status === 404 || error.status === 410) return undefined; // deleted, or no longer ours to see
          throw error;
        },
      );
      if (!issue) {
        await store.forget(repo.repoId, claim.number, 'gone from GitHub');
        note('cleared', 'the issue is gone from GitHub');
        continue;
      }
      const assigned = (issue.assignees ?? []).some((a) => a.login.toLowerCase() === holder.toLowerCase());
      if (issue.state !== 'open' || !assigned) {
        if (issue.state !== 'open') await store.setState(repo.repoId, claim.number, 'closed'); // closed while unseen: off the board too
        await store.release(repo.repoId, claim.number, 'no longer open or assigned on GitHub');
        note('cleared', 'closed or unassigned on GitHub');
        continue;
      }
      await octokit.rest.issues.removeAssignees({ ...issueParams(ref), assignees: [holder] });
      const body = await services.templates.render(octokit, repo, config, 'triage/stale-release.md.njk', { holder, staleDays: config.triage.claims.staleDays });
      // A new purpose per claim: each released claim gets its own note.
      await services.comments.upsert(octokit, ref, `released-${holder.toLowerCase()}-${claim.claimedAt}`, body, { issueHasNoComments: true });
      await store.release(repo.repoId, claim.number, `stale: no activity for ${verdict.idleDays} days`);
      note('released', `no activity for ${verdict.idleDays} days`);
    } catch (error) {
      services.log?.warn({ err: error, repoId: repo.repoId, issue: claim.number }, 'triage: stale-claim sweep failed for one claim');
      note('failed', String((error as Error).message ?? error));
    }
  }
  return out;
}
