import type { StoreMigration } from '../store/store.js';

/** The triage feature's tables (component 'triage'). */
export const triageMigrations: StoreMigration[] = [];
