import type { Migration } from '../migration.js';

/**
 * L3 as in Quantum Folsom: routers (with an optional external gateway port) and floating IPs. A
 * router's interfaces are ports whose device_id is the router and device_owner network:router_*;
 * the routerports table that indexes them arrives later (havana_router_ports).
 */
export const folsomL3: Migration = {
  id: 'folsom_l3',
  release: 'folsom',
  description: 'routers and floatingips (router interfaces are ports owned by network:router_interface)',
  up(db) {
    db.exec(`
      CREATE TABLE routers (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        admin_state_up INTEGER NOT NULL,
        gw_port_id TEXT REFERENCES ports (id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX routers_project_id ON routers (project_id);

      CREATE TABLE floatingips (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        floating_ip_address TEXT NOT NULL,
        floating_network_id TEXT NOT NULL REFERENCES networks (id),
        floating_port_id TEXT NOT NULL REFERENCES ports (id) ON DELETE CASCADE,
        fixed_port_id TEXT REFERENCES ports (id),
        fixed_ip_address TEXT,
        router_id TEXT REFERENCES routers (id),
        status TEXT NOT NULL DEFAULT 'DOWN',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (floating_network_id, floating_ip_address)
      );
      CREATE INDEX floatingips_project_id ON floatingips (project_id);
      CREATE INDEX floatingips_fixed_port_id ON floatingips (fixed_port_id);
      CREATE INDEX floatingips_router_id ON floatingips (router_id);
    `);
  },
};
