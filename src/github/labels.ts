import type { Kysely } from 'kysely';
import type { StoreMigration } from '../core/store/index.js';
import type { StoredIssueRef } from './sticky-comment.js';
import type { IssueRef, Octokit, RepoRef } from './types.js';
import { issueParams, repoKey, repoParams } from './types.js';

export const labelMigrations: StoreMigration[] = [
  {
    component: 'core',
    version: 7,
    description: 'label_vetoes: labels a human removed, which the bot never puts back',
    async up(db) {
      await db.schema
        .createTable('label_vetoes')
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('issue_number', 'integer', (c) => c.notNull())
        .addColumn('label_key', 'varchar(100)', (c) => c.notNull())
        .addColumn('label', 'varchar(100)', (c) => c.notNull())
        .addColumn('removed_by', 'varchar(100)', (c) => c.notNull())
        .addColumn('removed_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('label_vetoes_pk', ['repo_id', 'issue_number', 'label_key'])
        .execute();
    },
  },
];

export interface LabelSpec {
  name: string;
  color: string;
  description?: string;
}

/** Label names compare without case on GitHub. */
const labelKey = (name: string) => name.toLowerCase();

/**
 * Labels: creates the ones a repository lacks (with colour and description) once per process, adds only
 * those an issue is missing, and remembers labels a human removed so the bot never re-adds them.
 */
export class Labels {
  /** Labels known to exist per repository: a cache (a label created elsewhere meanwhile answers 422, which is fine). */
  private readonly ensured = new Map<string, Set<string>>();
  constructor(private readonly db: Kysely<any>) {}

  async ensure(octokit: Octokit, ref: RepoRef, specs: LabelSpec[]): Promise<void> {
    const key = repoKey(ref);
    let known = this.ensured.get(key);
    const wanted = specs.filter((s) => !known?.has(labelKey(s.name)));
    if (wanted.length === 0) return;
    if (!known) {
      known = new Set();
      this.ensured.set(key, known);
      const existing = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, { ...repoParams(ref), per_page: 100 });
      for (const l of existing) known.add(labelKey(l.name));
    }
    for (const spec of wanted) {
      if (known.has(labelKey(spec.name))) continue;
      try {
        await octokit.rest.issues.createLabel({ ...repoParams(ref), name: spec.name, color: spec.color, description: spec.description });
      } catch (error) {
        if ((error as { status?: number }).status !== 422) throw error; // 422: created meanwhile
      }
      known.add(labelKey(spec.name));
    }
  }

  /** Adds the labels the issue does not have yet and no human has vetoed; returns what was added. */
  async addMissing(octokit: Octokit, ref: StoredIssueRef, current: readonly string[], wanted: readonly string[]): Promise<string[]> {
    const have = new Set(current.map(labelKey));
    const candidates = [...new Set(wanted)].filter((l) => !have.has(labelKey(l)));
    const vetoed = await this.vetoed(ref, candidates);
    const toAdd = candidates.filter((l) => !vetoed.has(labelKey(l)));
    if (toAdd.length > 0) await octokit.rest.issues.addLabels({ ...issueParams(ref), labels: toAdd });
    return toAdd;
  }

  /** Removes a label the bot set, if present; a 404 (already gone) is fine. */
  async remove(octokit: Octokit, ref: IssueRef, current: readonly string[], name: string): Promise<boolean> {
    const onIssue = current.find((l) => labelKey(l) === labelKey(name)); // as the issue spells it
    if (onIssue === undefined) return false;
    try {
      await octokit.rest.issues.removeLabel({ ...issueParams(ref), name: onIssue });
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
    return true;
  }

  async recordVeto(ref: StoredIssueRef, label: string, removedBy: string, at = new Date()): Promise<void> {
    const values = { repo_id: ref.repoId, issue_number: ref.issue_number, label_key: labelKey(label), label, removed_by: removedBy, removed_at: at.getTime() };
    await this.db
      .insertInto('label_vetoes')
      .values(values)
      .onConflict((oc) => oc.columns(['repo_id', 'issue_number', 'label_key']).doUpdateSet({ removed_by: removedBy, removed_at: at.getTime() }))
      .execute();
  }

  /** A human put the label back (or asked for it by command): the veto ends. */
  async clearVeto(ref: StoredIssueRef, label: string): Promise<void> {
    await this.db.deleteFrom('label_vetoes').where('repo_id', '=', ref.repoId).where('issue_number', '=', ref.issue_number).where('label_key', '=', labelKey(label)).execute();
  }

  async isVetoed(ref: StoredIssueRef, label: string): Promise<boolean> {
    return (await this.vetoed(ref, [label])).size > 0;
  }

  /** Which of these labels a human removed from the issue (lower-case names). */
  async vetoed(ref: StoredIssueRef, labels: readonly string[]): Promise<Set<string>> {
    if (labels.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('label_vetoes')
      .select('label_key')
      .where('repo_id', '=', ref.repoId)
      .where('issue_number', '=', ref.issue_number)
      .where('label_key', 'in', labels.map(labelKey))
      .execute();
    return new Set(rows.map((r) => r.label_key as string));
  }
}
