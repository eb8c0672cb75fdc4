import { DEFAULT_CONFIG, parseConfig, type NetbotConfig } from '../config.js';
import type { RepoRef } from '../github/types.js';
import type { AppServices } from '../services.js';
import { areasFromLabels, hasLabel, labelNames, type IssueLike } from './actions.js';
import { scoreLowHangingFruit } from './lhf.js';
import { triageStoreFor } from './store.js';

/** The little of Octokit the backfill needs (a token Octokit or the App's installation Octokit both fit). */
export interface BackfillOctokit {
  rest: {
    repos: { get(p: RepoRef): Promise<{ data: { open_issues_count?: number; private?: boolean } }> };
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
  const config = storedConfig(store.repo(ref)?.config);
  const { data: repo } = await octokit.rest.repos.get(ref);
  store.rememberRepo(ref, undefined, config, { isPrivate: repo.private });
  progress.start(repo.open_issues_count ?? 0);
  const result: BackfillResult = { seen: 0, bugs: 0, lhf: 0, claimed: 0, candidates: [], closed: 0 };
  const open = new Set<number>();
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listForRepo, { ...ref, state: 'open', per_page: 100 })) {
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
      const issueRef = { ...ref, issue_number: issue.number };
      const lhf = hasLabel(labels, lhfLabel);
      if (!lhf && score.score >= config.triage.lhfThreshold && !services.labels.isVetoed(issueRef, lhfLabel)) result.candidates.push(issue.number);
      const areas = areasFromLabels(labels, config);
      store.upsertIssue(ref, { number: issue.number, title: issue.title ?? '', url: issue.html_url, author: issue.user?.login ?? 'ghost', state: 'open', areas, lhf, score: score.score, createdAt: issue.created_at });
      if (lhf) result.lhf++;
      const assignees = (issue.assignees ?? []).flatMap((a) => (a ? [a.login.toLowerCase()] : []));
      const holder = store.get(ref, issue.number)?.claimedBy;
      if (holder && !assignees.includes(holder.toLowerCase())) {
        store.release(ref, issue.number, 'not assigned on GitHub (backfill)'); // unassigned while netbot was not watching
      }
      const assignee = issue.assignees?.find((a) => a)?.login;
      if (assignee && !store.get(ref, issue.number)?.claimedBy) {
        store.claim(ref, issue.number, assignee, { pinned: true }); // assigned by hand before netbot watched
        result.claimed++;
      }
    }
  }
  result.closed = store.closeAllOpenExcept(ref, open);
  return result;
}

function storedConfig(raw: unknown): NetbotConfig {
  if (raw === undefined) return DEFAULT_CONFIG;
  const parsed = parseConfig(raw);
  return parsed.ok ? parsed.config : DEFAULT_CONFIG;
}
