import ipaddr from 'ipaddr.js';
import { NeutronError } from '../errors.js';
import type { Db } from '../db/connection.js';
import type { MetadataInstance, MetadataQuery, MetadataService } from './service.js';

export const ROUTER_INTERFACE_OWNERS = ['network:router_interface', 'network:router_interface_distributed', 'network:ha_router_replicated_interface'];

export const instanceNotFound = (why: string) => new NeutronError('InstanceNotFound', 404, `Instance was not found: ${why}.`);

/**
 * The reference plugin's metadata lookup, in two indexed steps whatever the number of projects
 * sharing the CIDR: the networks behind the router (routerports by router), then the ports holding
 * the address on those networks' subnets (ipallocations' primary key is subnet and address).
 */
export class SqliteMetadata implements MetadataService {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      routerNetworks: db.prepare(
        `SELECT DISTINCT p.network_id FROM routerports rp JOIN ports p ON p.id = rp.port_id
         WHERE rp.router_id = ? AND rp.port_type IN (${ROUTER_INTERFACE_OWNERS.map(() => '?').join(', ')})`,
      ),
      // CROSS JOIN fixes the order: networks, their subnets, then (subnet, address) by primary key. Left
      // to itself SQLite starts from the address index, and visits every project that has the address.
      byAddress: db.prepare(
        `SELECT p.id, p.device_id, p.project_id, p.network_id FROM json_each(?) n
         CROSS JOIN subnets s ON s.network_id = n.value
         CROSS JOIN ipallocations a ON a.subnet_id = s.id AND a.ip_address = ?
         JOIN ports p ON p.id = a.port_id`,
      ),
      byMac: db.prepare(`SELECT p.id, p.device_id, p.project_id, p.network_id FROM json_each(?) n CROSS JOIN ports p ON p.network_id = n.value AND p.mac_address = ?`),
    };
  }

  findInstance(query: MetadataQuery): MetadataInstance {
    // as Neutron's agent: one of the two, since a spoofed second one could point elsewhere
    if (query.routerId && query.networkId) throw instanceNotFound('both a router and a network were given');
    const networks = query.networkId
      ? [query.networkId]
      : query.routerId
        ? (this.q.routerNetworks.all(query.routerId, ...ROUTER_INTERFACE_OWNERS) as { network_id: string }[]).map((r) => r.network_id)
        : [];
    const { address, mac } = remoteAddress(query.address);
    const ports = (mac ? this.q.byMac.all(JSON.stringify(networks), mac) : this.q.byAddress.all(JSON.stringify(networks), address)) as { id: string; device_id: string; project_id: string; network_id: string }[];
    if (ports.length !== 1) throw instanceNotFound(ports.length ? `${ports.length} ports have address ${query.address}` : `no port has address ${query.address} there`);
    const [port] = ports;
    if (!port.device_id) throw instanceNotFound(`port ${port.id} has no device`);
    return { instance_id: port.device_id, project_id: port.project_id, port_id: port.id, network_id: port.network_id };
  }
}

/**
 * The VM's address as Neutron's agent reads X-Forwarded-For: an IPv4-mapped IPv6 address is its IPv4
 * one (haproxy listening on both), and an IPv6 link-local one identifies the port by the MAC its
 * EUI-64 interface id carries.
 */
export function remoteAddress(forwardedFor: string): { address: string; mac?: string } {
  const ip = ipaddr.parse(forwardedFor);
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return { address: v6.toIPv4Address().toString() };
    if (v6.range() === 'linkLocal') {
      const b = v6.toByteArray().slice(8);
      if (b[3] === 0xff && b[4] === 0xfe) {
        const mac = [b[0] ^ 0x02, b[1], b[2], b[5], b[6], b[7]].map((x) => x.toString(16).padStart(2, '0')).join(':');
        return { address: v6.toString(), mac };
      }
    }
    return { address: v6.toString() };
  }
  return { address: ip.toString() };
}
