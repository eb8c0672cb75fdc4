import type { AppServices } from '../core/services.js';
import type { RepoRef } from '../github/types.js';
import { areasFromLabels, hasLabel, labelNames, type IssueLike } from './actions.js';
import { exampleOf } from './learn/events.js';
import { starterScorer } from './learn/learner.js';
import { learningStoreFor } from './learn/store.js';
import { triageStoreFor } from './store.js';
import type { NetbotConfig } from '../config.js';

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
  /** Labelled examples read from the repository's history, for its learned model. */
  examples: { starters: number; notStarters: number; withAreas: number; closedRead: number };
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
  opts: { history?: number } = {},
): Promise<BackfillResult> {
  const store = triageStoreFor(services);
  const { data: repo } = await octokit.rest.repos.get({ owner: ref.owner, repo: ref.repo });
  const repoId = repo.id;
  const known = await services.repos.get(repoId);
  const config = (known?.config !== undefined && services.configs.parseStored(known.config)) || services.configs.defaults;
  await services.repos.remember({ repoId, owner: repo.owner.login, repo: repo.name, isPrivate: repo.private, htmlUrl: repo.html_url });
  progress.start(repo.open_issues_count ?? 0);
  const result: BackfillResult = { seen: 0, bugs: 0, lhf: 0, claimed: 0, candidates: [], closed: 0, examples: { starters: 0, notStarters: 0, withAreas: 0, closedRead: 0 } };
  const score = await starterScorer(services, repoId, config);
  const learnFrom = (issue: IssueLike) => recordHistory(services, { ...ref, repoId }, config, issue, result.examples);
  const open = new Set<number>();
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listForRepo, { owner: ref.owner, repo: ref.repo, state: 'open', per_page: 100 })) {
    for (const issue of page.data as IssueLike[]) {
      result.seen++;
      progress.tick();
      if (issue.pull_request) continue;
      open.add(issue.number);
      result.bugs++;
      const labels = labelNames(issue);
      const verdict = score({ title: issue.title, body: issue.body, labels });
      const lhfLabel = config.labels.lowHangingFruit;
      const issueRef = { ...ref, repoId, issue_number: issue.number };
      const lhf = hasLabel(labels, lhfLabel);
      const vetoed = await services.labels.isVetoed(issueRef, lhfLabel);
      if (!lhf && verdict.band === 'starter' && !vetoed) result.candidates.push(issue.number);
      const areas = areasFromLabels(labels, config);
      await store.upsertIssue(repoId, { number: issue.number, title: issue.title ?? '', url: issue.html_url, author: issue.user?.login ?? 'ghost', state: 'open', areas, lhf, score: verdict.score, band: vetoed ? 'no' : verdict.band, createdAt: issue.created_at });
      await learnFrom(issue);
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
  // The repository's history: closed issues, newest first, up to `history` of them.
  const limit = opts.history ?? 1000;
  if (limit > 0) {
    outer: for await (const page of octokit.paginate.iterator(octokit.rest.issues.listForRepo, { owner: ref.owner, repo: ref.repo, state: 'closed', sort: 'updated', direction: 'desc', per_page: 100 })) {
      for (const issue of page.data as HistoryIssue[]) {
        if (issue.pull_request) continue;
        if (result.examples.closedRead >= limit) break outer;
        result.examples.closedRead++;
        await learnFrom(issue);
      }
    }
  }
  return result;
}

type HistoryIssue = IssueLike & { state_reason?: string | null; closed_at?: string | null; updated_at?: string };

/**
 * What an issue's history says, with care: the starter label present is a starter; no starter label is a
 * non-starter only when people looked at it (closed as completed, or labelled by a triager, or its starter label
 * removed by a person); an issue closed as not planned (a duplicate, invalid) teaches nothing. Its area labels
 * are an area example only when it has one (an issue nobody gave an area says nothing about areas). An open issue
 * whose only labels netbot may have set itself (areas, needs-triage) is not yet triaged.
 */
async function recordHistory(services: AppServices, repo: RepoRef & { repoId: number }, config: NetbotConfig, issue: HistoryIssue, counts: BackfillResult['examples']): Promise<void> {
  const { repoId } = repo;
  if (issue.state_reason === 'not_planned') return;
  const labels = labelNames(issue);
  const starterLabel = config.labels.lowHangingFruit;
  // A label netbot may have set itself (an area, needs-triage) is no sign a person looked at the issue.
  const netbotLabels = [config.labels.needsTriage, ...Object.values(config.subteams).map((t) => t.label)];
  const triaged = issue.state === 'closed' || labels.some((l) => !hasLabel(netbotLabels, l));
  const vetoed = await services.labels.isVetoed({ ...repo, issue_number: issue.number }, starterLabel);
  const starter = hasLabel(labels, starterLabel) ? true : triaged || vetoed ? false : undefined;
  const areas = areasFromLabels(labels, config);
  if (starter === undefined && areas.length === 0) return;
  const at = new Date(issue.closed_at ?? issue.updated_at ?? issue.created_at);
  await learningStoreFor(services).addExample(
    exampleOf(repoId, issue, { eventKey: `backfill:${issue.number}`, starter, areas: areas.length ? areas : undefined, source: 'backfill', actor: 'backfill', at }),
    { replace: true },
  );
  if (starter === true) counts.starters++;
  else if (starter === false) counts.notStarters++;
  if (areas.length) counts.withAreas++;
}
