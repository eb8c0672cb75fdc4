import { createHash } from 'node:crypto';
import type { SqliteDb, StoreMigration } from '../store/store.js';
import type { IssueRef, Octokit } from './types.js';
import { repoKey } from './types.js';

export const stickyCommentMigrations: StoreMigration[] = [
  {
    component: 'core',
    version: 2,
    description: 'sticky_comments: the one comment per (issue, purpose) the bot edits',
    up(db) {
      db.exec(`CREATE TABLE sticky_comments (
        repo TEXT NOT NULL, issue_number INTEGER NOT NULL, purpose TEXT NOT NULL,
        comment_id INTEGER NOT NULL, body_hash TEXT NOT NULL,
        PRIMARY KEY (repo, issue_number, purpose))`);
    },
  },
];

export const markerFor = (purpose: string): string => `<!-- netbot:${purpose} -->`;

export type StickyResult = { action: 'created' | 'updated' | 'unchanged' | 'withdrawn'; commentId: number };

/** Stored in place of a comment id once a person has deleted the bot's comment for that purpose. */
const DELETED_BY_A_PERSON = 0;

/**
 * One comment per purpose on an issue or pull request, found by a hidden marker and edited instead of
 * duplicated. The comment id is remembered in the store, so the usual case costs one call (or none when
 * the text is unchanged); without a stored id the marker is searched for, so nothing is posted twice.
 */
export class StickyComments {
  /** The last upsert per (repo, issue, purpose): two events handled at once must not both create the comment. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly db: SqliteDb) {}

  /** Creates or edits the comment; calls for the same issue and purpose run one after another. */
  upsert(octokit: Octokit, ref: IssueRef, purpose: string, body: string, opts: { issueHasNoComments?: boolean } = {}): Promise<StickyResult> {
    const key = `${repoKey(ref)}#${ref.issue_number}:${purpose}`;
    const previous = this.inFlight.get(key) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.write(octokit, ref, purpose, body, opts));
    this.inFlight.set(key, next);
    void next.finally(() => {
      if (this.inFlight.get(key) === next) this.inFlight.delete(key);
    }).catch(() => {});
    return next;
  }

  private async write(
    octokit: Octokit,
    ref: IssueRef,
    purpose: string,
    body: string,
    opts: { issueHasNoComments?: boolean } = {},
  ): Promise<StickyResult> {
    const marker = markerFor(purpose);
    const fullBody = `${marker}\n${body}`;
    const hash = digest(fullBody);
    const key = repoKey(ref);
    const row = this.db
      .prepare('SELECT comment_id, body_hash FROM sticky_comments WHERE repo = ? AND issue_number = ? AND purpose = ?')
      .get(key, ref.issue_number, purpose) as { comment_id: number; body_hash: string } | undefined;

    // A person deleted this comment: that is their decision, so the bot stays quiet on this purpose here.
    if (row?.comment_id === DELETED_BY_A_PERSON) return { action: 'withdrawn', commentId: DELETED_BY_A_PERSON };
    let commentId = row?.comment_id;
    if (commentId === undefined && !opts.issueHasNoComments) commentId = await this.findByMarker(octokit, ref, marker);
    if (commentId !== undefined && row?.body_hash === hash) return { action: 'unchanged', commentId };

    if (commentId !== undefined) {
      try {
        await octokit.rest.issues.updateComment({ owner: ref.owner, repo: ref.repo, comment_id: commentId, body: fullBody });
        this.remember(key, ref.issue_number, purpose, commentId, hash);
        return { action: 'updated', commentId };
      } catch (error) {
        if ((error as { status?: number }).status !== 404) throw error;
        this.remember(key, ref.issue_number, purpose, DELETED_BY_A_PERSON, hash);
        return { action: 'withdrawn', commentId: DELETED_BY_A_PERSON };
      }
    }
    const { data } = await octokit.rest.issues.createComment({ ...ref, body: fullBody });
    this.remember(key, ref.issue_number, purpose, data.id, hash);
    return { action: 'created', commentId: data.id };
  }

  private async findByMarker(octokit: Octokit, ref: IssueRef, marker: string): Promise<number | undefined> {
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { ...ref, per_page: 100 })) {
      const found = page.data.find((c) => c.body?.startsWith(marker) && c.user?.type === 'Bot');
      if (found) return found.id;
    }
    return undefined;
  }

  private remember(repo: string, issue: number, purpose: string, commentId: number, hash: string): void {
    this.db
      .prepare(
        `INSERT INTO sticky_comments (repo, issue_number, purpose, comment_id, body_hash) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (repo, issue_number, purpose) DO UPDATE SET comment_id = excluded.comment_id, body_hash = excluded.body_hash`,
      )
      .run(repo, issue, purpose, commentId, hash);
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
