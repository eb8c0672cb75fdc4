import type { SqliteDb } from '../store/store.js';
import { repoKey, type RepoRef } from '../github/types.js';

/**
 * - removed: a reviewer a human took off the pull request (never asked again there);
 * - unrouted / forced: subteams a human took off (`/unroute`) or added (`/route`);
 * - routed: the subteams of the last routing, to tell whether new commits changed them;
 * - refused: reviewers GitHub would not accept (e.g. not a collaborator), with its message.
 */
export type MarkKind = 'removed' | 'unrouted' | 'forced' | 'routed' | 'refused';

export interface OpenRequest {
  reviewer: string;
  pr: number;
  subteams: string[];
  requestedByBot: boolean;
  requestedAt: string;
}

const split = (s: string) => (s === '' ? [] : s.split(','));

/** Routing's state: review requests (whose open ones are each reviewer's load), vacations, and marks per pull request. */
export class RoutingStore {
  constructor(
    private readonly db: SqliteDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Open review requests per reviewer (lower-case) in a repository. */
  load(repo: RepoRef): Map<string, number> {
    const rows = this.db
      .prepare(`SELECT lower(reviewer) AS reviewer, count(*) AS n FROM routing_review_requests WHERE repo = ? AND state = 'open' GROUP BY lower(reviewer)`)
      .all(repoKey(repo)) as { reviewer: string; n: number }[];
    return new Map(rows.map((r) => [r.reviewer, r.n]));
  }

  openRequests(repo: RepoRef, pr?: number): OpenRequest[] {
    const rows = this.db
      .prepare(
        `SELECT reviewer, pr, subteams, requested_by_bot, requested_at FROM routing_review_requests
         WHERE repo = ? AND state = 'open' AND (? IS NULL OR pr = ?) ORDER BY lower(reviewer), pr`,
      )
      .all(repoKey(repo), pr ?? null, pr ?? null) as { reviewer: string; pr: number; subteams: string; requested_by_bot: number; requested_at: string }[];
    return rows.map((r) => ({ reviewer: r.reviewer, pr: r.pr, subteams: split(r.subteams), requestedByBot: r.requested_by_bot === 1, requestedAt: r.requested_at }));
  }

  reviewedBy(repo: RepoRef, pr: number): string[] {
    const rows = this.db.prepare(`SELECT reviewer FROM routing_review_requests WHERE repo = ? AND pr = ? AND state = 'reviewed'`).all(repoKey(repo), pr) as {
      reviewer: string;
    }[];
    return rows.map((r) => r.reviewer);
  }

  /**
   * A review request is open (asked by the bot or a human). The bot's subteams are kept when its open request
   * is seen again; once that request was withdrawn or answered, a person asking again makes it theirs (so
   * `/unroute` never withdraws it).
   */
  requested(repo: RepoRef, pr: number, reviewer: string, opts: { byBot: boolean; subteams?: string[] }): void {
    const at = this.now().toISOString();
    this.db
      .prepare(
        `INSERT INTO routing_review_requests (repo, pr, reviewer, subteams, requested_by_bot, state, requested_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'open', ?, ?)
         ON CONFLICT (repo, pr, reviewer) DO UPDATE SET
           subteams = CASE WHEN excluded.subteams <> '' THEN excluded.subteams WHEN state IN ('removed', 'reviewed') THEN '' ELSE subteams END,
           requested_by_bot = CASE WHEN state IN ('removed', 'reviewed') THEN excluded.requested_by_bot ELSE max(requested_by_bot, excluded.requested_by_bot) END,
           requested_at = CASE WHEN state = 'open' THEN requested_at ELSE excluded.requested_at END,
           state = 'open', updated_at = excluded.updated_at`,
      )
      .run(repoKey(repo), pr, reviewer, (opts.subteams ?? []).join(','), opts.byBot ? 1 : 0, at, at);
  }

  /** Sets the subteams a bot request stands for (e.g. after `/unroute` dropped one of them). */
  setSubteams(repo: RepoRef, pr: number, reviewer: string, subteams: string[]): void {
    this.db.prepare('UPDATE routing_review_requests SET subteams = ? WHERE repo = ? AND pr = ? AND reviewer = ?').run(subteams.join(','), repoKey(repo), pr, reviewer);
  }

  /** A submitted review frees the reviewer's slot (and marks them as having reviewed). */
  reviewed(repo: RepoRef, pr: number, reviewer: string): void {
    const at = this.now().toISOString();
    this.db
      .prepare(
        `INSERT INTO routing_review_requests (repo, pr, reviewer, state, requested_at, updated_at) VALUES (?, ?, ?, 'reviewed', ?, ?)
         ON CONFLICT (repo, pr, reviewer) DO UPDATE SET state = 'reviewed', updated_at = excluded.updated_at`,
      )
      .run(repoKey(repo), pr, reviewer, at, at);
  }

  /** The request was withdrawn; returns whether the bot had made it. */
  removed(repo: RepoRef, pr: number, reviewer: string): boolean {
    const row = this.db
      .prepare(`SELECT requested_by_bot FROM routing_review_requests WHERE repo = ? AND pr = ? AND reviewer = ?`)
      .get(repoKey(repo), pr, reviewer) as { requested_by_bot: number } | undefined;
    this.db
      .prepare(`UPDATE routing_review_requests SET state = 'removed', updated_at = ? WHERE repo = ? AND pr = ? AND reviewer = ? AND state = 'open'`)
      .run(this.now().toISOString(), repoKey(repo), pr, reviewer);
    return row?.requested_by_bot === 1;
  }

  /** A closed pull request frees all its slots. */
  closed(repo: RepoRef, pr: number): number {
    return this.db
      .prepare(`UPDATE routing_review_requests SET state = 'closed', updated_at = ? WHERE repo = ? AND pr = ? AND state = 'open'`)
      .run(this.now().toISOString(), repoKey(repo), pr).changes;
  }

  setVacation(login: string, on: boolean): void {
    if (on) this.db.prepare('INSERT INTO routing_vacations (login, since) VALUES (?, ?) ON CONFLICT DO NOTHING').run(login, this.now().toISOString());
    else this.db.prepare('DELETE FROM routing_vacations WHERE login = ?').run(login);
  }

  /** Reviewers away by command (lower-case). */
  vacations(): Set<string> {
    const rows = this.db.prepare('SELECT lower(login) AS login FROM routing_vacations').all() as { login: string }[];
    return new Set(rows.map((r) => r.login));
  }

  mark(repo: RepoRef, pr: number, kind: MarkKind, value: string, opts: { actor?: string; detail?: string } = {}): void {
    this.db
      .prepare(
        `INSERT INTO routing_marks (repo, pr, kind, value, detail, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET detail = excluded.detail, actor = excluded.actor, at = excluded.at`,
      )
      .run(repoKey(repo), pr, kind, value, opts.detail ?? '', opts.actor ?? '', this.now().toISOString());
  }

  unmark(repo: RepoRef, pr: number, kind: MarkKind, value: string): void {
    this.db.prepare('DELETE FROM routing_marks WHERE repo = ? AND pr = ? AND kind = ? AND value = ?').run(repoKey(repo), pr, kind, value);
  }

  /** Marks of a kind on a pull request: value (lower-case) → detail. */
  marks(repo: RepoRef, pr: number, kind: MarkKind): Map<string, string> {
    const rows = this.db
      .prepare('SELECT lower(value) AS value, detail FROM routing_marks WHERE repo = ? AND pr = ? AND kind = ? ORDER BY at, value')
      .all(repoKey(repo), pr, kind) as { value: string; detail: string }[];
    return new Map(rows.map((r) => [r.value, r.detail]));
  }

  /** The subteams of the latest routing, or undefined if this pull request was never routed. */
  routed(repo: RepoRef, pr: number): string[] | undefined {
    const marks = this.marks(repo, pr, 'routed');
    return marks.size === 0 ? undefined : [...marks.keys()].filter((k) => k !== '');
  }

  setRouted(repo: RepoRef, pr: number, keys: string[]): void {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM routing_marks WHERE repo = ? AND pr = ? AND kind = 'routed'`).run(repoKey(repo), pr);
      // An empty value records "routed to no subteam", so a later change is still seen as one.
      for (const key of keys.length > 0 ? keys : ['']) this.mark(repo, pr, 'routed', key);
    })();
  }
}
