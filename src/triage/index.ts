import type { ApplicationFunctionOptions, Probot } from 'probot';
import type { AppServices } from '../services.js';

/** Wires the triage feature's webhook handlers (and HTTP handlers, if any). */
export function registerTriage(_app: Probot, _services: AppServices, _options: ApplicationFunctionOptions): void {}
