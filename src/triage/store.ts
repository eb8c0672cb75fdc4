import type { Kysely, Transaction } from 'kysely';
import { flag, prepared, touched } from '../core/store/index.js';

/** One bug as the board and the claim logic see it. */
export interface TriageIssue {
  repoId: number;
  number: number;
  title: string;
  url: string;
  author: string;
  state: 'open' | 'closed';
  areas: string[];
  lhf: boolean;
  score: number | null;
  /** The score's band when it was last classified: a "maybe" is listed on the board for triagers. */
  band: string | null;
  claimedBy: string | null;
  /** ISO 8601. */
  claimedAt: string | null;
  /** A human assigned it by hand: the stale sweep leaves it alone. */
  claimPinned: boolean;
  lastActivityAt: string | null;
  createdAt: string;
}

interface Row {
  repo_id: number;
  number: number;
  title: string;
  url: string;
  author: string;
  state: string;
  areas: string;
  lhf: number;
  score: number | null;
  lhf_band: string | null;
  claimed_by: string | null;
  claimed_at: number | null;
  claim_pinned: number;
  last_activity_at: number | null;
  created_at: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

const fromRow = (r: Row): TriageIssue => ({
  repoId: Number(r.repo_id),
  number: r.number,
  title: r.title,
  url: r.url,
  author: r.author,
  state: r.state === 'closed' ? 'closed' : 'open',
  areas: JSON.parse(r.areas) as string[],
  lhf: r.lhf === 1,
  score: r.score === null ? null : Number(r.score),
  band: r.lhf_band,
  claimedBy: r.claimed_by,
  claimedAt: iso(r.claimed_at),
  claimPinned: r.claim_pinned === 1,
  lastActivityAt: iso(r.last_activity_at),
  createdAt: iso(r.created_at)!,
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
  /** Null or absent keeps the band stored (only a classification sets it). */
  band?: string | null;
  createdAt: string;
}

const key = (login: string) => login.toLowerCase();
const ISSUE_COLUMNS = ['repo_id', 'number', 'title', 'url', 'author', 'state', 'areas', 'lhf', 'score', 'lhf_band', 'claimed_by', 'claimed_at', 'claim_pinned', 'last_activity_at', 'created_at'] as const;

// The statements every issue event runs, compiled once (see `prepared`).
const issueRow = prepared((db, repoId, number) => db.selectFrom('triage_issues').select(ISSUE_COLUMNS).where('repo_id', '=', repoId).where('number', '=', number));
const upsertIssueRow = prepared((db, repoId, number, title, url, author, state, areas, lhf, score, band, createdAt, at) =>
  db
    .insertInto('triage_issues')
    .values({ repo_id: repoId, number, title, url, author, state, areas, lhf, score, lhf_band: band, created_at: createdAt, updated_at: at })
    .onConflict((oc) =>
      oc.columns(['repo_id', 'number']).doUpdateSet((eb) => ({
        title: eb.ref('excluded.title'),
        url: eb.ref('excluded.url'),
        state: eb.ref('excluded.state'),
        areas: eb.ref('excluded.areas'),
        lhf: eb.ref('excluded.lhf'),
        score: eb.fn.coalesce('excluded.score', 'triage_issues.score'),
        lhf_band: eb.fn.coalesce('excluded.lhf_band', 'triage_issues.lhf_band'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    ),
);
const touchClaim = prepared((db, at, repoId, number, loginKey) =>
  db.updateTable('triage_issues').set({ last_activity_at: at }).where('repo_id', '=', repoId).where('number', '=', number).where('claimed_by_key', '=', loginKey),
);

/**
 * The triage store: what webhooks (and the backfill) learned, so the board and the sweep cost no GitHub
 * calls. Every decision that must have one winner is one conditional statement (a claim takes the bug only
 * if nobody holds it), so it holds with several processes on one database.
 */
export class TriageStore {
  constructor(
    private readonly db: Kysely<any>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records the issue as GitHub shows it now; claim columns are kept. A null score keeps the one stored. */
  async upsertIssue(repoId: number, s: IssueSnapshot): Promise<void> {
    const at = this.now().getTime();
    const state = s.state === 'closed' ? 'closed' : 'open';
    await upsertIssueRow(this.db, repoId, s.number, s.title.slice(0, 500), s.url.slice(0, 500), s.author, state, JSON.stringify(s.areas), flag(s.lhf), s.score ?? null, s.band ?? null, Date.parse(s.createdAt) || at, at);
  }

  /** Records as closed every open bug of the repository not in `open` (what GitHub lists now); returns how many. */
  async closeAllOpenExcept(repoId: number, open: ReadonlySet<number>): Promise<number> {
    const rows = await this.db.selectFrom('triage_issues').select('number').where('repo_id', '=', repoId).where('state', '=', 'open').execute();
    const gone = rows.map((r) => r.number as number).filter((n) => !open.has(n));
    for (let i = 0; i < gone.length; i += 500) {
      await this.db
        .updateTable('triage_issues')
        .set({ state: 'closed', updated_at: this.now().getTime() })
        .where('repo_id', '=', repoId)
        .where('number', 'in', gone.slice(i, i + 500))
        .execute();
    }
    return gone.length;
  }

  async get(repoId: number, number: number): Promise<TriageIssue | undefined> {
    const row = (await issueRow(this.db, repoId, number)).rows[0] as Row | undefined;
    return row && fromRow(row);
  }

  /** Open low-hanging-fruit bugs, oldest first. */
  openLhf(repoId: number): Promise<TriageIssue[]> {
    return this.openBugs(repoId, { lhf: 1 });
  }

  /** Open bugs the score left as a "maybe" (no label yet): for a triager to settle with /lhf or /not-lhf. */
  openMaybe(repoId: number): Promise<TriageIssue[]> {
    return this.openBugs(repoId, { lhf: 0, band: 'maybe' });
  }

  private async openBugs(repoId: number, which: { lhf: number; band?: string }): Promise<TriageIssue[]> {
    let q = this.db.selectFrom('triage_issues').select(ISSUE_COLUMNS).where('repo_id', '=', repoId).where('lhf', '=', which.lhf).where('state', '=', 'open');
    if (which.band !== undefined) q = q.where('lhf_band', '=', which.band);
    return ((await q.orderBy('created_at').orderBy('number').execute()) as Row[]).map(fromRow);
  }

  /** A person settled a "maybe" (`/not-lhf`, or the label removed): it leaves the triagers' list. */
  async setBand(repoId: number, number: number, band: 'starter' | 'maybe' | 'no'): Promise<void> {
    await this.db.updateTable('triage_issues').set({ lhf_band: band, updated_at: this.now().getTime() }).where('repo_id', '=', repoId).where('number', '=', number).execute();
  }

  /** Open starter bugs the person holds (the claim limit): ordinary bugs assigned to them by hand do not count. */
  async openClaimsOf(repoId: number, login: string): Promise<TriageIssue[]> {
    const rows = await this.db
      .selectFrom('triage_issues')
      .select(ISSUE_COLUMNS)
      .where('repo_id', '=', repoId)
      .where('claimed_by_key', '=', key(login))
      .where('state', '=', 'open')
      .where('lhf', '=', 1)
      .orderBy('number')
      .execute();
    return (rows as Row[]).map(fromRow);
  }

  /** Every open claim in a repository (or in all): what the stale sweep looks at. */
  async openClaims(repoId?: number): Promise<TriageIssue[]> {
    let q = this.db.selectFrom('triage_issues').select(ISSUE_COLUMNS).where('claimed_by_key', 'is not', null).where('state', '=', 'open');
    if (repoId !== undefined) q = q.where('repo_id', '=', repoId);
    return ((await q.orderBy('repo_id').orderBy('number').execute()) as Row[]).map(fromRow);
  }

  /** The repositories with an open claim (the sweep makes one job per repository). */
  async reposWithOpenClaims(): Promise<number[]> {
    const rows = await this.db.selectFrom('triage_issues').select('repo_id').distinct().where('claimed_by_key', 'is not', null).where('state', '=', 'open').execute();
    return rows.map((r) => Number(r.repo_id));
  }

  /**
   * Gives the bug to `login` if nobody holds it; false when someone does (another claim won). One
   * conditional update, then the history row: the same in one process or ten.
   */
  async claim(repoId: number, number: number, login: string, opts: { pinned?: boolean } = {}): Promise<boolean> {
    const at = this.now().getTime();
    return this.db.transaction().execute(async (trx) => {
      const taken = await trx
        .updateTable('triage_issues')
        .set({ claimed_by: login, claimed_by_key: key(login), claimed_at: at, claim_pinned: flag(opts.pinned ?? false), last_activity_at: at })
        .where('repo_id', '=', repoId)
        .where('number', '=', number)
        .where('claimed_by_key', 'is', null)
        .executeTakeFirst();
      if (touched(taken) !== 1) return false;
      await trx.insertInto('triage_claims').values({ repo_id: repoId, number, login, login_key: key(login), claimed_at: at }).execute();
      return true;
    });
  }

  /** `by`: the person who took the claim away, when it was not the claimer (their decision: see `releasedByOther`). */
  async release(repoId: number, number: number, reason: string, by?: string): Promise<void> {
    await this.db.transaction().execute((trx) => this.releaseIn(trx, repoId, number, reason, by));
  }

  private async releaseIn(trx: Transaction<any>, repoId: number, number: number, reason: string, by?: string): Promise<void> {
    await trx
      .updateTable('triage_issues')
      .set({ claimed_by: null, claimed_by_key: null, claimed_at: null, claim_pinned: 0 })
      .where('repo_id', '=', repoId)
      .where('number', '=', number)
      .execute();
    await trx
      .updateTable('triage_claims')
      .set({ released_at: this.now().getTime(), release_reason: reason.slice(0, 200), released_by: by ?? null })
      .where('repo_id', '=', repoId)
      .where('number', '=', number)
      .where('released_at', 'is', null)
      .execute();
  }

  /** Who took this person's latest claim on the bug away (a maintainer unassigning or /unclaiming them), if anyone. */
  async releasedByOther(repoId: number, number: number, login: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('triage_claims')
      .select('released_by')
      .where('repo_id', '=', repoId)
      .where('number', '=', number)
      .where('login_key', '=', key(login))
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return (row?.released_by as string | null) ?? undefined;
  }

  /** The issue was deleted or moved to another repository: release its claim and drop its row and links. */
  async forget(repoId: number, number: number, reason: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.releaseIn(trx, repoId, number, reason);
      await trx.deleteFrom('triage_issues').where('repo_id', '=', repoId).where('number', '=', number).execute();
      await trx.deleteFrom('triage_pr_links').where('repo_id', '=', repoId).where('issue_number', '=', number).execute();
    });
  }

  /** Closed or reopened (only for a bug already stored; its claim is kept, as on GitHub). */
  async setState(repoId: number, number: number, state: 'open' | 'closed'): Promise<void> {
    await this.db.updateTable('triage_issues').set({ state, updated_at: this.now().getTime() }).where('repo_id', '=', repoId).where('number', '=', number).execute();
  }

  async pinClaim(repoId: number, number: number): Promise<void> {
    await this.db.updateTable('triage_issues').set({ claim_pinned: 1 }).where('repo_id', '=', repoId).where('number', '=', number).execute();
  }

  /** The claimer did something on the bug (commented, opened a PR): the stale clock restarts. */
  async touch(repoId: number, number: number, login: string): Promise<void> {
    await touchClaim(this.db, this.now().getTime(), repoId, number, key(login));
  }

  /** The bugs claimed, and the claims released, in [since, until) (the agenda's week). */
  async claimsBetween(repoId: number, since: Date, until: Date): Promise<{ claimed: number[]; released: number[] }> {
    const [from, to] = [since.getTime(), until.getTime()];
    const claimed = await this.db.selectFrom('triage_claims').select('number').distinct().where('repo_id', '=', repoId).where('claimed_at', '>=', from).where('claimed_at', '<', to).orderBy('number').execute();
    const released = await this.db.selectFrom('triage_claims').select('number').distinct().where('repo_id', '=', repoId).where('released_at', '>=', from).where('released_at', '<', to).orderBy('number').execute();
    return { claimed: claimed.map((r) => r.number as number), released: released.map((r) => r.number as number) };
  }

  /** The bugs an open pull request links now (its description may have been edited); an empty list unlinks it. */
  async setPullRequestLinks(repoId: number, prNumber: number, author: string, issueNumbers: number[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('triage_pr_links').where('repo_id', '=', repoId).where('pr_number', '=', prNumber).execute();
      const rows = [...new Set(issueNumbers)].map((n) => ({ repo_id: repoId, issue_number: n, pr_number: prNumber, pr_author: author }));
      if (rows.length) await trx.insertInto('triage_pr_links').values(rows).onConflict((oc) => oc.columns(['repo_id', 'issue_number', 'pr_number']).doNothing()).execute();
    });
  }

  async hasLinkedPullRequest(repoId: number, issueNumber: number): Promise<boolean> {
    const row = await this.db.selectFrom('triage_pr_links').select('pr_number').where('repo_id', '=', repoId).where('issue_number', '=', issueNumber).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /** True when the repository has any stored issue (the board's 404 test, with the registry). */
  async hasIssues(repoId: number): Promise<boolean> {
    return (await this.db.selectFrom('triage_issues').select('number').where('repo_id', '=', repoId).limit(1).executeTakeFirst()) !== undefined;
  }

  /** Marks a person welcomed in a repository; false if they already were (in any process). */
  async markWelcomed(repoId: number, login: string): Promise<boolean> {
    const result = await this.db
      .insertInto('triage_welcomed')
      .values({ repo_id: repoId, login_key: key(login), login, at: this.now().getTime() })
      .onConflict((oc) => oc.columns(['repo_id', 'login_key']).doNothing())
      .executeTakeFirst();
    return touched(result) === 1;
  }

  async unmarkWelcomed(repoId: number, login: string): Promise<void> {
    await this.db.deleteFrom('triage_welcomed').where('repo_id', '=', repoId).where('login_key', '=', key(login)).execute();
  }
}

const stores = new WeakMap<object, TriageStore>();
/** The one TriageStore over a services' database. */
export function triageStoreFor(services: { store: { db: Kysely<any> }; now: () => Date }): TriageStore {
  let store = stores.get(services.store);
  if (!store) stores.set(services.store, (store = new TriageStore(services.store.db, services.now)));
  return store;
}
