import { sql, type Kysely } from 'kysely';
import { flag, touched } from '../core/store/index.js';

/** A meeting's agenda as posted: its issue (or Discussion) and where it stands. */
export interface MeetingRow {
  meetingAt: number;
  kind: 'issue' | 'discussion';
  number: number | null;
  nodeId: string | null;
  url: string | null;
  postedAt: number;
  frozenAt: number | null;
  closedAt: number | null;
  bodyHash: string | null;
}

export interface Nomination {
  id: number;
  kind: 'topic' | 'announcement';
  text: string;
  target: { number: number; title: string; url: string; isPull: boolean };
  nominatedBy: string;
  createdAt: number;
}

export interface ActionItem {
  number: number;
  owner: string;
  text: string;
  raisedAt: number;
  raisedBy: string;
  raisedUrl: string | null;
  /** Where it came from (a command, a line of minutes, a line of an agenda): it is recorded once. */
  originKey: string;
  closedAt: number | null;
  closedBy: string | null;
  closedHow: 'done' | 'ticked' | null;
}

export interface Snapshot {
  meetingAt: number;
  counts: Record<string, number>;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

const toMeeting = (r: any): MeetingRow => ({
  meetingAt: Number(r.meeting_at),
  kind: r.kind,
  number: num(r.number),
  nodeId: r.node_id,
  url: r.url,
  postedAt: Number(r.posted_at),
  frozenAt: num(r.frozen_at),
  closedAt: num(r.closed_at),
  bodyHash: r.body_hash,
});

const toAction = (r: any): ActionItem => ({
  number: Number(r.number),
  owner: r.owner,
  text: r.text,
  raisedAt: Number(r.raised_at),
  raisedBy: r.raised_by,
  raisedUrl: r.raised_url,
  originKey: r.origin_key,
  closedAt: num(r.closed_at),
  closedBy: r.closed_by,
  closedHow: r.closed_how,
});

/** The agenda's tables, keyed by repository id. Each write that must have one winner is one conditional statement. */
export class AgendaStore {
  constructor(
    private readonly db: Kysely<any>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async meeting(repoId: number, meetingAt: number): Promise<MeetingRow | undefined> {
    const row = await this.db.selectFrom('agenda_meetings').selectAll().where('repo_id', '=', repoId).where('meeting_at', '=', meetingAt).executeTakeFirst();
    return row && toMeeting(row);
  }

  /** The last meeting before `meetingAt` that had an agenda. */
  async previousMeeting(repoId: number, meetingAt: number): Promise<MeetingRow | undefined> {
    const row = await this.db
      .selectFrom('agenda_meetings')
      .selectAll()
      .where('repo_id', '=', repoId)
      .where('meeting_at', '<', meetingAt)
      .orderBy('meeting_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toMeeting(row);
  }

  /** The meetings that had an agenda, oldest first (how many an action item has stayed open counts them). */
  async meetingTimes(repoId: number, before: number): Promise<number[]> {
    const rows = await this.db.selectFrom('agenda_meetings').select('meeting_at').where('repo_id', '=', repoId).where('meeting_at', '<=', before).orderBy('meeting_at').execute();
    return rows.map((r) => Number(r.meeting_at));
  }

  /** Records a posted agenda; false if the meeting already has one (another process posted it). */
  async recordMeeting(repoId: number, m: Pick<MeetingRow, 'meetingAt' | 'kind' | 'number' | 'nodeId' | 'url' | 'bodyHash'>): Promise<boolean> {
    const result = await this.db
      .insertInto('agenda_meetings')
      .values({ repo_id: repoId, meeting_at: m.meetingAt, kind: m.kind, number: m.number, node_id: m.nodeId, url: m.url, posted_at: this.now().getTime(), body_hash: m.bodyHash })
      .onConflict((oc) => oc.columns(['repo_id', 'meeting_at']).doNothing())
      .executeTakeFirst();
    return touched(result) === 1;
  }

  async setBodyHash(repoId: number, meetingAt: number, hash: string): Promise<void> {
    await this.db.updateTable('agenda_meetings').set({ body_hash: hash }).where('repo_id', '=', repoId).where('meeting_at', '=', meetingAt).execute();
  }

  /** Marks the agenda frozen (the meeting started); false if it already was. */
  freeze(repoId: number, meetingAt: number): Promise<boolean> {
    return this.stamp(repoId, meetingAt, 'frozen_at');
  }

  /** Marks the agenda closed; false if it already was (so it is closed on GitHub once). */
  markClosed(repoId: number, meetingAt: number): Promise<boolean> {
    return this.stamp(repoId, meetingAt, 'closed_at');
  }

  /** Sets a moment that happens once (frozen, closed): one conditional write, so one caller wins. */
  private async stamp(repoId: number, meetingAt: number, column: 'frozen_at' | 'closed_at'): Promise<boolean> {
    const result = await this.db
      .updateTable('agenda_meetings')
      .set({ [column]: this.now().getTime() })
      .where('repo_id', '=', repoId)
      .where('meeting_at', '=', meetingAt)
      .where(column, 'is', null)
      .executeTakeFirst();
    return touched(result) === 1;
  }

  async reopenClosed(repoId: number, meetingAt: number): Promise<void> {
    await this.db.updateTable('agenda_meetings').set({ closed_at: null }).where('repo_id', '=', repoId).where('meeting_at', '=', meetingAt).execute();
  }

  /** Adds a nomination; false when its source (one command of one comment) was recorded already. */
  async nominate(repoId: number, meetingAt: number, n: Omit<Nomination, 'id' | 'createdAt'>, sourceKey: string): Promise<boolean> {
    const result = await this.db
      .insertInto('agenda_nominations')
      .values({
        repo_id: repoId,
        meeting_at: meetingAt,
        kind: n.kind,
        text: n.text.slice(0, 600),
        target_number: n.target.number,
        target_title: n.target.title.slice(0, 300),
        target_url: n.target.url.slice(0, 500),
        target_is_pull: flag(n.target.isPull),
        nominated_by: n.nominatedBy,
        source_key: sourceKey.slice(0, 300),
        created_at: this.now().getTime(),
      })
      .onConflict((oc) => oc.columns(['repo_id', 'source_key']).doNothing())
      .executeTakeFirst();
    return touched(result) === 1;
  }

  async nominations(repoId: number, meetingAt: number): Promise<Nomination[]> {
    const rows = await this.db.selectFrom('agenda_nominations').selectAll().where('repo_id', '=', repoId).where('meeting_at', '=', meetingAt).orderBy('id').execute();
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      text: r.text,
      target: { number: r.target_number, title: r.target_title, url: r.target_url, isPull: r.target_is_pull === 1 },
      nominatedBy: r.nominated_by,
      createdAt: Number(r.created_at),
    }));
  }

  /**
   * Adds an action item with the repository's next number; undefined when its origin (a command, a line of
   * minutes, a line of an agenda) was recorded already. The number is taken in the insert itself (one
   * statement); two processes that still take the same one meet the unique number, and the loser tries again.
   */
  async addAction(repoId: number, a: { owner: string; text: string; originKey: string; raisedBy: string; raisedUrl?: string }): Promise<number | undefined> {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        const row = await this.db
          .insertInto('agenda_actions')
          .columns(['repo_id', 'number', 'owner', 'owner_key', 'text', 'origin_key', 'raised_at', 'raised_by', 'raised_url'])
          .expression((eb) =>
            eb
              .selectFrom('agenda_actions')
              .select([
                eb.val(repoId).as('repo_id'),
                sql<number>`coalesce(max(number), 0) + 1`.as('number'),
                eb.val(a.owner).as('owner'),
                eb.val(a.owner.toLowerCase()).as('owner_key'),
                eb.val(a.text.slice(0, 600)).as('text'),
                eb.val(a.originKey.slice(0, 300)).as('origin_key'),
                eb.val(this.now().getTime()).as('raised_at'),
                eb.val(a.raisedBy).as('raised_by'),
                eb.val(a.raisedUrl?.slice(0, 500) ?? null).as('raised_url'),
              ])
              .where('repo_id', '=', repoId),
          )
          .onConflict((oc) => oc.columns(['repo_id', 'origin_key']).doNothing())
          .returning('number')
          .executeTakeFirst();
        return row === undefined ? undefined : Number(row.number);
      } catch (error) {
        if (!/unique|duplicate/i.test(String((error as Error).message))) throw error; // another took this number: try the next
      }
    }
    throw new Error('agenda: could not number a new action item (too many at once)');
  }

  /** Closes an open action item: 'closed', 'already' (it was), or 'unknown' (no such number here). */
  async closeAction(repoId: number, number: number, by: string, how: 'done' | 'ticked'): Promise<'closed' | 'already' | 'unknown'> {
    const result = await this.db
      .updateTable('agenda_actions')
      .set({ closed_at: this.now().getTime(), closed_by: by, closed_how: how })
      .where('repo_id', '=', repoId)
      .where('number', '=', number)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    if (touched(result) === 1) return 'closed';
    const exists = await this.db.selectFrom('agenda_actions').select('number').where('repo_id', '=', repoId).where('number', '=', number).executeTakeFirst();
    return exists ? 'already' : 'unknown';
  }

  async action(repoId: number, number: number): Promise<ActionItem | undefined> {
    const row = await this.db.selectFrom('agenda_actions').selectAll().where('repo_id', '=', repoId).where('number', '=', number).executeTakeFirst();
    return row && toAction(row);
  }

  async actionByOrigin(repoId: number, originKey: string): Promise<ActionItem | undefined> {
    const row = await this.db.selectFrom('agenda_actions').selectAll().where('repo_id', '=', repoId).where('origin_key', '=', originKey.slice(0, 300)).executeTakeFirst();
    return row && toAction(row);
  }

  /** The open action items, and those closed since `closedSince` (the agenda shows what was done). */
  async actions(repoId: number, closedSince: number): Promise<ActionItem[]> {
    const rows = await this.db
      .selectFrom('agenda_actions')
      .selectAll()
      .where('repo_id', '=', repoId)
      .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', closedSince)]))
      .orderBy('number')
      .execute();
    return rows.map(toAction);
  }

  /** Keeps a meeting's counts (the last write for a meeting wins: it is the latest look at GitHub). */
  async snapshot(repoId: number, meetingAt: number, counts: Record<string, number>): Promise<void> {
    const text = JSON.stringify(counts);
    const at = this.now().getTime();
    await this.db
      .insertInto('agenda_snapshots')
      .values({ repo_id: repoId, meeting_at: meetingAt, counts: text, taken_at: at })
      .onConflict((oc) => oc.columns(['repo_id', 'meeting_at']).doUpdateSet({ counts: text, taken_at: at }))
      .execute();
  }

  /** The last `limit` snapshots of meetings before `meetingAt`, oldest first. */
  async snapshots(repoId: number, meetingAt: number, limit: number): Promise<Snapshot[]> {
    const rows = await this.db
      .selectFrom('agenda_snapshots')
      .select(['meeting_at', 'counts'])
      .where('repo_id', '=', repoId)
      .where('meeting_at', '<', meetingAt)
      .orderBy('meeting_at', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map((r) => ({ meetingAt: Number(r.meeting_at), counts: JSON.parse(r.counts) }));
  }
}

const stores = new WeakMap<object, AgendaStore>();
/** The one AgendaStore over a services' database. */
export function agendaStoreFor(services: { store: { db: Kysely<any> }; now: () => Date }): AgendaStore {
  let store = stores.get(services.store);
  if (!store) stores.set(services.store, (store = new AgendaStore(services.store.db, services.now)));
  return store;
}
