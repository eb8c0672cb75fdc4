import type { Room } from '../core/room.js';
import { registerRoutingCommands } from './commands.js';
import { registerRoutingHandlers } from './handlers.js';
import { routingMigrations } from './schema.js';
import { routingStoreFor } from './store.js';

/** Routing: pull requests to subteams to reviewers, the load records, and the routing commands. */
export const routingRoom: Room = {
  name: 'routing',
  migrations: routingMigrations,
  register(app, services) {
    registerRoutingHandlers(app, services);
    registerRoutingCommands(services);
    services.readModels.reviewLoad = (repoId) => routingStoreFor(services).load(repoId);
  },
};
