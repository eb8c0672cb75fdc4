import { agendaRoom } from './agenda/index.js';
import { checksRoom } from './checks/index.js';
import { configCheckRoom } from './config-check/index.js';
import { DEFAULT_CONFIG, parseConfig } from './config.js';
import type { Room } from './core/room.js';
import { openServices, type AppServices } from './core/services.js';
import { storeLocation } from './core/store/index.js';
import { routingRoom } from './routing/index.js';
import { triageRoom } from './triage/index.js';

export type { AppServices } from './core/services.js';

/** The app's rooms, in the order they are wired. */
export const ROOMS: readonly Room[] = [configCheckRoom, triageRoom, routingRoom, checksRoom, agendaRoom];

/**
 * The services over the store at `location` (an SQLite file, ':memory:', or a postgres:// URL; default:
 * DATABASE_URL, else NETBOT_DB, else ./data/netbot.sqlite), migrated with every room's tables.
 */
export function createServices(location = storeLocation(), opts: { now?: () => Date } = {}): Promise<AppServices> {
  return openServices(location, {
    config: { parse: parseConfig, defaults: DEFAULT_CONFIG },
    migrations: ROOMS.flatMap((room) => room.migrations),
    now: opts.now,
  });
}
