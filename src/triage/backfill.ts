import { DEFAULT_CONFIG, parseConfig, type NetbotConfig } from '../config.js';
import type { RepoRef } from '../github/types.js';
import type { AppServices } from '../services.js';
import { decideAreas } from './areas.js';
import { areasFromLabels, hasLabel, labelNames, type IssueLike } from './actions.js';
import { scoreLowHangingFruit } from './lhf.js';
import { triageStoreFor } from './store.js';

/** The little of Octokit the backfill needs (a token Octokit or the App's installation Octokit both fit). */
export interface BackfillOctokit {
  rest: {
    repos: { get(p: RepoRef): Promise<{ data: { open_issues_count?: number } }> };
    issues: { listForRepo: unknown };
  };
  paginate: { iterator(route: unknown, params: Record<string, unknown>): AsyncIterable<{ data: unknown[] }> };
}

export interface BackfillResult {
  seen: number;
  bugs: number;
  lhf: number;
  claimed: number;
}

/**
 * Fills the board's store from a repository's open issues: classifies each one (areas, low-hanging fruit)
 * with the repository's last-seen config, and writes ONLY to the store, never to GitHub: labels and
 * comments stay the webhooks' job. A bug counts as low-hanging fruit when it carries the label, or scores
 * above the threshold and no human removed the label.
 */
export async function backfill(
  octokit: BackfillOctokit,
  ref: RepoRef,
  services: AppServices,
  progress: { start(total: number): void; tick(): void } = { start() {}, tick() {} },
): Promise<BackfillResult> {
  const store = triageStoreFor(services);
  const config = storedConfig(store.repo(ref)?.config);
  store.rememberRepo(ref, undefined, config);
  const { data: repo } = await octokit.rest.repos.get(ref);
  progress.start(repo.open_issues_count ?? 0);
  const result: BackfillResult = { seen: 0, bugs: 0, lhf: 0, claimed: 0 };
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listForRepo, { ...ref, state: 'open', per_page: 100 })) {
    for (const issue of page.data as IssueLike[]) {
      result.seen++;
      progress.tick();
      if (issue.pull_request) continue;
      result.bugs++;
      const labels = labelNames(issue);
      const text = { title: issue.title, body: issue.body, labels };
      const score = scoreLowHangingFruit(text);
      const lhfLabel = config.labels.lowHangingFruit;
      const issueRef = { ...ref, issue_number: issue.number };
      const lhf = hasLabel(labels, lhfLabel) || (score.score >= config.triage.lhfThreshold && !services.labels.isVetoed(issueRef, lhfLabel));
      const areas = [...new Set([...areasFromLabels(labels, config), ...decideAreas(text, config.subteams).areas.map((a) => a.key)])];
      store.upsertIssue(ref, { number: issue.number, title: issue.title ?? '', url: issue.html_url, author: issue.user?.login ?? 'ghost', state: 'open', areas, lhf, score: score.score, createdAt: issue.created_at });
      if (lhf) result.lhf++;
      const assignee = issue.assignees?.find((a) => a)?.login;
      if (assignee && !store.get(ref, issue.number)?.claimedBy) {
        store.claim(ref, issue.number, assignee, { pinned: true }); // assigned by hand before netbot watched
        result.claimed++;
      }
    }
  }
  return result;
}

function storedConfig(raw: unknown): NetbotConfig {
  if (raw === undefined) return DEFAULT_CONFIG;
  const parsed = parseConfig(raw);
  return parsed.ok ? parsed.config : DEFAULT_CONFIG;
}
