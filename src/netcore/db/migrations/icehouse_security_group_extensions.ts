import type { Migration } from '../migration.js';

/**
 * What the security group and port security APIs need beyond grizzly's tables: Neutron's standard
 * attributes on groups and rules; defaultsecuritygroups, one default group per project (its
 * primary key makes a second impossible), filled from the groups named `default` (the oldest per
 * project); and port security per network and per port (a missing row means enabled, Neutron's
 * default, so existing ports and networks need none).
 */
export const icehouseSecurityGroupExtensions: Migration = {
  id: 'icehouse_security_group_extensions',
  release: 'icehouse',
  description: 'securitygroups.revision_number, securitygrouprules.description/updated_at/revision_number, defaultsecuritygroups, port security bindings',
  up(db) {
    db.exec(`
      ALTER TABLE securitygroups ADD COLUMN revision_number INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE securitygrouprules ADD COLUMN description TEXT;
      ALTER TABLE securitygrouprules ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
      ALTER TABLE securitygrouprules ADD COLUMN revision_number INTEGER NOT NULL DEFAULT 0;
      UPDATE securitygrouprules SET updated_at = created_at;
      CREATE INDEX securitygrouprules_remote_group ON securitygrouprules (remote_group_id);

      CREATE TABLE defaultsecuritygroups (
        project_id TEXT PRIMARY KEY,
        security_group_id TEXT NOT NULL UNIQUE REFERENCES securitygroups (id) ON DELETE CASCADE
      );
      INSERT INTO defaultsecuritygroups (project_id, security_group_id)
        SELECT g.project_id, g.id FROM securitygroups g
        WHERE g.name = 'default' AND g.rowid = (SELECT min(o.rowid) FROM securitygroups o WHERE o.project_id = g.project_id AND o.name = 'default');

      CREATE TABLE networksecuritybindings (
        network_id TEXT PRIMARY KEY REFERENCES networks (id) ON DELETE CASCADE,
        port_security_enabled INTEGER NOT NULL
      );
      CREATE TABLE portsecuritybindings (
        port_id TEXT PRIMARY KEY REFERENCES ports (id) ON DELETE CASCADE,
        port_security_enabled INTEGER NOT NULL
      );
    `);
  },
};
