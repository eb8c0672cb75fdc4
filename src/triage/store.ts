import type { NetbotConfig } from '../config.js';
import type { SqliteDb } from '../store/store.js';
import { repoKey, type RepoRef } from '../github/types.js';

/** One bug as the board and the claim logic see it. */
export interface TriageIssue {
  repo: string;
  number: number;
  title: string;
  url: string;
  author: string;
  state: 'open' | 'closed';
  areas: string[];
  lhf: boolean;
  score: number | null;
  claimedBy: string | null;
  claimedAt: string | null;
  /** A human assigned it by hand: the stale sweep leaves it alone. */
  claimPinned: boolean;
  lastActivityAt: string | null;
  createdAt: string;
}

interface Row {
  repo: string;
  number: number;
  title: string;
  url: string;
  author: string;
  state: string;
  areas: string;
  lhf: number;
  score: number | null;
  claimed_by: string | null;
  claimed_at: string | null;
  claim_pinned: number;
  last_activity_at: string | null;
  created_at: string;
}

const fromRow = (r: Row): TriageIssue => ({
  repo: r.repo,
  number: r.number,
  title: r.title,
  url: r.url,
  author: r.author,
  state: r.state === 'closed' ? 'closed' : 'open',
  areas: JSON.parse(r.areas) as string[],
  lhf: r.lhf === 1,
  score: r.score,
  claimedBy: r.claimed_by,
  claimedAt: r.claimed_at,
  claimPinned: r.claim_pinned === 1,
  lastActivityAt: r.last_activity_at,
  createdAt: r.created_at,
});

export interface IssueSnapshot {
  number: number;
  title: string;
  url: string;
  author: string;
  state: string;
  areas: string[];
  lhf: boolean;
  score?: number | null;
  createdAt: string;
}

/** The triage store: what webhooks (and the backfill) learned, so the board and the sweep cost no GitHub calls. */
export class TriageStore {
  constructor(
    private readonly db: SqliteDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records the issue as GitHub shows it now; claim columns are kept. A null score keeps the one stored. */
  upsertIssue(ref: RepoRef, s: IssueSnapshot): void {
    this.db
      .prepare(
        `INSERT INTO triage_issues (repo, number, title, url, author, state, areas, lhf, score, created_at, updated_at)
         VALUES (@repo, @number, @title, @url, @author, @state, @areas, @lhf, @score, @createdAt, @at)
         ON CONFLICT (repo, number) DO UPDATE SET title = excluded.title, url = excluded.url, state = excluded.state,
           areas = excluded.areas, lhf = excluded.lhf, score = COALESCE(excluded.score, triage_issues.score), updated_at = excluded.updated_at`,
      )
      .run({
        repo: repoKey(ref),
        number: s.number,
        title: s.title.slice(0, 500),
        url: s.url,
        author: s.author,
        state: s.state === 'closed' ? 'closed' : 'open',
        areas: JSON.stringify(s.areas),
        lhf: s.lhf ? 1 : 0,
        score: s.score ?? null,
        createdAt: s.createdAt,
        at: this.now().toISOString(),
      });
  }

  /** Records as closed every open bug of the repository not in `open` (what GitHub lists now); returns how many. */
  closeAllOpenExcept(ref: RepoRef, open: ReadonlySet<number>): number {
    const rows = this.db.prepare("SELECT number FROM triage_issues WHERE repo = ? AND state = 'open'").all(repoKey(ref)) as { number: number }[];
    const update = this.db.prepare("UPDATE triage_issues SET state = 'closed', updated_at = ? WHERE repo = ? AND number = ?");
    const gone = rows.filter((r) => !open.has(r.number));
    const at = this.now().toISOString();
    this.db.transaction(() => gone.forEach((r) => update.run(at, repoKey(ref), r.number)))();
    return gone.length;
  }

  get(ref: RepoRef, number: number): TriageIssue | undefined {
    const row = this.db.prepare('SELECT * FROM triage_issues WHERE repo = ? AND number = ?').get(repoKey(ref), number) as Row | undefined;
    return row && fromRow(row);
  }

  /** Open low-hanging-fruit bugs, oldest first. */
  openLhf(ref: RepoRef): TriageIssue[] {
    const rows = this.db.prepare("SELECT * FROM triage_issues WHERE repo = ? AND lhf = 1 AND state = 'open' ORDER BY created_at, number").all(repoKey(ref)) as Row[];
    return rows.map(fromRow);
  }

  /** Open starter bugs the person holds (the claim limit): ordinary bugs assigned to them by hand do not count. */
  openClaimsOf(ref: RepoRef, login: string): TriageIssue[] {
    const rows = this.db
      .prepare("SELECT * FROM triage_issues WHERE repo = ? AND claimed_by = ? COLLATE NOCASE AND state = 'open' AND lhf = 1 ORDER BY number")
      .all(repoKey(ref), login) as Row[];
    return rows.map(fromRow);
  }

  /** Every open claim in every repository: what the stale sweep looks at. */
  allOpenClaims(): TriageIssue[] {
    return (this.db.prepare("SELECT * FROM triage_issues WHERE claimed_by IS NOT NULL AND state = 'open' ORDER BY repo, number").all() as Row[]).map(fromRow);
  }

  claim(ref: RepoRef, number: number, login: string, opts: { pinned?: boolean } = {}): void {
    const at = this.now().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE triage_issues SET claimed_by = ?, claimed_at = ?, claim_pinned = ?, last_activity_at = ? WHERE repo = ? AND number = ?')
        .run(login, at, opts.pinned ? 1 : 0, at, repoKey(ref), number);
      this.db.prepare('INSERT INTO triage_claims (repo, number, login, claimed_at) VALUES (?, ?, ?, ?)').run(repoKey(ref), number, login, at);
    })();
  }

  /** `by`: the person who took the claim away, when it was not the claimer (their decision: see `releasedByOther`). */
  release(ref: RepoRef, number: number, reason: string, by?: string): void {
    const at = this.now().toISOString();
    this.db.transaction(() => {
      this.db.prepare('UPDATE triage_issues SET claimed_by = NULL, claimed_at = NULL, claim_pinned = 0 WHERE repo = ? AND number = ?').run(repoKey(ref), number);
      this.db
        .prepare('UPDATE triage_claims SET released_at = ?, release_reason = ?, released_by = ? WHERE repo = ? AND number = ? AND released_at IS NULL')
        .run(at, reason, by ?? null, repoKey(ref), number);
    })();
  }

  /** Who took this person's latest claim on the bug away (a maintainer unassigning or /unclaiming them), if anyone. */
  releasedByOther(ref: RepoRef, number: number, login: string): string | undefined {
    const row = this.db
      .prepare('SELECT released_by FROM triage_claims WHERE repo = ? AND number = ? AND login = ? COLLATE NOCASE ORDER BY rowid DESC LIMIT 1')
      .get(repoKey(ref), number, login) as { released_by: string | null } | undefined;
    return row?.released_by ?? undefined;
  }

  /** The issue was deleted or moved to another repository: release its claim and drop its row and links. */
  forget(ref: RepoRef, number: number, reason: string): void {
    this.db.transaction(() => {
      this.release(ref, number, reason);
      this.db.prepare('DELETE FROM triage_issues WHERE repo = ? AND number = ?').run(repoKey(ref), number);
      this.db.prepare('DELETE FROM triage_pr_links WHERE repo = ? AND issue_number = ?').run(repoKey(ref), number);
    })();
  }

  /** Closed or reopened (only for a bug already stored; its claim is kept, as on GitHub). */
  setState(ref: RepoRef, number: number, state: 'open' | 'closed'): void {
    this.db.prepare('UPDATE triage_issues SET state = ?, updated_at = ? WHERE repo = ? AND number = ?').run(state, this.now().toISOString(), repoKey(ref), number);
  }

  pinClaim(ref: RepoRef, number: number): void {
    this.db.prepare('UPDATE triage_issues SET claim_pinned = 1 WHERE repo = ? AND number = ?').run(repoKey(ref), number);
  }

  /** The claimer did something on the bug (commented, opened a PR): the stale clock restarts. */
  touch(ref: RepoRef, number: number, login: string): void {
    this.db
      .prepare('UPDATE triage_issues SET last_activity_at = ? WHERE repo = ? AND number = ? AND claimed_by = ? COLLATE NOCASE')
      .run(this.now().toISOString(), repoKey(ref), number, login);
  }

  linkPullRequest(ref: RepoRef, issueNumber: number, prNumber: number, author: string): void {
    this.db.prepare('INSERT OR IGNORE INTO triage_pr_links (repo, issue_number, pr_number, pr_author) VALUES (?, ?, ?, ?)').run(repoKey(ref), issueNumber, prNumber, author);
  }

  /** The bugs an open pull request links now (its description may have been edited); an empty list unlinks it. */
  setPullRequestLinks(ref: RepoRef, prNumber: number, author: string, issueNumbers: number[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM triage_pr_links WHERE repo = ? AND pr_number = ?').run(repoKey(ref), prNumber);
      for (const n of issueNumbers) this.linkPullRequest(ref, n, prNumber, author);
    })();
  }

  hasLinkedPullRequest(ref: RepoRef, issueNumber: number): boolean {
    return this.db.prepare('SELECT 1 FROM triage_pr_links WHERE repo = ? AND issue_number = ?').get(repoKey(ref), issueNumber) !== undefined;
  }

  /**
   * Remembers the installation, the config and the visibility last seen for a repository (the sweep and the
   * backfill need the first two, the board the last).
   */
  /**
   * Remembers the repository a webhook came from: its installation (for the sweep), its config and whether it
   * is private (for the board). Also when triage is off there: the sweep and the board obey the latest config.
   */
  rememberEventRepo(
    context: { repo(): RepoRef; payload: { installation?: { id: number }; repository: { private: boolean } } },
    config: NetbotConfig,
  ): void {
    this.rememberRepo(context.repo(), context.payload.installation?.id, config, { isPrivate: context.payload.repository.private });
  }

  rememberRepo(ref: RepoRef, installationId: number | undefined, config: NetbotConfig, opts: { isPrivate?: boolean } = {}): void {
    const isPrivate = opts.isPrivate === undefined ? null : opts.isPrivate ? 1 : 0;
    this.db
      .prepare(
        `INSERT INTO triage_repos (repo, owner, name, installation_id, config, seen_at, private) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (repo) DO UPDATE SET installation_id = COALESCE(excluded.installation_id, triage_repos.installation_id),
           config = excluded.config, seen_at = excluded.seen_at, private = COALESCE(excluded.private, triage_repos.private)`,
      )
      .run(repoKey(ref), ref.owner, ref.repo, installationId ?? null, JSON.stringify(config), this.now().toISOString(), isPrivate);
  }

  /** The repository was made private or public (only for repositories already known). */
  setVisibility(ref: RepoRef, isPrivate: boolean): void {
    this.db.prepare('UPDATE triage_repos SET private = ? WHERE repo = ?').run(isPrivate ? 1 : 0, repoKey(ref));
  }

  /** Known to be public: the only repositories whose board may be served to anyone. */
  isPublic(ref: RepoRef): boolean {
    const row = this.db.prepare('SELECT private FROM triage_repos WHERE repo = ?').get(repoKey(ref)) as { private: number | null } | undefined;
    return row?.private === 0;
  }

  repo(ref: RepoRef): { owner: string; repo: string; installationId: number | null; config: unknown } | undefined {
    const row = this.db.prepare('SELECT owner, name, installation_id, config FROM triage_repos WHERE repo = ?').get(repoKey(ref)) as
      | { owner: string; name: string; installation_id: number | null; config: string | null }
      | undefined;
    return row && { owner: row.owner, repo: row.name, installationId: row.installation_id, config: row.config ? JSON.parse(row.config) : undefined };
  }

  /** True when the repository has any stored issue or was seen by a webhook (the board's 404 test). */
  knowsRepo(ref: RepoRef): boolean {
    const key = repoKey(ref);
    return (
      this.db.prepare('SELECT 1 FROM triage_repos WHERE repo = ?').get(key) !== undefined ||
      this.db.prepare('SELECT 1 FROM triage_issues WHERE repo = ? LIMIT 1').get(key) !== undefined
    );
  }

  /** Marks a person welcomed in a repository; false if they already were. */
  markWelcomed(ref: RepoRef, login: string): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO triage_welcomed (repo, login, at) VALUES (?, ?, ?)').run(repoKey(ref), login, this.now().toISOString()).changes === 1;
  }

  unmarkWelcomed(ref: RepoRef, login: string): void {
    this.db.prepare('DELETE FROM triage_welcomed WHERE repo = ? AND login = ?').run(repoKey(ref), login);
  }
}

const stores = new WeakMap<SqliteDb, TriageStore>();
/** The one TriageStore over a services' database. */
export function triageStoreFor(services: { db: SqliteDb; now: () => Date }): TriageStore {
  let store = stores.get(services.db);
  if (!store) stores.set(services.db, (store = new TriageStore(services.db, services.now)));
  return store;
}
