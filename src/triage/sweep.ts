import { Cron } from 'croner';
import { DEFAULT_CONFIG, parseConfig, type ConfigResult, type NetbotConfig } from '../config.js';
import type { Octokit } from '../github/types.js';
import type { AppServices } from '../services.js';
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

export interface SweepDeps {
  services: AppServices;
  /** An Octokit authenticated as the installation (in the app: `app.auth(installationId)`). */
  octokitFor(installationId: number): Promise<Octokit>;
  now?: () => Date;
}

export interface SweepOutcome {
  repo: string;
  number: number;
  holder: string;
  action: 'released' | 'cleared' | 'kept' | 'skipped' | 'failed';
  why: string;
}

/** Releases stale claims in every repository the app has seen, with a friendly note. Callable from tests. */
export async function sweepStaleClaims(deps: SweepDeps): Promise<SweepOutcome[]> {
  const { services } = deps;
  const now = (deps.now ?? services.now)();
  const store = triageStoreFor(services);
  const out: SweepOutcome[] = [];
  const configsNow = new Map<string, Promise<ConfigResult>>(); // one config read per repository per sweep
  for (const claim of store.allOpenClaims()) {
    const [owner, name] = claim.repo.split('/') as [string, string];
    const known = store.repo({ owner, repo: name });
    const ref = { owner: known?.owner ?? owner, repo: known?.repo ?? name, issue_number: claim.number };
    const holder = claim.claimedBy!;
    const note = (action: SweepOutcome['action'], why: string) => out.push({ repo: claim.repo, number: claim.number, holder, action, why });
    let config = configOf(known?.config);
    if (!config.triage.enabled) {
      note('skipped', 'triage disabled');
      continue;
    }
    const verdict = claimVerdict(claim, store.hasLinkedPullRequest(ref, claim.number), config.triage.claims.staleDays, now);
    if (!verdict.stale) {
      note('kept', verdict.why);
      continue;
    }
    if (!known?.installationId) {
      note('skipped', 'no installation known for the repository');
      continue;
    }
    try {
      const octokit = await deps.octokitFor(known.installationId);
      // Before writing, the repository's config as it is now: while it is invalid netbot acts on nothing there,
      // and a maintainer may have turned triage off or lengthened staleDays since the last event.
      const key = claim.repo.toLowerCase();
      if (!configsNow.has(key)) configsNow.set(key, services.configs.fetch(octokit, ref));
      const current = await configsNow.get(key)!;
      if (!current.ok) {
        note('skipped', 'the repository config is invalid: netbot acts on nothing there until it is fixed');
        continue;
      }
      config = current.config;
      if (!config.triage.enabled) {
        note('skipped', 'triage disabled');
        continue;
      }
      const recheck = claimVerdict(claim, store.hasLinkedPullRequest(ref, claim.number), config.triage.claims.staleDays, now);
      if (!recheck.stale) {
        note('kept', recheck.why);
        continue;
      }
      // The store can lag behind GitHub: check the issue still is open and assigned to the claimer.
      const issue = await octokit.rest.issues.get(ref).then(
        (r) => r.data,
        (error: { status?: number }) => {
          if (error.status === 404 || error.status === 410) return undefined; // deleted, or no longer ours to see
          throw error;
        },
      );
      if (!issue) {
        store.forget(ref, claim.number, 'gone from GitHub');
        note('cleared', 'the issue is gone from GitHub');
        continue;
      }
      const assigned = (issue.assignees ?? []).some((a) => a.login.toLowerCase() === holder.toLowerCase());
      if (issue.state !== 'open' || !assigned) {
        if (issue.state !== 'open') store.setState(ref, claim.number, 'closed'); // closed while unseen: off the board too
        store.release(ref, claim.number, 'no longer open or assigned on GitHub');
        note('cleared', 'closed or unassigned on GitHub');
        continue;
      }
      await octokit.rest.issues.removeAssignees({ ...ref, assignees: [holder] });
      const body = await services.templates.render(octokit, ref, config, 'triage/stale-release.md.njk', { holder, staleDays: config.triage.claims.staleDays });
      // A new purpose per claim: each released claim gets its own note.
      await services.comments.upsert(octokit, ref, `released-${holder.toLowerCase()}-${claim.claimedAt}`, body, { issueHasNoComments: true });
      store.release(ref, claim.number, `stale: no activity for ${recheck.idleDays} days`);
      note('released', `no activity for ${recheck.idleDays} days`);
    } catch (error) {
      services.log?.warn({ err: error, repo: claim.repo, issue: claim.number }, 'triage: stale-claim sweep failed for one claim');
      note('failed', String((error as Error).message ?? error));
    }
  }
  return out;
}

function configOf(raw: unknown): NetbotConfig {
  if (raw === undefined) return DEFAULT_CONFIG;
  const parsed = parseConfig(raw);
  return parsed.ok ? parsed.config : DEFAULT_CONFIG;
}

/** Runs the sweep every hour; the timer is unref'd so it never keeps a process (or a test run) alive. */
export function scheduleSweep(deps: SweepDeps, pattern = '17 * * * *'): Cron {
  return new Cron(pattern, { unref: true, protect: true, catch: true }, async () => {
    const outcomes = await sweepStaleClaims(deps);
    const released = outcomes.filter((o) => o.action === 'released');
    if (released.length) deps.services.log?.info({ released }, 'triage: stale claims released');
  });
}
