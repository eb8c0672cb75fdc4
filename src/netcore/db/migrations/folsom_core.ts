import type { Migration } from '../migration.js';

/** Core L2 model as of folsom: networks, their segments, subnets with IPAM state, ports. */
export const folsomCore: Migration = {
  id: 'folsom_core',
  release: 'folsom',
  description: 'networks, network segments, subnets, allocation pools and availability ranges, dns nameservers, host routes, ports, ip allocations',
  up(db) {
    db.exec(`
      CREATE TABLE networks (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        admin_state_up INTEGER NOT NULL,
        shared INTEGER NOT NULL DEFAULT 0,
        mtu INTEGER NOT NULL DEFAULT 1500,
        router_external INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revision_number INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX networks_project_id ON networks (project_id);

      -- provider / ml2 segments; the unique indexes make a duplicate allocation impossible
      CREATE TABLE networksegments (
        id TEXT PRIMARY KEY,
        network_id TEXT NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
        network_type TEXT NOT NULL,
        physical_network TEXT,
        segmentation_id INTEGER
      );
      CREATE INDEX networksegments_network_id ON networksegments (network_id);
      CREATE UNIQUE INDEX networksegments_allocation
        ON networksegments (network_type, IFNULL(physical_network, ''), segmentation_id)
        WHERE segmentation_id IS NOT NULL;
      CREATE UNIQUE INDEX networksegments_flat ON networksegments (physical_network) WHERE network_type = 'flat';

      CREATE TABLE subnets (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        network_id TEXT NOT NULL REFERENCES networks (id),
        name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        ip_version INTEGER NOT NULL,
        cidr TEXT NOT NULL,
        gateway_ip TEXT,
        enable_dhcp INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revision_number INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX subnets_network_id ON subnets (network_id);
      CREATE INDEX subnets_project_id ON subnets (project_id);

      CREATE TABLE ipallocationpools (
        id TEXT PRIMARY KEY,
        subnet_id TEXT NOT NULL REFERENCES subnets (id) ON DELETE CASCADE,
        first_ip TEXT NOT NULL,
        last_ip TEXT NOT NULL
      );
      CREATE INDEX ipallocationpools_subnet_id ON ipallocationpools (subnet_id);

      -- free addresses of each pool as disjoint ranges; keys are 32 hex digits so text order is numeric order
      CREATE TABLE ipavailabilityranges (
        allocation_pool_id TEXT NOT NULL REFERENCES ipallocationpools (id) ON DELETE CASCADE,
        subnet_id TEXT NOT NULL,
        first_key TEXT NOT NULL,
        last_key TEXT NOT NULL,
        PRIMARY KEY (subnet_id, first_key)
      );
      CREATE INDEX ipavailabilityranges_last ON ipavailabilityranges (subnet_id, last_key);
      CREATE INDEX ipavailabilityranges_pool ON ipavailabilityranges (allocation_pool_id);

      CREATE TABLE dnsnameservers (
        subnet_id TEXT NOT NULL REFERENCES subnets (id) ON DELETE CASCADE,
        address TEXT NOT NULL,
        "order" INTEGER NOT NULL,
        PRIMARY KEY (subnet_id, address)
      );

      CREATE TABLE subnetroutes (
        subnet_id TEXT NOT NULL REFERENCES subnets (id) ON DELETE CASCADE,
        destination TEXT NOT NULL,
        nexthop TEXT NOT NULL,
        PRIMARY KEY (subnet_id, destination, nexthop)
      );

      CREATE TABLE ports (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        network_id TEXT NOT NULL REFERENCES networks (id),
        name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        mac_address TEXT NOT NULL,
        admin_state_up INTEGER NOT NULL,
        status TEXT NOT NULL,
        device_id TEXT NOT NULL DEFAULT '',
        device_owner TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revision_number INTEGER NOT NULL DEFAULT 0,
        UNIQUE (network_id, mac_address)
      );
      CREATE INDEX ports_project_id ON ports (project_id);
      CREATE INDEX ports_device_id ON ports (device_id);

      CREATE TABLE ipallocations (
        port_id TEXT NOT NULL REFERENCES ports (id) ON DELETE CASCADE,
        ip_address TEXT NOT NULL,
        subnet_id TEXT NOT NULL REFERENCES subnets (id) ON DELETE CASCADE,
        network_id TEXT NOT NULL,
        PRIMARY KEY (subnet_id, ip_address)
      );
      CREATE INDEX ipallocations_port_id ON ipallocations (port_id);
      CREATE INDEX ipallocations_ip_address ON ipallocations (ip_address);
    `);
  },
};
