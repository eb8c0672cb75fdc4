import type { Room } from '../core/room.js';
import { boardHandler } from './board.js';
import { registerTriageCommands } from './commands.js';
import { registerIssueHandlers } from './handlers.js';
import { registerLearningHandlers } from './learn/events.js';
import { registerLearningJobs } from './learn/jobs.js';
import { registerRecordHandlers } from './records.js';
import { triageMigrations } from './schema.js';
import { triageStoreFor } from './store.js';
import { registerSweep } from './sweep.js';

/** Triage: starter bugs (areas, low-hanging fruit, claims, welcome), the board page, and the stale-claim sweep. */
export const triageRoom: Room = {
  name: 'triage',
  migrations: triageMigrations,
  register(app, services, options) {
    registerIssueHandlers(app, services);
    registerRecordHandlers(app, services);
    registerLearningHandlers(app, services);
    registerLearningJobs(services);
    registerTriageCommands(services);
    registerSweep(services);
    services.readModels.starterClaims = (repoId, since, until) => triageStoreFor(services).claimsBetween(repoId, since, until);
    if (options.addHandler) options.addHandler(boardHandler(services));
  },
};
