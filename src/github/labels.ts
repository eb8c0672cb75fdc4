import type { SqliteDb, StoreMigration } from '../store/store.js';
import type { IssueRef, Octokit, RepoRef } from './types.js';
import { repoKey } from './types.js';

export const labelMigrations: StoreMigration[] = [
  {
    component: 'core',
    version: 3,
    description: 'label_vetoes: labels a human removed, which the bot never puts back',
    up(db) {
      db.exec(`CREATE TABLE label_vetoes (
        repo TEXT NOT NULL, issue_number INTEGER NOT NULL, label TEXT NOT NULL COLLATE NOCASE,
        removed_by TEXT NOT NULL, removed_at TEXT NOT NULL,
        PRIMARY KEY (repo, issue_number, label))`);
    },
  },
];

export interface LabelSpec {
  name: string;
  color: string;
  description?: string;
}

/**
 * Labels: creates the ones a repository lacks (with colour and description) once per process, adds only
 * those an issue is missing, and remembers labels a human removed so the bot never re-adds them.
 */
export class Labels {
  private readonly ensured = new Map<string, Set<string>>();
  constructor(private readonly db: SqliteDb) {}

  async ensure(octokit: Octokit, ref: RepoRef, specs: LabelSpec[]): Promise<void> {
    const key = repoKey(ref);
    let known = this.ensured.get(key);
    const wanted = specs.filter((s) => !known?.has(s.name.toLowerCase()));
    if (wanted.length === 0) return;
    if (!known) {
      known = new Set();
      this.ensured.set(key, known);
      const existing = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, { ...ref, per_page: 100 });
      for (const l of existing) known.add(l.name.toLowerCase());
    }
    for (const spec of wanted) {
      if (known.has(spec.name.toLowerCase())) continue;
      try {
        await octokit.rest.issues.createLabel({ ...ref, name: spec.name, color: spec.color, description: spec.description });
      } catch (error) {
        if ((error as { status?: number }).status !== 422) throw error; // 422: created meanwhile
      }
      known.add(spec.name.toLowerCase());
    }
  }

  /** Adds the labels the issue does not have yet and no human has vetoed; returns what was added. */
  async addMissing(octokit: Octokit, ref: IssueRef, current: readonly string[], wanted: readonly string[]): Promise<string[]> {
    const have = new Set(current.map((l) => l.toLowerCase()));
    const toAdd = [...new Set(wanted)].filter((l) => !have.has(l.toLowerCase()) && !this.isVetoed(ref, l));
    if (toAdd.length > 0) await octokit.rest.issues.addLabels({ ...ref, labels: toAdd });
    return toAdd;
  }

  /** Removes a label the bot set, if present; a 404 (already gone) is fine. */
  async remove(octokit: Octokit, ref: IssueRef, current: readonly string[], name: string): Promise<boolean> {
    const onIssue = current.find((l) => l.toLowerCase() === name.toLowerCase()); // as the issue spells it
    if (onIssue === undefined) return false;
    try {
      await octokit.rest.issues.removeLabel({ ...ref, name: onIssue });
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
    return true;
  }

  recordVeto(ref: IssueRef, label: string, removedBy: string, at = new Date()): void {
    this.db
      .prepare(
        `INSERT INTO label_vetoes (repo, issue_number, label, removed_by, removed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET removed_by = excluded.removed_by, removed_at = excluded.removed_at`,
      )
      .run(repoKey(ref), ref.issue_number, label, removedBy, at.toISOString());
  }

  /** A human put the label back (or asked for it by command): the veto ends. */
  clearVeto(ref: IssueRef, label: string): void {
    this.db.prepare('DELETE FROM label_vetoes WHERE repo = ? AND issue_number = ? AND label = ?').run(repoKey(ref), ref.issue_number, label);
  }

  isVetoed(ref: IssueRef, label: string): boolean {
    return (
      this.db.prepare('SELECT 1 FROM label_vetoes WHERE repo = ? AND issue_number = ? AND label = ?').get(repoKey(ref), ref.issue_number, label) !==
      undefined
    );
  }
}
