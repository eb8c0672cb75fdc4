import type { ApplicationFunctionOptions, Probot } from 'probot';
import type { AppServices } from './services.js';
import type { StoreMigration } from './store/index.js';

/**
 * A feature of the app. Each has the same shape: its tables' migrations, and `register`, which wires its
 * handlers (onEvent), commands (services.commands), jobs and schedules (services.runner) and pages.
 */
export interface Room {
  name: string;
  migrations: readonly StoreMigration[];
  register(app: Probot, services: AppServices, options: ApplicationFunctionOptions): void;
}
