import type { Db } from './connection.js';

/** Releases in order; every migration belongs to one. */
export const RELEASES = ['folsom', 'grizzly', 'havana', 'icehouse'] as const;
export type Release = (typeof RELEASES)[number];

/**
 * One step of netcore's single schema history (the same for every plugin).
 * `id` is unique and never changes once released; `up` runs inside a transaction.
 */
export interface Migration {
  id: string;
  release: Release;
  description: string;
  up(db: Db): void;
  /**
   * The step rebuilds tables (SQLite's create-copy-drop-rename ALTER procedure), so it must run with
   * foreign-key enforcement off: otherwise dropping the old table cascades into its children. The
   * runner then checks the whole database with PRAGMA foreign_key_check before committing. Other
   * steps run with enforcement on (deferred to commit), so their deletes cascade as the API's do.
   */
  rebuildsTables?: boolean;
}
