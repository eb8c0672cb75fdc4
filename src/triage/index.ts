import type { ApplicationFunctionOptions, Probot } from 'probot';
import type { AppServices } from '../services.js';
import { boardHandler } from './board.js';
import { registerCommandHandlers } from './commands.js';
import { registerIssueHandlers } from './handlers.js';
import { registerRecordHandlers } from './records.js';
import { scheduleSweep } from './sweep.js';

/** Wires the triage feature: webhook handlers, the starter-bug board page, and the hourly stale-claim sweep. */
export function registerTriage(app: Probot, services: AppServices, options: ApplicationFunctionOptions): void {
  registerIssueHandlers(app, services);
  registerRecordHandlers(app, services);
  registerCommandHandlers(app, services);
  options.addHandler?.(boardHandler(services));
  scheduleSweep({ services, octokitFor: (installationId) => app.auth(installationId) });
}
