import type { ApplicationFunctionOptions, Probot } from 'probot';
import type { AppServices } from '../services.js';

/** Wires the routing feature's webhook handlers (and HTTP handlers, if any). */
export function registerRouting(_app: Probot, _services: AppServices, _options: ApplicationFunctionOptions): void {}
