import type { Migration } from '../migration.js';

/**
 * Per-project quota limits (Neutron's quotas table: one row per project and resource that differs
 * from the configured default), and the project indexes that keep counting a project's usage cheap
 * for every resource with a quota.
 */
export const icehouseQuotas: Migration = {
  id: 'icehouse_quotas',
  release: 'icehouse',
  description: 'quotas (project, resource, limit); project_id indexes for counting usage',
  up(db) {
    db.exec(`
      CREATE TABLE quotas (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        resource TEXT NOT NULL,
        "limit" INTEGER NOT NULL,
        UNIQUE (project_id, resource)
      );
      CREATE INDEX securitygrouprules_project_id ON securitygrouprules (project_id);
      CREATE INDEX members_project_id ON members (project_id);
      CREATE INDEX healthmonitors_project_id ON healthmonitors (project_id);
    `);
  },
};
