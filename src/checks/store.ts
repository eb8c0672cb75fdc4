import type { Kysely } from 'kysely';
import type { SuiteHealth } from '../core/read-models.js';
import { touched } from '../core/store/index.js';
import type { CaseStatus } from '../netcore/report.js';
import type { Conclusion, RunState } from './schema.js';

/** One check run netbot made (a suite on a head commit, one attempt). */
export interface CheckRun {
  id: number;
  repoId: number;
  pr: number;
  headSha: string;
  name: string;
  suite: 'conformance' | 'migrations';
  plugin: string | null;
  attempt: number;
  planned: boolean;
  reasons: string[];
  trigger: string;
  state: RunState;
  conclusion: Conclusion | null;
  checkRunId: number | null;
  title: string | null;
}

export type NewRun = Pick<CheckRun, 'repoId' | 'pr' | 'headSha' | 'name' | 'suite' | 'plugin' | 'planned' | 'reasons' | 'trigger'> & { attempt: number };

export interface RunOutcome {
  conclusion: Conclusion;
  title: string;
  counts?: { passed: number; failed: number; skipped: number };
  durationMs?: number;
  cases?: { id: string; status: CaseStatus }[];
}

/** What the store knows of a failed case, for the reply to a rerun. */
export interface CaseHistory {
  /** Commits on which it failed and then passed (in any run of this repository). */
  flakes: number;
  /** Earlier failures, in runs other than the one asked about. */
  failedBefore: number;
}

const T = 'checks_runs';

const toRun = (r: any): CheckRun => ({
  id: Number(r.id),
  repoId: Number(r.repo_id),
  pr: r.pr,
  headSha: r.head_sha,
  name: r.name,
  suite: r.suite,
  plugin: r.plugin,
  attempt: r.attempt,
  planned: r.planned === 1,
  reasons: JSON.parse(r.reasons),
  trigger: r.trigger,
  state: r.state,
  conclusion: r.conclusion,
  checkRunId: r.check_run_id === null ? null : Number(r.check_run_id),
  title: r.title,
});

/** The checks room's records: its check runs, their per-case results, and approved head commits. */
export class ChecksStore {
  constructor(
    private readonly db: Kysely<any>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Adds runs (an existing attempt is kept as it is: a retried event creates nothing twice); returns them all. */
  async addRuns(runs: NewRun[]): Promise<CheckRun[]> {
    const at = this.now().getTime();
    const out: CheckRun[] = [];
    for (const r of runs) {
      await this.db
        .insertInto(T)
        .values({
          repo_id: r.repoId,
          pr: r.pr,
          head_sha: r.headSha,
          name: r.name,
          suite: r.suite,
          plugin: r.plugin,
          attempt: r.attempt,
          planned: r.planned ? 1 : 0,
          reasons: JSON.stringify(r.reasons),
          trigger: r.trigger.slice(0, 200),
          state: 'queued',
          created_at: at,
        })
        .onConflict((oc) => oc.columns(['repo_id', 'head_sha', 'name', 'attempt']).doNothing())
        .execute();
      const row = await this.db.selectFrom(T).selectAll().where('repo_id', '=', r.repoId).where('head_sha', '=', r.headSha).where('name', '=', r.name).where('attempt', '=', r.attempt).executeTakeFirstOrThrow();
      out.push(toRun(row));
    }
    return out;
  }

  async get(id: number): Promise<CheckRun | undefined> {
    const row = await this.db.selectFrom(T).selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRun(row);
  }

  async byCheckRunId(checkRunId: number): Promise<CheckRun | undefined> {
    const row = await this.db.selectFrom(T).selectAll().where('check_run_id', '=', checkRunId).executeTakeFirst();
    return row && toRun(row);
  }

  /** The latest attempt of each check run on a head commit. */
  async latest(repoId: number, headSha: string): Promise<CheckRun[]> {
    const rows = await this.db.selectFrom(T).selectAll().where('repo_id', '=', repoId).where('head_sha', '=', headSha).orderBy('name').orderBy('attempt', 'desc').execute();
    const seen = new Set<string>();
    return rows.map(toRun).filter((r) => !seen.has(r.name) && seen.add(r.name));
  }

  /** A pull request's head commit as the store last saw it (for a fork's check suite, whose event names no pull request). */
  async prOfHead(repoId: number, headSha: string): Promise<number | undefined> {
    const row = await this.db.selectFrom(T).select('pr').where('repo_id', '=', repoId).where('head_sha', '=', headSha).orderBy('id', 'desc').executeTakeFirst();
    return row?.pr;
  }

  /** A pull request's unfinished runs, except those on `keepSha` (its new head). */
  async unfinished(repoId: number, pr: number, keepSha?: string): Promise<CheckRun[]> {
    let q = this.db.selectFrom(T).selectAll().where('repo_id', '=', repoId).where('pr', '=', pr).where('state', '!=', 'completed');
    if (keepSha) q = q.where('head_sha', '!=', keepSha);
    return (await q.orderBy('id').execute()).map(toRun);
  }

  async setCheckRunId(id: number, checkRunId: number): Promise<void> {
    await this.db.updateTable(T).set({ check_run_id: checkRunId }).where('id', '=', id).execute();
  }

  /** queued -> in_progress (again, for a job taken over from a worker that died); false once completed. */
  async start(id: number): Promise<boolean> {
    const result = await this.db.updateTable(T).set({ state: 'in_progress' }).where('id', '=', id).where('state', '!=', 'completed').executeTakeFirst();
    return touched(result) === 1;
  }

  /**
   * Completes a run once: the one write that wins (a cancel racing the worker, a job taken over) also keeps
   * the per-case results; the loser gets false and must write nothing to GitHub.
   */
  async complete(id: number, outcome: RunOutcome): Promise<boolean> {
    const result = await this.db
      .updateTable(T)
      .set({
        state: 'completed',
        conclusion: outcome.conclusion,
        title: outcome.title.slice(0, 500),
        passed: outcome.counts?.passed ?? null,
        failed: outcome.counts?.failed ?? null,
        skipped: outcome.counts?.skipped ?? null,
        duration_ms: outcome.durationMs === undefined ? null : Math.round(outcome.durationMs),
        completed_at: this.now().getTime(),
      })
      .where('id', '=', id)
      .where('state', '!=', 'completed')
      .executeTakeFirst();
    if (touched(result) !== 1) return false;
    const seen = new Set<string>();
    const rows = (outcome.cases ?? []).filter((c) => !seen.has(c.id) && seen.add(c.id)).map((c) => ({ run_id: id, case_id: c.id.slice(0, 400), status: c.status }));
    for (let i = 0; i < rows.length; i += 200) await this.db.insertInto('checks_cases').values(rows.slice(i, i + 200)).onConflict((oc) => oc.columns(['run_id', 'case_id']).doNothing()).execute();
    return true;
  }

  async approve(repoId: number, pr: number, headSha: string, by: string, via: 'command' | 'label'): Promise<void> {
    await this.db
      .insertInto('checks_approvals')
      .values({ repo_id: repoId, pr, head_sha: headSha, approved_by: by, via, at: this.now().getTime() })
      .onConflict((oc) => oc.columns(['repo_id', 'pr', 'head_sha']).doNothing())
      .execute();
  }

  async approvedBy(repoId: number, pr: number, headSha: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('checks_approvals').select('approved_by').where('repo_id', '=', repoId).where('pr', '=', pr).where('head_sha', '=', headSha).executeTakeFirst();
    return row?.approved_by;
  }

  /** The failed cases of a run. */
  async failedCases(runId: number): Promise<string[]> {
    const rows = await this.db.selectFrom('checks_cases').select('case_id').where('run_id', '=', runId).where('status', '=', 'failed').orderBy('case_id').execute();
    return rows.map((r) => r.case_id as string);
  }

  /**
   * For each case, in a repository's suite: on how many commits it failed and then passed (a flake), and how
   * often it failed in runs other than `exceptRun`.
   */
  async history(repoId: number, suite: { suite: string; plugin: string | null }, caseIds: string[], exceptRun?: number): Promise<Map<string, CaseHistory>> {
    const out = new Map<string, CaseHistory>(caseIds.map((id) => [id, { flakes: 0, failedBefore: 0 }]));
    if (caseIds.length === 0) return out;
    const rows = await this.casesOf(repoId, suite, caseIds);
    for (const r of rows) if (r.status === 'failed' && r.runId !== exceptRun) out.get(r.caseId)!.failedBefore++;
    for (const [caseId, flakes] of countFlakes(rows)) out.get(caseId)!.flakes = flakes;
    return out;
  }

  /** Pass rates and flaky cases per suite over the runs completed in a window (what the agenda's gate health reads). */
  async health(repoId: number, since: Date, until: Date): Promise<SuiteHealth[]> {
    const runs = await this.db
      .selectFrom(T)
      .select(['id', 'suite', 'plugin', 'conclusion'])
      .where('repo_id', '=', repoId)
      .where('state', '=', 'completed')
      .where('conclusion', 'in', ['success', 'failure'])
      .where('completed_at', '>=', since.getTime())
      .where('completed_at', '<', until.getTime())
      .execute();
    const bySuite = new Map<string, SuiteHealth>();
    for (const r of runs) {
      const key = `${r.suite}:${r.plugin ?? ''}`;
      let h = bySuite.get(key);
      if (!h) bySuite.set(key, (h = { suite: r.suite, plugin: r.suite === 'migrations' ? null : r.plugin, runs: 0, passed: 0, failed: 0, passRate: 1, flakyCases: [] }));
      h.runs++;
      if (r.conclusion === 'success') h.passed++;
      else h.failed++;
    }
    const failed = await this.db
      .selectFrom('checks_cases as c')
      .innerJoin(`${T} as r`, 'r.id', 'c.run_id')
      .select(['c.case_id', 'r.suite', 'r.plugin'])
      .distinct()
      .where('r.repo_id', '=', repoId)
      .where('c.status', '=', 'failed')
      .where('r.completed_at', '>=', since.getTime())
      .where('r.completed_at', '<', until.getTime())
      .execute();
    for (const h of bySuite.values()) {
      h.passRate = h.runs === 0 ? 1 : h.passed / h.runs;
      const ids = failed.filter((f) => f.suite === h.suite && (f.plugin ?? null) === (h.plugin ?? null)).map((f) => f.case_id as string);
      const rows = (await this.casesOf(repoId, h, ids)).filter((r) => r.completedAt >= since.getTime() && r.completedAt < until.getTime());
      h.flakyCases = [...countFlakes(rows)].map(([id, flakes]) => ({ id, flakes })).sort((a, b) => b.flakes - a.flakes || a.id.localeCompare(b.id));
    }
    return [...bySuite.values()].sort((a, b) => a.suite.localeCompare(b.suite) || (a.plugin ?? '').localeCompare(b.plugin ?? ''));
  }

  /** The completed results of some cases in a suite, oldest first. */
  private async casesOf(repoId: number, suite: { suite: string; plugin: string | null }, caseIds: string[]) {
    const out: { runId: number; caseId: string; status: string; headSha: string; completedAt: number }[] = [];
    for (let i = 0; i < caseIds.length; i += 200) {
      let q = this.db
        .selectFrom('checks_cases as c')
        .innerJoin(`${T} as r`, 'r.id', 'c.run_id')
        .select(['c.run_id', 'c.case_id', 'c.status', 'r.head_sha', 'r.completed_at'])
        .where('r.repo_id', '=', repoId)
        .where('r.suite', '=', suite.suite)
        .where('c.case_id', 'in', caseIds.slice(i, i + 200));
      q = suite.plugin === null ? q.where('r.plugin', 'is', null) : q.where('r.plugin', '=', suite.plugin);
      for (const r of await q.execute()) out.push({ runId: Number(r.run_id), caseId: r.case_id, status: r.status, headSha: r.head_sha, completedAt: Number(r.completed_at) });
    }
    return out.sort((a, b) => a.completedAt - b.completedAt || a.runId - b.runId);
  }
}

/** Per case: the commits on which it failed and later passed. `rows` oldest first. */
function countFlakes(rows: { caseId: string; status: string; headSha: string }[]): Map<string, number> {
  const failedOn = new Set<string>();
  const flaked = new Set<string>();
  for (const r of rows) {
    const key = `${r.caseId}\n${r.headSha}`;
    if (r.status === 'failed') failedOn.add(key);
    else if (r.status === 'passed' && failedOn.has(key)) flaked.add(key);
  }
  const out = new Map<string, number>();
  for (const key of flaked) {
    const caseId = key.split('\n')[0]!;
    out.set(caseId, (out.get(caseId) ?? 0) + 1);
  }
  return out;
}

const stores = new WeakMap<object, ChecksStore>();
/** The one ChecksStore over a services' database. */
export function checksStoreFor(services: { store: { db: Kysely<any> }; now: () => Date }): ChecksStore {
  let store = stores.get(services.store);
  if (!store) stores.set(services.store, (store = new ChecksStore(services.store.db, services.now)));
  return store;
}
