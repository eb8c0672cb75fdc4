import type { Probot } from 'probot';
import { registerCommandDispatch } from './commands.js';
import { onEvent } from './on-event.js';
import type { AppServices } from './services.js';

/** The floor's own handlers: the one command dispatch for every room, and the registry's repository events. */
export function registerCoreHandlers(app: Probot, services: AppServices): void {
  registerCommandDispatch(app, services);
  // onEvent records the repository of every event: these make sure a rename, transfer or visibility change is seen.
  onEvent(
    app,
    services,
    ['repository.renamed', 'repository.transferred', 'repository.privatized', 'repository.publicized'],
    'core.repository',
    async (context, env) => env.decide(`repository ${context.payload.action}: registry updated`),
    { kind: 'record' },
  );
}
