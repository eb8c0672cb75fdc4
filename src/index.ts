import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from 'probot';
import { registerConfigCheck } from './github/config-check.js';
import { registerRouting } from './routing/index.js';
import { createServices, type AppServices } from './services.js';
import { storePath } from './store/store.js';
import { registerTriage } from './triage/index.js';

/** Builds the netbot Probot app on the given services (tests pass their own store). */
export function createApp(services?: AppServices): ApplicationFunction {
  return (app: Probot, options: ApplicationFunctionOptions) => {
    const shared = services ?? createServices(storePath());
    shared.log ??= app.log;
    registerConfigCheck(app, shared);
    registerTriage(app, shared, options);
    registerRouting(app, shared, options);
  };
}

/** The app function (package `main`): state in NETBOT_DB, default ./data/netbot.sqlite. */
const netbot: ApplicationFunction = (app, options) => createApp()(app, options);
export default netbot;
