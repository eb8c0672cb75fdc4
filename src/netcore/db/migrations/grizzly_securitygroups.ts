import type { Migration } from '../migration.js';

/** Security groups, their rules, and which ports they apply to (Quantum grizzly). */
export const grizzlySecurityGroups: Migration = {
  id: 'grizzly_securitygroups',
  release: 'grizzly',
  description: 'securitygroups, securitygrouprules, securitygroupportbindings',
  up(db) {
    db.exec(`
      CREATE TABLE securitygroups (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX securitygroups_project_id ON securitygroups (project_id);

      CREATE TABLE securitygrouprules (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        security_group_id TEXT NOT NULL REFERENCES securitygroups (id) ON DELETE CASCADE,
        remote_group_id TEXT REFERENCES securitygroups (id) ON DELETE CASCADE,
        direction TEXT NOT NULL CHECK (direction IN ('ingress', 'egress')),
        ethertype TEXT NOT NULL DEFAULT 'IPv4',
        protocol TEXT,
        port_range_min INTEGER,
        port_range_max INTEGER,
        remote_ip_prefix TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX securitygrouprules_group ON securitygrouprules (security_group_id);

      CREATE TABLE securitygroupportbindings (
        port_id TEXT NOT NULL REFERENCES ports (id) ON DELETE CASCADE,
        security_group_id TEXT NOT NULL REFERENCES securitygroups (id),
        PRIMARY KEY (port_id, security_group_id)
      );
      CREATE INDEX securitygroupportbindings_group ON securitygroupportbindings (security_group_id);
    `);
  },
};
