import type { Migration } from '../migration.js';

/** The whole schema history, oldest first. Append only: never reorder or edit a released step. */
export const MIGRATIONS: Migration[] = [];
