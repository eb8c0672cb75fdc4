import type { Migration } from '../migration.js';

/** IPv6 subnet attributes, added to Neutron in icehouse. */
export const icehouseIpv6Modes: Migration = {
  id: 'icehouse_ipv6_modes',
  release: 'icehouse',
  description: 'subnets.ipv6_ra_mode and subnets.ipv6_address_mode',
  up(db) {
    db.exec(`
      ALTER TABLE subnets ADD COLUMN ipv6_ra_mode TEXT;
      ALTER TABLE subnets ADD COLUMN ipv6_address_mode TEXT;
    `);
  },
};
