import type { StoreMigration } from './store.js';
import { triageMigrations } from '../triage/schema.js';
import { routingMigrations } from '../routing/schema.js';

/** Each feature's own tables, versioned under its own component name. */
export const featureMigrations: StoreMigration[] = [...triageMigrations, ...routingMigrations];
