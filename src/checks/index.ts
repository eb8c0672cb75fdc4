import type { AppServices } from '../core/services.js';
import type { Room } from '../core/room.js';
import { registerChecksCommands } from './commands.js';
import { registerChecksHandlers } from './handlers.js';
import { defineRunJob, type RunJobObserver } from './job.js';
import { runnerSettings } from './runner/settings.js';
import { checksMigrations } from './schema.js';
import { checksStoreFor } from './store.js';

const observers = new WeakMap<AppServices, RunJobObserver>();
/** Hears each finished check job's figures (the bench). */
export function observeRunJobs(services: AppServices, observer: RunJobObserver): void {
  observers.set(services, observer);
}

/**
 * Checks: netcore's conformance suite and migration test on each pull request, as check runs: planned from the
 * changed files, run by durable jobs in a sandbox, reported with annotations, remembered for the gate health.
 */
export const checksRoom: Room = {
  name: 'checks',
  migrations: checksMigrations,
  register(app, services) {
    registerChecksHandlers(app, services);
    registerChecksCommands(services);
    defineRunJob(services, runnerSettings(), (result) => observers.get(services)?.(result));
    services.readModels.gateHealth = (repoId, since, until) => checksStoreFor(services).health(repoId, since, until);
  },
};
