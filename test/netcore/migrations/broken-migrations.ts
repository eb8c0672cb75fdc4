// Plausible wrong versions of real migrations, each with a bug the migration test must catch. Each
// keeps the real migration's id so the real fixtures (seed/check) apply to it.
import type { Migration } from '../../../src/netcore/db/migration.js';
import { havanaLbaasSessionPersistence } from '../../../src/netcore/db/migrations/havana_lbaas_session_persistence.js';
import { havanaRouterPorts } from '../../../src/netcore/db/migrations/havana_router_ports.js';

/** Drops data: copies the persistence type but forgets the cookie name before dropping the columns. */
export const forgetsCookieName: Migration = {
  id: 'havana_lbaas_session_persistence',
  release: 'havana',
  description: 'broken: cookie names lost',
  rebuildsTables: true,
  up(db) {
    db.exec(`CREATE TABLE sessionpersistences_tmp AS SELECT 1`); // some unrelated noise first
    db.exec(`DROP TABLE sessionpersistences_tmp`);
    havanaLbaasSessionPersistence.up(db);
    db.exec(`UPDATE sessionpersistences SET cookie_name = NULL`);
  },
};

/** Drops data the fixture never mentions: "cleans up" router ports whose router is gone. */
export const deletesDanglingPorts: Migration = {
  id: 'havana_router_ports',
  release: 'havana',
  description: 'broken: deletes ports',
  up(db) {
    havanaRouterPorts.up(db);
    db.exec(`DELETE FROM ports WHERE device_owner LIKE 'network:router%' AND device_id NOT IN (SELECT id FROM routers)`);
  },
};

/** Schema out of sync: a "fast path" that builds routerports with CREATE TABLE AS when there is data to copy. */
export const ctasWhenData: Migration = {
  id: 'havana_router_ports',
  release: 'havana',
  description: 'broken: CREATE TABLE AS loses keys, constraints and the index when there is data',
  up(db) {
    const routers = (db.prepare(`SELECT count(*) AS n FROM routers`).get() as { n: number }).n;
    if (routers === 0) return havanaRouterPorts.up(db);
    db.exec(`CREATE TABLE routerports AS SELECT r.id AS router_id, p.id AS port_id, p.device_owner AS port_type FROM routers r JOIN ports p ON p.device_id = r.id WHERE p.device_owner LIKE 'network:router_%'`);
  },
};

/** A new step nobody wrote a fixture for. */
export const unchecked: Migration = {
  id: 'juno_unchecked',
  release: 'icehouse',
  description: 'adds a column with no seed/check',
  up(db) {
    db.exec(`ALTER TABLE routers ADD COLUMN ha INTEGER NOT NULL DEFAULT 0`);
  },
};
