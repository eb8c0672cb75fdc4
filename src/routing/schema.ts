import type { StoreMigration } from '../store/store.js';

/** The routing feature's tables (component 'routing'). */
export const routingMigrations: StoreMigration[] = [
  {
    component: 'routing',
    version: 1,
    description: 'routing: review requests (load), vacations, and per-pull-request marks (human overrides, routed subteams)',
    up(db) {
      db.exec(`
        CREATE TABLE routing_review_requests (
          repo TEXT NOT NULL, pr INTEGER NOT NULL, reviewer TEXT NOT NULL COLLATE NOCASE,
          subteams TEXT NOT NULL DEFAULT '',
          requested_by_bot INTEGER NOT NULL DEFAULT 0,
          state TEXT NOT NULL CHECK (state IN ('open', 'reviewed', 'removed', 'closed')),
          requested_at TEXT NOT NULL, updated_at TEXT NOT NULL,
          PRIMARY KEY (repo, pr, reviewer));
        CREATE INDEX routing_review_requests_by_state ON routing_review_requests (repo, state, reviewer);
        CREATE TABLE routing_vacations (login TEXT PRIMARY KEY COLLATE NOCASE, since TEXT NOT NULL);
        CREATE TABLE routing_marks (
          repo TEXT NOT NULL, pr INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('removed', 'unrouted', 'forced', 'routed', 'refused')),
          value TEXT NOT NULL COLLATE NOCASE, detail TEXT NOT NULL DEFAULT '', actor TEXT NOT NULL DEFAULT '', at TEXT NOT NULL,
          PRIMARY KEY (repo, pr, kind, value));`);
    },
  },
];
