import type { ChecksStore } from './store.js';

/** What the store knows of a failed run's cases, told when a rerun is asked for (Neutron asked people to name the bug; netbot can know it). */
export interface FailureHistory {
  name: string;
  /** Failed, then passed on the same commit before: known flakes. */
  flaky: string[];
  /** Never failed in any other run of this repository. */
  fresh: string[];
  /** Failed before, but never seen passing afterwards on the same commit. */
  seen: string[];
  /** The runner itself failed (no case failed): its title. */
  runner?: string;
}

/** For each check run of a head commit whose latest attempt failed. */
export async function failureHistory(store: ChecksStore, repoId: number, headSha: string, only?: string[]): Promise<FailureHistory[]> {
  const out: FailureHistory[] = [];
  for (const run of await store.latest(repoId, headSha)) {
    if (run.conclusion !== 'failure' || (only && !only.includes(run.name))) continue;
    const failed = await store.failedCases(run.id);
    if (failed.length === 0) {
      out.push({ name: run.name, flaky: [], fresh: [], seen: [], runner: run.title ?? 'failed' });
      continue;
    }
    const history = await store.history(repoId, run, failed, run.id);
    const flaky = failed.filter((id) => history.get(id)!.flakes > 0);
    const fresh = failed.filter((id) => !flaky.includes(id) && history.get(id)!.failedBefore === 0);
    out.push({ name: run.name, flaky, fresh, seen: failed.filter((id) => !flaky.includes(id) && !fresh.includes(id)) });
  }
  return out;
}
