import type { Kysely } from 'kysely';
import { flag, type StoreMigration } from './store/index.js';

export const repoMigrations: StoreMigration[] = [
  {
    component: 'core',
    version: 4,
    description: 'repositories: the registry (installation, visibility, last valid config), keyed by GitHub repository id',
    async up(db) {
      await db.schema
        .createTable('repositories')
        .addColumn('repo_id', 'bigint', (c) => c.primaryKey())
        .addColumn('owner', 'varchar(100)', (c) => c.notNull())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('name_key', 'varchar(300)', (c) => c.notNull())
        .addColumn('installation_id', 'bigint')
        .addColumn('private', 'integer')
        .addColumn('html_url', 'varchar(500)')
        .addColumn('config', 'text')
        .addColumn('seen_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('repositories_name_key').on('repositories').column('name_key').execute();
    },
  },
];

/** A repository as the registry knows it. */
export interface KnownRepo {
  repoId: number;
  owner: string;
  repo: string;
  installationId: number | null;
  /** null: not known yet (the board serves only repositories known to be public). */
  isPrivate: boolean | null;
  /** The repository's web address (GitHub Enterprise included), when a webhook told it. */
  htmlUrl: string | null;
  /** The last config that validated there (raw, as parsed), if any. */
  config: unknown;
}

/** What a webhook tells of its repository. */
export interface RepoSighting {
  repoId: number;
  owner: string;
  repo: string;
  installationId?: number;
  isPrivate?: boolean;
  htmlUrl?: string;
}

interface Row {
  repo_id: number;
  owner: string;
  name: string;
  installation_id: number | null;
  private: number | null;
  html_url: string | null;
  config: string | null;
}

const fromRow = (r: Row): KnownRepo => ({
  repoId: Number(r.repo_id),
  owner: r.owner,
  repo: r.name,
  installationId: r.installation_id === null ? null : Number(r.installation_id),
  isPrivate: r.private === null ? null : r.private === 1,
  htmlUrl: r.html_url,
  config: r.config === null ? undefined : JSON.parse(r.config),
});

export const nameKey = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();

/**
 * The repositories the app has seen, keyed by GitHub's repository id: a rename or transfer changes the
 * name here and orphans nothing. Scheduled work (the stale sweep, the agenda) finds its installation and
 * config here; the board its visibility.
 */
export class RepoRegistry {
  constructor(
    private readonly db: Kysely<any>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records a sighting; fields the sighting lacks keep their stored value. */
  async remember(s: RepoSighting, config?: unknown): Promise<void> {
    const row = {
      repo_id: s.repoId,
      owner: s.owner,
      name: s.repo,
      name_key: nameKey(s.owner, s.repo),
      installation_id: s.installationId ?? null,
      private: s.isPrivate === undefined ? null : flag(s.isPrivate),
      html_url: s.htmlUrl ?? null,
      config: config === undefined ? null : JSON.stringify(config),
      seen_at: this.now().getTime(),
    };
    await this.db
      .insertInto('repositories')
      .values(row)
      .onConflict((oc) =>
        oc.column('repo_id').doUpdateSet((eb) => ({
          owner: eb.ref('excluded.owner'),
          name: eb.ref('excluded.name'),
          name_key: eb.ref('excluded.name_key'),
          installation_id: eb.fn.coalesce('excluded.installation_id', 'repositories.installation_id'),
          private: eb.fn.coalesce('excluded.private', 'repositories.private'),
          html_url: eb.fn.coalesce('excluded.html_url', 'repositories.html_url'),
          config: eb.fn.coalesce('excluded.config', 'repositories.config'),
          seen_at: eb.ref('excluded.seen_at'),
        })),
      )
      .execute();
  }

  async setVisibility(repoId: number, isPrivate: boolean): Promise<void> {
    await this.db.updateTable('repositories').set({ private: flag(isPrivate) }).where('repo_id', '=', repoId).execute();
  }

  async get(repoId: number): Promise<KnownRepo | undefined> {
    const row = (await this.db.selectFrom('repositories').selectAll().where('repo_id', '=', repoId).executeTakeFirst()) as Row | undefined;
    return row && fromRow(row);
  }

  /** By owner/name (any case): the one most recently seen under that name. */
  async byName(owner: string, repo: string): Promise<KnownRepo | undefined> {
    const row = (await this.db
      .selectFrom('repositories')
      .selectAll()
      .where('name_key', '=', nameKey(owner, repo))
      .orderBy('seen_at', 'desc')
      .limit(1)
      .executeTakeFirst()) as Row | undefined;
    return row && fromRow(row);
  }

  async all(): Promise<KnownRepo[]> {
    const rows = (await this.db.selectFrom('repositories').selectAll().orderBy('name_key').execute()) as Row[];
    return rows.map(fromRow);
  }
}
