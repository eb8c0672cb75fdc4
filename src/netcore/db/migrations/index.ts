import type { Migration } from '../migration.js';
import { folsomCore } from './folsom_core.js';
import { icehouseIpv6Modes } from './icehouse_ipv6_modes.js';

/** The whole schema history, oldest first. Append only: never reorder or edit a released step. */
export const MIGRATIONS: Migration[] = [
  folsomCore,
  // grizzly and havana steps go here, before the icehouse ones
  icehouseIpv6Modes,
];
