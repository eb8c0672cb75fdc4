import { sql, type Kysely } from 'kysely';
import type { StoreDb } from './database.js';

/**
 * netbot 0.1 kept its state in SQLite tables keyed by "owner/repo", with ISO-8601 text timestamps and
 * COLLATE NOCASE logins, recorded in `schema_versions`. Opening such a store moves its tables aside (to
 * `legacy_*`), lets the migrations build today's schema, then copies every row across (times to epoch ms,
 * names to lower-case keys). Rows are keyed by GitHub's repository id, which 0.1 never stored: each
 * repository gets a provisional negative id, and the registry adopts its real id from the first webhook that
 * names it (RepoRegistry.remember). Dropped on purpose: the delivery records (GitHub redelivers for days at
 * most, and handlers are idempotent) and the config reports (at worst a bad config is reported once more).
 */
export const LEGACY_TABLES = [
  'deliveries',
  'sticky_comments',
  'label_vetoes',
  'config_reports',
  'triage_issues',
  'triage_claims',
  'triage_pr_links',
  'triage_repos',
  'triage_welcomed',
  'routing_review_requests',
  'routing_vacations',
  'routing_marks',
] as const;
const LEGACY_INDEXES = ['deliveries_received_at', 'triage_issues_claims', 'routing_review_requests_by_state'];

async function tableNames(db: Kysely<any>): Promise<Set<string>> {
  const rows = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(db);
  return new Set(rows.rows.map((r) => r.name));
}

/** Step 1, before the migrations: a 0.1 store's tables are moved aside. Returns whether there was one. */
export async function setAsideLegacyTables(store: StoreDb): Promise<boolean> {
  if (store.dialect !== 'sqlite') return false;
  const tables = await tableNames(store.db);
  if (!tables.has('schema_versions')) return false;
  await store.db.transaction().execute(async (trx) => {
    for (const index of LEGACY_INDEXES) await sql`DROP INDEX IF EXISTS ${sql.id(index)}`.execute(trx);
    for (const table of LEGACY_TABLES) {
      if (tables.has(table)) await sql`ALTER TABLE ${sql.id(table)} RENAME TO ${sql.id(`legacy_${table}`)}`.execute(trx);
    }
    await sql`DROP TABLE schema_versions`.execute(trx);
  });
  return true;
}

/** What an import copied, by table. */
export type LegacyImport = Record<string, number>;

const ms = (iso: unknown): number | null => {
  if (iso === null || iso === undefined || iso === '') return null;
  const t = Date.parse(String(iso));
  return Number.isNaN(t) ? null : t;
};
const lower = (s: unknown) => String(s).toLowerCase();

/**
 * Step 2, after the migrations: every row of the `legacy_*` tables copied into today's, in one transaction
 * (a crash before its end leaves the legacy tables to try again at the next start), then the legacy tables
 * dropped.
 */
export async function importLegacyRows(store: StoreDb): Promise<LegacyImport | undefined> {
  if (store.dialect !== 'sqlite') return undefined;
  const tables = await tableNames(store.db);
  const present = LEGACY_TABLES.filter((t) => tables.has(`legacy_${t}`));
  if (present.length === 0) return undefined;
  return store.db.transaction().execute(async (trx) => {
    const rows = async (table: string): Promise<Record<string, any>[]> =>
      tables.has(`legacy_${table}`) ? ((await sql`SELECT * FROM ${sql.id(`legacy_${table}`)} ORDER BY rowid`.execute(trx)).rows as Record<string, any>[]) : [];
    const copied: LegacyImport = {};
    const insert = async (table: string, values: Record<string, unknown>[]) => {
      copied[table] = values.length;
      for (let i = 0; i < values.length; i += 200) await trx.insertInto(table).values(values.slice(i, i + 200)).execute();
    };

    // Provisional repository ids, in a stable order: -1, -2, ... (real ids are positive).
    const repos = await rows('triage_repos');
    const keys = new Set<string>(repos.map((r) => lower(r.repo)));
    for (const table of present) {
      if (table === 'triage_repos' || table === 'routing_vacations' || table === 'deliveries') continue;
      for (const r of await rows(table)) if (r.repo) keys.add(lower(r.repo));
    }
    const ids = new Map([...keys].sort().map((key, i) => [key, -(i + 1)]));
    const idOf = (repo: unknown) => ids.get(lower(repo))!;
    const byKey = new Map(repos.map((r) => [lower(r.repo), r]));
    await insert(
      'repositories',
      [...ids].map(([key, id]) => {
        const known = byKey.get(key);
        const [owner, name] = known ? [known.owner, known.name] : key.split('/');
        return {
          repo_id: id,
          owner,
          name,
          name_key: key,
          installation_id: known?.installation_id ?? null,
          private: known?.private ?? null,
          html_url: null,
          config: known?.config ?? null,
          seen_at: ms(known?.seen_at) ?? Date.now(),
        };
      }),
    );
    await insert(
      'sticky_comments',
      (await rows('sticky_comments')).map((r) => ({ repo_id: idOf(r.repo), issue_number: r.issue_number, purpose: r.purpose, comment_id: r.comment_id, body_hash: r.body_hash })),
    );
    await insert(
      'label_vetoes',
      (await rows('label_vetoes')).map((r) => ({ repo_id: idOf(r.repo), issue_number: r.issue_number, label_key: lower(r.label), label: r.label, removed_by: r.removed_by, removed_at: ms(r.removed_at) ?? 0 })),
    );
    await insert(
      'triage_issues',
      (await rows('triage_issues')).map((r) => ({
        repo_id: idOf(r.repo),
        number: r.number,
        title: String(r.title).slice(0, 500),
        url: String(r.url).slice(0, 500),
        author: r.author,
        state: r.state,
        areas: r.areas,
        lhf: r.lhf,
        score: r.score,
        claimed_by: r.claimed_by,
        claimed_by_key: r.claimed_by === null ? null : lower(r.claimed_by),
        claimed_at: ms(r.claimed_at),
        claim_pinned: r.claim_pinned,
        last_activity_at: ms(r.last_activity_at),
        created_at: ms(r.created_at) ?? 0,
        updated_at: ms(r.updated_at) ?? 0,
      })),
    );
    await insert(
      'triage_claims',
      (await rows('triage_claims')).map((r) => ({
        repo_id: idOf(r.repo),
        number: r.number,
        login: r.login,
        login_key: lower(r.login),
        claimed_at: ms(r.claimed_at) ?? 0,
        released_at: ms(r.released_at),
        release_reason: r.release_reason === null ? null : String(r.release_reason).slice(0, 200),
        released_by: r.released_by ?? null,
      })),
    );
    await insert(
      'triage_pr_links',
      (await rows('triage_pr_links')).map((r) => ({ repo_id: idOf(r.repo), issue_number: r.issue_number, pr_number: r.pr_number, pr_author: r.pr_author })),
    );
    await insert('triage_welcomed', (await rows('triage_welcomed')).map((r) => ({ repo_id: idOf(r.repo), login_key: lower(r.login), login: r.login, at: ms(r.at) ?? 0 })));
    await insert(
      'routing_review_requests',
      (await rows('routing_review_requests')).map((r) => ({
        repo_id: idOf(r.repo),
        pr: r.pr,
        reviewer_key: lower(r.reviewer),
        reviewer: r.reviewer,
        subteams: r.subteams,
        requested_by_bot: r.requested_by_bot,
        state: r.state,
        requested_at: ms(r.requested_at) ?? 0,
        updated_at: ms(r.updated_at) ?? 0,
      })),
    );
    await insert('routing_vacations', (await rows('routing_vacations')).map((r) => ({ login_key: lower(r.login), login: r.login, since: ms(r.since) ?? 0 })));
    await insert(
      'routing_marks',
      (await rows('routing_marks')).map((r) => ({ repo_id: idOf(r.repo), pr: r.pr, kind: r.kind, value_key: lower(r.value), detail: r.detail, actor: r.actor, at: ms(r.at) ?? 0 })),
    );
    for (const table of present) await sql`DROP TABLE ${sql.id(`legacy_${table}`)}`.execute(trx);
    return copied;
  });
}
