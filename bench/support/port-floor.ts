import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/netcore/db/connection.js';
import { bigToIp, fromKey, toKey } from '../../src/netcore/ipam/address.js';
import { randomMac } from '../../src/netcore/mac.js';

/**
 * The floor under a port create: the statements the sqlite plugin runs for one port with no
 * fixed_ips on a network with one IPv4 subnet, in the same one BEGIN IMMEDIATE transaction, straight
 * on SQLite with prepared statements, no HTTP and no plugin: network check, MAC check, port row,
 * the network's subnets, the lowest free address carved out of its range, the allocation, and the
 * port and its addresses read back for the answer.
 */
export function portFloor(db: Db, networkId: string, projectId: string) {
  const q = {
    network: db.prepare('SELECT 1 FROM networks WHERE id = ?'),
    macUsed: db.prepare('SELECT 1 FROM ports WHERE network_id = ? AND mac_address = ?'),
    insertPort: db.prepare(
      `INSERT INTO ports (id, project_id, network_id, name, description, mac_address, admin_state_up, status, device_id, device_owner,
       created_at, updated_at, revision_number) VALUES (?, ?, ?, ?, '', ?, 1, 'DOWN', '', '', ?, ?, 0)`,
    ),
    subnets: db.prepare('SELECT * FROM subnets WHERE network_id = ? ORDER BY rowid'),
    lowest: db.prepare('SELECT allocation_pool_id, first_key, last_key FROM ipavailabilityranges WHERE subnet_id = ? ORDER BY first_key LIMIT 1'),
    setFirst: db.prepare('UPDATE ipavailabilityranges SET first_key = ? WHERE subnet_id = ? AND first_key = ?'),
    allocate: db.prepare('INSERT INTO ipallocations (port_id, ip_address, subnet_id, network_id) VALUES (?, ?, ?, ?)'),
    port: db.prepare('SELECT p.* FROM ports p WHERE p.id = ? AND p.project_id = ?'),
    addresses: db.prepare('SELECT port_id, subnet_id, ip_address FROM ipallocations WHERE port_id IN (?) ORDER BY rowid'),
  };
  let n = 0;
  const create = db.transaction(() => {
    const id = randomUUID();
    const ts = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    q.network.get(networkId);
    let mac: string;
    do mac = randomMac('fa:16:3e:00:00:00');
    while (q.macUsed.get(networkId, mac)); // a rare collision is drawn again, as the plugin does
    q.insertPort.run(id, projectId, networkId, `f${n++}`, mac, ts, ts);
    const subnet = (q.subnets.all(networkId) as { id: string }[])[0];
    const range = q.lowest.get(subnet.id) as { first_key: string; last_key: string };
    const ip = fromKey(range.first_key);
    q.setFirst.run(toKey(ip + 1n), subnet.id, range.first_key);
    q.allocate.run(id, bigToIp(ip, 4), subnet.id, networkId);
    return [q.port.get(id, projectId), q.addresses.all(id)];
  });
  return () => create.immediate();
}
