import type { Kysely } from 'kysely';
import { touched } from '../../core/store/index.js';

/** Where an example came from: a person's decision on GitHub, or the backfill's reading of history. */
export type ExampleSource = 'label-added' | 'label-removed' | 'command' | 'fixed-by-newcomer' | 'area-labels' | 'backfill';

export interface ExampleInput {
  repoId: number;
  number: number;
  /** Once per event: a redelivery, a second process or a rerun of the backfill adds nothing. */
  eventKey: string;
  title: string;
  body: string;
  labels: string[];
  /** true: a starter; false: not one; undefined: the example says nothing about it (an area decision). */
  starter?: boolean;
  /** The subteam keys people labelled it with (undefined: says nothing about areas). */
  areas?: string[];
  source: ExampleSource;
  actor: string;
  at: Date;
}

export interface Example {
  number: number;
  title: string;
  body: string;
  labels: string[];
  starter: boolean | null;
  areas: string[] | null;
  source: ExampleSource;
  actor: string;
  at: string;
}

export interface StoredModel<M> {
  version: number;
  model: M;
  /** The examples it was fitted on: the newest example id then (a refit with nothing new is skipped). */
  examplesSeen: number;
  createdAt: string;
}

/** Models kept per repository and kind (older versions are dropped). */
const VERSIONS_KEPT = 5;

/**
 * The learning records: every labelled example people gave, and each repository's fitted models, versioned. A model
 * is read by every process from here (a process keeps the parsed model only while its version is the newest), so
 * all processes score with the same one; a new version is one conditional insert, so two fits at once store one.
 */
export class LearningStore {
  private readonly parsed = new Map<string, { version: number; value: StoredModel<unknown> }>();

  constructor(
    private readonly db: Kysely<any>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Adds an example; false when its event was recorded already. `replace`: the backfill refreshes its own row. */
  async addExample(e: ExampleInput, opts: { replace?: boolean } = {}): Promise<boolean> {
    const row = {
      repo_id: e.repoId,
      number: e.number,
      event_key: e.eventKey.slice(0, 200),
      title: e.title.slice(0, 1000),
      body: e.body.slice(0, 64_000),
      labels: JSON.stringify(e.labels),
      starter: e.starter === undefined ? null : e.starter ? 1 : 0,
      areas: e.areas === undefined ? null : JSON.stringify(e.areas),
      source: e.source,
      actor: e.actor.slice(0, 100),
      at: e.at.getTime(),
    };
    const result = await this.db
      .insertInto('triage_examples')
      .values(row)
      .onConflict((oc) => {
        const target = oc.columns(['repo_id', 'event_key']);
        return opts.replace ? target.doUpdateSet({ title: row.title, body: row.body, labels: row.labels, starter: row.starter, areas: row.areas, at: row.at }) : target.doNothing();
      })
      .executeTakeFirst();
    return touched(result) === 1;
  }

  /**
   * What the repository's people decided, one example per issue and question: the latest decision a person made
   * wins over what the backfill read from history, and a later decision over an earlier one.
   */
  async decisions(repoId: number): Promise<{ starter: Example[]; areas: Example[] }> {
    const rows = await this.db
      .selectFrom('triage_examples')
      .select(['number', 'title', 'body', 'labels', 'starter', 'areas', 'source', 'actor', 'at'])
      .where('repo_id', '=', repoId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    const starter = new Map<number, Example>();
    const areas = new Map<number, Example>();
    for (const r of rows) {
      const e: Example = {
        number: r.number as number,
        title: r.title as string,
        body: r.body as string,
        labels: JSON.parse(r.labels as string) as string[],
        starter: r.starter === null ? null : Number(r.starter) === 1,
        areas: r.areas === null ? null : (JSON.parse(r.areas as string) as string[]),
        source: r.source as ExampleSource,
        actor: r.actor as string,
        at: new Date(Number(r.at)).toISOString(),
      };
      for (const [map, known] of [[starter, e.starter !== null], [areas, e.areas !== null]] as const) {
        if (!known) continue;
        const before = map.get(e.number);
        // History read by the backfill never overrides a decision a person was seen making.
        if (before && before.source !== 'backfill' && e.source === 'backfill') continue;
        map.set(e.number, e);
      }
    }
    return { starter: [...starter.values()], areas: [...areas.values()] };
  }

  /** The newest example's id in the repository (0: none): a model fitted at this mark has seen every example. */
  async examplesMark(repoId: number): Promise<number> {
    const row = await this.db.selectFrom('triage_examples').select((eb) => eb.fn.max('id').as('mark')).where('repo_id', '=', repoId).executeTakeFirst();
    return Number(row?.mark ?? 0);
  }

  async reposWithExamples(): Promise<number[]> {
    const rows = await this.db.selectFrom('triage_examples').select('repo_id').distinct().execute();
    return rows.map((r) => Number(r.repo_id));
  }

  /** The repository's newest model of a kind. One small indexed read; the model itself is parsed once per version. */
  async latestModel<M>(repoId: number, kind: string): Promise<StoredModel<M> | undefined> {
    const head = await this.db
      .selectFrom('triage_models')
      .select(['version'])
      .where('repo_id', '=', repoId)
      .where('kind', '=', kind)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!head) return undefined;
    const version = Number(head.version);
    const key = `${repoId}:${kind}`;
    const cached = this.parsed.get(key);
    if (cached?.version === version) return cached.value as StoredModel<M>;
    const row = await this.db
      .selectFrom('triage_models')
      .select(['model', 'examples_seen', 'created_at'])
      .where('repo_id', '=', repoId)
      .where('kind', '=', kind)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) return undefined; // pruned between the two reads: the next call sees the newer one
    const value: StoredModel<M> = { version, model: JSON.parse(row.model as string) as M, examplesSeen: Number(row.examples_seen), createdAt: new Date(Number(row.created_at)).toISOString() };
    this.parsed.set(key, { version, value });
    return value;
  }

  /** Stores a new version; undefined when another process stored that version first (its model stands). */
  async saveModel(repoId: number, kind: string, model: unknown, examplesSeen: number): Promise<number | undefined> {
    const head = await this.db
      .selectFrom('triage_models')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('repo_id', '=', repoId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    const version = Number(head?.version ?? 0) + 1;
    const result = await this.db
      .insertInto('triage_models')
      .values({ repo_id: repoId, kind, version, model: JSON.stringify(model), examples_seen: examplesSeen, created_at: this.now().getTime() })
      .onConflict((oc) => oc.columns(['repo_id', 'kind', 'version']).doNothing())
      .executeTakeFirst();
    if (touched(result) !== 1) return undefined;
    await this.db.deleteFrom('triage_models').where('repo_id', '=', repoId).where('kind', '=', kind).where('version', '<=', version - VERSIONS_KEPT).execute();
    return version;
  }

  /** Drops the repository's models of a kind (too few examples left, or learning turned off): the built-in rules. */
  async dropModels(repoId: number, kind: string): Promise<void> {
    await this.db.deleteFrom('triage_models').where('repo_id', '=', repoId).where('kind', '=', kind).execute();
  }
}

const stores = new WeakMap<object, LearningStore>();
/** The one LearningStore over a services' database. */
export function learningStoreFor(services: { store: { db: Kysely<any> }; now: () => Date }): LearningStore {
  let store = stores.get(services.store);
  if (!store) stores.set(services.store, (store = new LearningStore(services.store.db, services.now)));
  return store;
}
