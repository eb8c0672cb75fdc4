import type { Migration } from '../migration.js';

/**
 * Data migration: routerports indexes each router's ports (interfaces and gateway) with their type,
 * filled from the ports the router owns (device_id = router, device_owner network:router_*), as
 * Neutron did when it added the table. One INSERT ... SELECT driven by routers through the
 * ports.device_id index, so a database with a million ports costs a lookup per router, not a scan.
 */
export const havanaRouterPorts: Migration = {
  id: 'havana_router_ports',
  release: 'havana',
  description: 'routerports, filled from the ports each router owns',
  up(db) {
    db.exec(`
      CREATE TABLE routerports (
        router_id TEXT NOT NULL REFERENCES routers (id) ON DELETE CASCADE,
        port_id TEXT PRIMARY KEY REFERENCES ports (id) ON DELETE CASCADE,
        port_type TEXT NOT NULL
      );
      CREATE INDEX routerports_router_id ON routerports (router_id);
      INSERT INTO routerports (router_id, port_id, port_type)
        SELECT r.id, p.id, p.device_owner
        FROM routers r JOIN ports p ON p.device_id = r.id
        WHERE p.device_owner LIKE 'network:router\\_%' ESCAPE '\\';
    `);
  },
};
