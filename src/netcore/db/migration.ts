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
}
