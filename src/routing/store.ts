import { sql, type Kysely } from 'kysely';

/**
 * - removed: a reviewer a human took off the pull request (never asked again there);
 * - unrouted / forced: subteams a human took off (`/unroute`) or added (`/route`);
 * - routed: the subteams of the last routing, to tell whether new commits changed them;
 * - refused: reviewers GitHub would not accept (e.g. not a collaborator), with its message.
 */
export const MARK_KINDS = ['removed', 'unrouted', 'forced', 'routed', 'refused'] as const;
export type MarkKind = (typeof MARK_KINDS)[number];
export const REQUEST_STATES = ['open', 'reviewed', 'removed', 'closed'] as const;

export interface OpenRequest {
  reviewer: string;
  pr: number;
  subteams: string[];
  requestedByBot: boolean;
  requestedAt: string;
}

const split = (s: string) => (s === '' ? [] : s.split(','));
const key = (login: string) => login.toLowerCase();
const T = 'routing_review_requests';

/** Routing's state: review requests (whose open ones are each reviewer's load), vacations, and marks per pull request. */
export class RoutingStore {
  constructor(
    private readonly db: Kysely<any>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Open review requests per reviewer (lower-case) in a repository. */
  async load(repoId: number): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom(T)
      .select(['reviewer_key', (eb) => eb.fn.countAll<number>().as('n')])
      .where('repo_id', '=', repoId)
      .where('state', '=', 'open')
      .groupBy('reviewer_key')
      .execute();
    return new Map(rows.map((r) => [r.reviewer_key as string, Number(r.n)]));
  }

  async openRequests(repoId: number, pr?: number): Promise<OpenRequest[]> {
    let q = this.db
      .selectFrom(T)
      .select(['reviewer', 'pr', 'subteams', 'requested_by_bot', 'requested_at'])
      .where('repo_id', '=', repoId)
      .where('state', '=', 'open');
    if (pr !== undefined) q = q.where('pr', '=', pr);
    const rows = await q.orderBy('reviewer_key').orderBy('pr').execute();
    return rows.map((r) => ({
      reviewer: r.reviewer,
      pr: r.pr,
      subteams: split(r.subteams),
      requestedByBot: r.requested_by_bot === 1,
      requestedAt: new Date(Number(r.requested_at)).toISOString(),
    }));
  }

  async reviewedBy(repoId: number, pr: number): Promise<string[]> {
    const rows = await this.db.selectFrom(T).select('reviewer').where('repo_id', '=', repoId).where('pr', '=', pr).where('state', '=', 'reviewed').execute();
    return rows.map((r) => r.reviewer as string);
  }

  /**
   * A review request is open (asked by the bot or a human). The bot's subteams are kept when its open request
   * is seen again; once that request was withdrawn or answered, a person asking again makes it theirs (so
   * `/unroute` never withdraws it).
   */
  async requested(repoId: number, pr: number, reviewer: string, opts: { byBot: boolean; subteams?: string[] }): Promise<void> {
    const at = this.now().getTime();
    const finished = sql`${sql.ref(`${T}.state`)} in ('removed', 'reviewed')`;
    await this.db
      .insertInto(T)
      .values({
        repo_id: repoId,
        pr,
        reviewer_key: key(reviewer),
        reviewer,
        subteams: (opts.subteams ?? []).join(','),
        requested_by_bot: opts.byBot ? 1 : 0,
        state: 'open',
        requested_at: at,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.columns(['repo_id', 'pr', 'reviewer_key']).doUpdateSet({
          subteams: sql`case when excluded.subteams <> '' then excluded.subteams when ${finished} then '' else ${sql.ref(`${T}.subteams`)} end`,
          requested_by_bot: sql`case when ${finished} or excluded.requested_by_bot > ${sql.ref(`${T}.requested_by_bot`)} then excluded.requested_by_bot else ${sql.ref(`${T}.requested_by_bot`)} end`,
          requested_at: sql`case when ${sql.ref(`${T}.state`)} = 'open' then ${sql.ref(`${T}.requested_at`)} else excluded.requested_at end`,
          state: 'open',
          updated_at: at,
        }),
      )
      .execute();
  }

  /** Sets the subteams a bot request stands for (e.g. after `/unroute` dropped one of them). */
  async setSubteams(repoId: number, pr: number, reviewer: string, subteams: string[]): Promise<void> {
    await this.db.updateTable(T).set({ subteams: subteams.join(',') }).where('repo_id', '=', repoId).where('pr', '=', pr).where('reviewer_key', '=', key(reviewer)).execute();
  }

  /** A submitted review frees the reviewer's slot (and marks them as having reviewed). */
  async reviewed(repoId: number, pr: number, reviewer: string): Promise<void> {
    const at = this.now().getTime();
    await this.db
      .insertInto(T)
      .values({ repo_id: repoId, pr, reviewer_key: key(reviewer), reviewer, state: 'reviewed', requested_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['repo_id', 'pr', 'reviewer_key']).doUpdateSet({ state: 'reviewed', updated_at: at }))
      .execute();
  }

  /** The request was withdrawn; returns whether the bot had made it. */
  async removed(repoId: number, pr: number, reviewer: string): Promise<boolean> {
    const row = await this.db.selectFrom(T).select('requested_by_bot').where('repo_id', '=', repoId).where('pr', '=', pr).where('reviewer_key', '=', key(reviewer)).executeTakeFirst();
    await this.db
      .updateTable(T)
      .set({ state: 'removed', updated_at: this.now().getTime() })
      .where('repo_id', '=', repoId)
      .where('pr', '=', pr)
      .where('reviewer_key', '=', key(reviewer))
      .where('state', '=', 'open')
      .execute();
    return row?.requested_by_bot === 1;
  }

  /** A closed pull request frees all its slots. */
  async closed(repoId: number, pr: number): Promise<number> {
    const result = await this.db
      .updateTable(T)
      .set({ state: 'closed', updated_at: this.now().getTime() })
      .where('repo_id', '=', repoId)
      .where('pr', '=', pr)
      .where('state', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async setVacation(login: string, on: boolean): Promise<void> {
    if (!on) {
      await this.db.deleteFrom('routing_vacations').where('login_key', '=', key(login)).execute();
      return;
    }
    await this.db
      .insertInto('routing_vacations')
      .values({ login_key: key(login), login, since: this.now().getTime() })
      .onConflict((oc) => oc.column('login_key').doNothing())
      .execute();
  }

  /** Reviewers away by command (lower-case). */
  async vacations(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('routing_vacations').select('login_key').execute();
    return new Set(rows.map((r) => r.login_key as string));
  }

  async mark(repoId: number, pr: number, kind: MarkKind, value: string, opts: { actor?: string; detail?: string } = {}): Promise<void> {
    const values = { repo_id: repoId, pr, kind, value_key: key(value), detail: (opts.detail ?? '').slice(0, 1000), actor: opts.actor ?? '', at: this.now().getTime() };
    await this.db
      .insertInto('routing_marks')
      .values(values)
      .onConflict((oc) => oc.columns(['repo_id', 'pr', 'kind', 'value_key']).doUpdateSet({ detail: values.detail, actor: values.actor, at: values.at }))
      .execute();
  }

  async unmark(repoId: number, pr: number, kind: MarkKind, value: string): Promise<void> {
    await this.db.deleteFrom('routing_marks').where('repo_id', '=', repoId).where('pr', '=', pr).where('kind', '=', kind).where('value_key', '=', key(value)).execute();
  }

  /** Marks of a kind on a pull request: value (lower-case) → detail. */
  async marks(repoId: number, pr: number, kind: MarkKind): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('routing_marks')
      .select(['value_key', 'detail'])
      .where('repo_id', '=', repoId)
      .where('pr', '=', pr)
      .where('kind', '=', kind)
      .orderBy('at')
      .orderBy('value_key')
      .execute();
    return new Map(rows.map((r) => [r.value_key as string, r.detail as string]));
  }

  /** The subteams of the latest routing, or undefined if this pull request was never routed. */
  async routed(repoId: number, pr: number): Promise<string[] | undefined> {
    const marks = await this.marks(repoId, pr, 'routed');
    return marks.size === 0 ? undefined : [...marks.keys()].filter((k) => k !== '');
  }

  async setRouted(repoId: number, pr: number, keys: string[]): Promise<void> {
    const at = this.now().getTime();
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('routing_marks').where('repo_id', '=', repoId).where('pr', '=', pr).where('kind', '=', 'routed').execute();
      // An empty value records "routed to no subteam", so a later change is still seen as one.
      const rows = [...new Set(keys.length > 0 ? keys.map(key) : [''])].map((value) => ({ repo_id: repoId, pr, kind: 'routed', value_key: value, detail: '', actor: '', at }));
      await trx.insertInto('routing_marks').values(rows).execute();
    });
  }
}

const stores = new WeakMap<object, RoutingStore>();
/** The one RoutingStore over a services' database. */
export function routingStoreFor(services: { store: { db: Kysely<any> }; now: () => Date }): RoutingStore {
  let store = stores.get(services.store);
  if (!store) stores.set(services.store, (store = new RoutingStore(services.store.db, services.now)));
  return store;
}
