import type { ApplicationFunctionOptions, Probot } from 'probot';
import type { AppServices } from '../services.js';
import { registerRoutingCommentCommands } from './commands.js';
import { registerRoutingHandlers } from './handlers.js';

/** Wires the routing feature's webhook handlers: pull request events, load tracking, and comment commands. */
export function registerRouting(app: Probot, services: AppServices, _options: ApplicationFunctionOptions): void {
  registerRoutingHandlers(app, services);
  registerRoutingCommentCommands(app, services);
}
