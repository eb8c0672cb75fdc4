import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from 'probot';
import { registerCoreHandlers } from './core/handlers.js';
import type { Octokit } from './github/types.js';
import { createServices, ROOMS, type AppServices } from './services.js';

export interface AppOptions {
  /** The services to run on (tests pass their own store); default: the store DATABASE_URL or NETBOT_DB names. */
  services?: AppServices | Promise<AppServices>;
  /** Run durable jobs (the stale sweep, check runs, the agenda) in this process; default true. */
  worker?: boolean;
}

/** Builds the netbot Probot app: the floor's handlers, then each room's. */
export function createApp(opts: AppOptions = {}): ApplicationFunction {
  return async (app: Probot, options: ApplicationFunctionOptions) => {
    const services = await (opts.services ?? createServices());
    services.log ??= app.log;
    services.octokitFor ??= async (installationId) => (await app.auth(installationId)) as unknown as Octokit;
    registerCoreHandlers(app, services);
    const roomOptions = { ...options, addHandler: pageHandlerOrNothing(app, options) };
    for (const room of ROOMS) room.register(app, services, roomOptions);
    if (opts.worker ?? true) services.runner.start();
  };
}

/**
 * Where no HTTP server exists (`probot receive`, serverless adapters) Probot's addHandler throws: the app
 * still handles events, serves no pages, and says so once.
 */
function pageHandlerOrNothing(app: Probot, options: ApplicationFunctionOptions): ApplicationFunctionOptions['addHandler'] {
  let said = false;
  return (handler) => {
    try {
      options.addHandler(handler);
    } catch (error) {
      if (!said) app.log.info({ why: (error as Error).message }, 'no HTTP server here: netbot serves no pages (the starter-bug board) in this process');
      said = true;
    }
  };
}

/** The app function (package `main`): state in DATABASE_URL or NETBOT_DB (default ./data/netbot.sqlite). */
const netbot: ApplicationFunction = (app, options) => createApp()(app, options);
export default netbot;
