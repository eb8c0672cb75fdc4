import type { StoreMigration } from '../store/store.js';

/** The triage feature's tables (component 'triage'). */
export const triageMigrations: StoreMigration[] = [
  {
    component: 'triage',
    version: 1,
    description: 'triage: issues (the board), claims history, PR links, repositories seen, people welcomed',
    up(db) {
      db.exec(`
        CREATE TABLE triage_issues (
          repo TEXT NOT NULL, number INTEGER NOT NULL, title TEXT NOT NULL, url TEXT NOT NULL, author TEXT NOT NULL,
          state TEXT NOT NULL, areas TEXT NOT NULL DEFAULT '[]', lhf INTEGER NOT NULL DEFAULT 0,
          score REAL, claimed_by TEXT, claimed_at TEXT, claim_pinned INTEGER NOT NULL DEFAULT 0,
          last_activity_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
          PRIMARY KEY (repo, number));
        CREATE INDEX triage_issues_claims ON triage_issues (repo, claimed_by);
        CREATE TABLE triage_claims (
          repo TEXT NOT NULL, number INTEGER NOT NULL, login TEXT NOT NULL, claimed_at TEXT NOT NULL,
          released_at TEXT, release_reason TEXT);
        CREATE TABLE triage_pr_links (
          repo TEXT NOT NULL, issue_number INTEGER NOT NULL, pr_number INTEGER NOT NULL, pr_author TEXT NOT NULL,
          PRIMARY KEY (repo, issue_number, pr_number));
        CREATE TABLE triage_repos (
          repo TEXT PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, installation_id INTEGER,
          config TEXT, seen_at TEXT NOT NULL);
        CREATE TABLE triage_welcomed (repo TEXT NOT NULL, login TEXT NOT NULL COLLATE NOCASE, at TEXT NOT NULL,
          PRIMARY KEY (repo, login));`);
    },
  },
  {
    component: 'triage',
    version: 2,
    description: 'triage: repository visibility (private repositories get no public board; NULL: not known yet)',
    up(db) {
      db.exec('ALTER TABLE triage_repos ADD COLUMN private INTEGER');
    },
  },
  {
    component: 'triage',
    version: 3,
    description: 'triage: who released a claim when it was not the claimer (a maintainer decision /claim does not undo)',
    up(db) {
      db.exec('ALTER TABLE triage_claims ADD COLUMN released_by TEXT');
    },
  },
];
