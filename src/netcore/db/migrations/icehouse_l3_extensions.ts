import type { Migration } from '../migration.js';

/**
 * What the L3 API needs beyond folsom's tables: Neutron's standard attributes on routers and
 * floating IPs (description, revision_number), the ext-gw-mode SNAT flag, and extraroute's
 * routerroutes. Existing routers keep SNAT on, Neutron's default.
 */
export const icehouseL3Extensions: Migration = {
  id: 'icehouse_l3_extensions',
  release: 'icehouse',
  description: 'routers.description/revision_number/enable_snat, routerroutes, floatingips.description/revision_number',
  up(db) {
    db.exec(`
      ALTER TABLE routers ADD COLUMN description TEXT NOT NULL DEFAULT '';
      ALTER TABLE routers ADD COLUMN revision_number INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE routers ADD COLUMN enable_snat INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE floatingips ADD COLUMN description TEXT NOT NULL DEFAULT '';
      ALTER TABLE floatingips ADD COLUMN revision_number INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE routerroutes (
        router_id TEXT NOT NULL REFERENCES routers (id) ON DELETE CASCADE,
        destination TEXT NOT NULL,
        nexthop TEXT NOT NULL,
        PRIMARY KEY (router_id, destination, nexthop)
      );
      CREATE INDEX floatingips_floating_port_id ON floatingips (floating_port_id);
    `);
  },
};
