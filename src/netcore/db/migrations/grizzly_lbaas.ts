import type { Migration } from '../migration.js';

/**
 * LBaaS v1 as it landed in grizzly: pools, members, health monitors and vips. In this history a
 * vip's session persistence started as two columns on vips; havana_lbaas_session_persistence moves
 * them into their own table.
 */
export const grizzlyLbaas: Migration = {
  id: 'grizzly_lbaas',
  release: 'grizzly',
  description: 'pools, members, healthmonitors, poolmonitorassociations, vips (session persistence inline)',
  up(db) {
    db.exec(`
      CREATE TABLE pools (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        subnet_id TEXT NOT NULL REFERENCES subnets (id),
        protocol TEXT NOT NULL,
        lb_method TEXT NOT NULL,
        status TEXT NOT NULL,
        admin_state_up INTEGER NOT NULL,
        vip_id TEXT
      );
      CREATE INDEX pools_project_id ON pools (project_id);

      CREATE TABLE members (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        pool_id TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
        address TEXT NOT NULL,
        protocol_port INTEGER NOT NULL,
        weight INTEGER NOT NULL DEFAULT 1,
        status TEXT NOT NULL,
        admin_state_up INTEGER NOT NULL,
        UNIQUE (pool_id, address, protocol_port)
      );

      CREATE TABLE healthmonitors (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        type TEXT NOT NULL,
        delay INTEGER NOT NULL,
        timeout INTEGER NOT NULL,
        max_retries INTEGER NOT NULL,
        http_method TEXT,
        url_path TEXT,
        expected_codes TEXT,
        admin_state_up INTEGER NOT NULL
      );

      CREATE TABLE poolmonitorassociations (
        pool_id TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
        monitor_id TEXT NOT NULL REFERENCES healthmonitors (id) ON DELETE CASCADE,
        PRIMARY KEY (pool_id, monitor_id)
      );

      CREATE TABLE vips (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        port_id TEXT REFERENCES ports (id),
        protocol_port INTEGER NOT NULL,
        protocol TEXT NOT NULL,
        pool_id TEXT NOT NULL UNIQUE REFERENCES pools (id),
        status TEXT NOT NULL,
        admin_state_up INTEGER NOT NULL,
        connection_limit INTEGER NOT NULL DEFAULT -1,
        session_persistence_type TEXT,
        session_persistence_cookie_name TEXT
      );
      CREATE INDEX vips_project_id ON vips (project_id);
    `);
  },
};
