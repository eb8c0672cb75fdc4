import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Locks } from '../core/locks.js';
import type { StoreMigration } from '../core/store/index.js';
import type { IssueRef, Octokit } from './types.js';
import { issueParams } from './types.js';

export const stickyCommentMigrations: StoreMigration[] = [
  {
    component: 'core',
    version: 2,
    description: 'sticky_comments: the one comment per (issue, purpose) the bot edits',
    async up(db) {
      await db.schema
        .createTable('sticky_comments')
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('issue_number', 'integer', (c) => c.notNull())
        .addColumn('purpose', 'varchar(200)', (c) => c.notNull())
        .addColumn('comment_id', 'bigint', (c) => c.notNull())
        .addColumn('body_hash', 'varchar(64)', (c) => c.notNull())
        .addPrimaryKeyConstraint('sticky_comments_pk', ['repo_id', 'issue_number', 'purpose'])
        .execute();
    },
  },
];

export const markerFor = (purpose: string): string => `<!-- netbot:${purpose} -->`;

export type StickyResult = { action: 'created' | 'updated' | 'unchanged' | 'withdrawn'; commentId: number };

/** An issue or pull request, with the repository id the store keys by. */
export type StoredIssueRef = IssueRef & { repoId: number };

/** Stored in place of a comment id once a person has deleted the bot's comment for that purpose. */
const DELETED_BY_A_PERSON = 0;

/**
 * One comment per purpose on an issue or pull request, found by a hidden marker and edited instead of
 * duplicated. The comment id is remembered in the store, so the usual case costs one call (or none when
 * the text is unchanged); without a stored id the marker is searched for, so nothing is posted twice.
 * Writes for one (issue, purpose) hold a lock in the store: two processes never both create it.
 */
export class StickyComments {
  constructor(
    private readonly db: Kysely<any>,
    private readonly locks: Locks,
  ) {}

  /** Creates or edits the comment; writes for the same issue and purpose run one after another. */
  upsert(octokit: Octokit, ref: StoredIssueRef, purpose: string, body: string, opts: { issueHasNoComments?: boolean } = {}): Promise<StickyResult> {
    return this.locks.withLock(`sticky:${ref.repoId}#${ref.issue_number}:${purpose}`, () => this.write(octokit, ref, purpose, body, opts));
  }

  /** Whether netbot has a comment of this purpose on record there (a person's deletion included). */
  async has(ref: StoredIssueRef, purpose: string): Promise<boolean> {
    return (await this.row(ref, purpose)) !== undefined;
  }

  private row(ref: StoredIssueRef, purpose: string) {
    return this.db
      .selectFrom('sticky_comments')
      .select(['comment_id', 'body_hash'])
      .where('repo_id', '=', ref.repoId)
      .where('issue_number', '=', ref.issue_number)
      .where('purpose', '=', purpose)
      .executeTakeFirst() as Promise<{ comment_id: number; body_hash: string } | undefined>;
  }

  private async write(octokit: Octokit, ref: StoredIssueRef, purpose: string, body: string, opts: { issueHasNoComments?: boolean }): Promise<StickyResult> {
    const marker = markerFor(purpose);
    const fullBody = `${marker}\n${body}`;
    const hash = digest(fullBody);
    const row = await this.row(ref, purpose);
    const stored = row === undefined ? undefined : Number(row.comment_id);

    // A person deleted this comment: that is their decision, so the bot stays quiet on this purpose here.
    if (stored === DELETED_BY_A_PERSON) return { action: 'withdrawn', commentId: DELETED_BY_A_PERSON };
    let commentId = stored;
    if (commentId === undefined && !opts.issueHasNoComments) commentId = await this.findByMarker(octokit, ref, marker);
    if (commentId !== undefined && row?.body_hash === hash) return { action: 'unchanged', commentId };

    const { owner, repo } = ref;
    if (commentId !== undefined) {
      try {
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body: fullBody });
        await this.remember(ref, purpose, commentId, hash);
        return { action: 'updated', commentId };
      } catch (error) {
        if ((error as { status?: number }).status !== 404) throw error;
        await this.remember(ref, purpose, DELETED_BY_A_PERSON, hash);
        return { action: 'withdrawn', commentId: DELETED_BY_A_PERSON };
      }
    }
    const { data } = await octokit.rest.issues.createComment({ ...issueParams(ref), body: fullBody });
    await this.remember(ref, purpose, data.id, hash);
    return { action: 'created', commentId: data.id };
  }

  private async findByMarker(octokit: Octokit, ref: StoredIssueRef, marker: string): Promise<number | undefined> {
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { ...issueParams(ref), per_page: 100 })) {
      const found = page.data.find((c) => c.body?.startsWith(marker) && c.user?.type === 'Bot');
      if (found) return found.id;
    }
    return undefined;
  }

  private async remember(ref: StoredIssueRef, purpose: string, commentId: number, hash: string): Promise<void> {
    await this.db
      .insertInto('sticky_comments')
      .values({ repo_id: ref.repoId, issue_number: ref.issue_number, purpose, comment_id: commentId, body_hash: hash })
      .onConflict((oc) => oc.columns(['repo_id', 'issue_number', 'purpose']).doUpdateSet({ comment_id: commentId, body_hash: hash }))
      .execute();
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
