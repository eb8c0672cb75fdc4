import type { AppServices } from '../core/services.js';
import type { RepoRef } from '../github/types.js';
import { areasFromLabels, hasLabel, labelNames, type IssueLike } from './actions.js';
import { scoreLowHangingFruit } from './lhf.js';
import { triageStoreFor } from './store.js';

/** The little of Octokit the backfill needs (a token Octokit or the App's installation Octokit both fit). */
export interface BackfillOctokit {
  rest: {
    repos: { get(p: RepoRef): Promise<{ data: { id: number; name: string; owner: { login: string }; open_issues_count?: number; private?: boolean; html_url?: string } }> };
    issues: { listForRepo: unknown };
  };
  paginate: { iterator(route: unknown, params: Record<string, unknown>): AsyncIterable<{ data: unknown[] }> };
}

export interface BackfillResult {
  seen: number;
  bugs: number;
  lhf: number;
  claimed: number;
  /** Unlabelled bugs that score as low-hanging fruit (not vetoed): for a triager to `/lhf`. */
  candidates: number[];
  /** Bugs the store had open that GitHub no longer lists as open: now recorded closed. */
  closed: number;
}

/**
 * Fills the board's store from a repository's open issues: classifies each one (areas, low-hanging fruit)
 * with the repository's last-seen config, and writes ONLY to the store, never to GitHub: labels and
 * comments stay the webhooks' job. The board shows what GitHub shows, as the webhooks keep it: a bug is
 * low-hanging fruit when it carries the label, its areas are its area labels (else a newcomer's `/claim`
 * would be refused and the next webhook would change the row). Unlabelled bugs that score as low-hanging
 * fruit are reported as candidates. Stored bugs no longer open on GitHub are recorded closed.
 */
export async function backfill(
  octokit: BackfillOctokit,
  ref: RepoRef,
  services: AppServices,
  progress: { start(total: number): void; tick(): void } = { start() {}, tick() {} },
): Promise<BackfillResult> {
  const store = triageStoreFor(services);
  const { data: repo } = await octokit.rest.repos.get({ owner: ref.owner, repo: ref.repo });
  const repoId = repo.id;
  const known = await services.repos.get(repoId);
  const config = (known?.config !== undefined && services.configs.parseStored(known.config)) || services.configs.defaults;
  await services.repos.remember({ repoId, owner: repo.owner.login, repo: repo.name, isPrivate: repo.private, htmlUrl: repo.html_url });
  progress.start(repo.open_issues_count ?? 0);
  const result: BackfillResult = { seen: 0, bugs: 0, lhf: 0, claimed: 0, candidates: [], closed: 0 };
  const open = new Set<number>();
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listForRepo, { owner: ref.owner, repo: ref.repo, state: 'open', per_page: 100 })) {
    for (const issue of page.data as IssueLike[]) {
      result.seen++;
      progress.tick();
      if (issue.pull_request) continue;
      open.add(issue.number);
      result.bugs++;
      const labels = labelNames(issue);
      const text = { title: issue.title, body: issue.body, labels };
      const score = scoreLowHangingFruit(text);
      const lhfLabel = config.labels.lowHangingFruit;
      const issueRef = { ...ref, repoId, issue_number: issue.number };
      const lhf = hasLabel(labels, lhfLabel);
      if (!lhf && score.score >= config.triage.lhfThreshold && !(await services.labels.isVetoed(issueRef, lhfLabel))) result.candidates.push(issue.number);
      const areas = areasFromLabels(labels, config);
      await store.upsertIssue(repoId, { number: issue.number, title: issue.title ?? '', url: issue.html_url, author: issue.user?.login ?? 'ghost', state: 'open', areas, lhf, score: score.score, createdAt: issue.created_at });
      if (lhf) result.lhf++;
      const assignees = (issue.assignees ?? []).flatMap((a) => (a ? [a.login.toLowerCase()] : []));
      const holder = (await store.get(repoId, issue.number))?.claimedBy;
      if (holder && !assignees.includes(holder.toLowerCase())) {
        await store.release(repoId, issue.number, 'not assigned on GitHub (backfill)'); // unassigned while netbot was not watching
      }
      const assignee = issue.assignees?.find((a) => a)?.login;
      // Assigned by hand before netbot watched (a holder still assigned keeps the claim: the write is conditional).
      if (assignee && (await store.claim(repoId, issue.number, assignee, { pinned: true }))) result.claimed++;
    }
  }
  result.closed = await store.closeAllOpenExcept(repoId, open);
  return result;
}
