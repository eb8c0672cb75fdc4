import type { Migration } from '../migration.js';

/**
 * Data migration: a vip's session persistence moves from two columns on vips to its own table (one
 * row per vip that has one), then vips is rebuilt without the columns (SQLite's create-copy-drop-
 * rename procedure; the runner has foreign keys off and checks them before commit). Set-based SQL
 * only, so the cost is one pass over vips whatever its size.
 */
export const havanaLbaasSessionPersistence: Migration = {
  id: 'havana_lbaas_session_persistence',
  release: 'havana',
  description: 'vips.session_persistence_* moved to sessionpersistences',
  rebuildsTables: true,
  up(db) {
    db.exec(`
      CREATE TABLE sessionpersistences (
        vip_id TEXT PRIMARY KEY REFERENCES vips (id) ON DELETE CASCADE,
        type TEXT NOT NULL CHECK (type IN ('SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE')),
        cookie_name TEXT
      );
      INSERT INTO sessionpersistences (vip_id, type, cookie_name)
        SELECT id, session_persistence_type, session_persistence_cookie_name
        FROM vips WHERE session_persistence_type IS NOT NULL;

      CREATE TABLE vips_new (
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
        connection_limit INTEGER NOT NULL DEFAULT -1
      );
      INSERT INTO vips_new (id, project_id, name, description, port_id, protocol_port, protocol, pool_id, status, admin_state_up, connection_limit)
        SELECT id, project_id, name, description, port_id, protocol_port, protocol, pool_id, status, admin_state_up, connection_limit FROM vips;
      DROP TABLE vips;
      ALTER TABLE vips_new RENAME TO vips;
      CREATE INDEX vips_project_id ON vips (project_id);
    `);
  },
};
