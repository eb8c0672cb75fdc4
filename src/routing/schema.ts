import type { StoreMigration } from '../store/store.js';

/** The routing feature's tables (component 'routing'). */
export const routingMigrations: StoreMigration[] = [];
