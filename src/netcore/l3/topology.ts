import { overlaps, parseCidr } from '../ipam/address.js';
import type { Db } from '../db/connection.js';
import type { FixedIp } from '../plugins/plugin.js';
import type { SubnetRow } from '../plugins/sqlite/subnets.js';
import { badRouterRequest } from './errors.js';
import { GATEWAY_OWNER } from './routers.js';

// Reads over a router's ports that several L3 rules share (duplicate subnets, route nexthops).

export interface RouterPortIps {
  portId: string;
  owner: string;
  networkId: string;
  ips: FixedIp[];
}

/** Every port the router holds (interfaces and gateway) with its addresses. */
export function routerPorts(db: Db, routerId: string): RouterPortIps[] {
  const ports = db
    .prepare(`SELECT rp.port_id, rp.port_type, p.network_id FROM routerports rp JOIN ports p ON p.id = rp.port_id WHERE rp.router_id = ? ORDER BY rp.rowid`)
    .all(routerId) as { port_id: string; port_type: string; network_id: string }[];
  const ipsOf = db.prepare('SELECT subnet_id, ip_address FROM ipallocations WHERE port_id = ? ORDER BY rowid');
  return ports.map((p) => ({ portId: p.port_id, owner: p.port_type, networkId: p.network_id, ips: ipsOf.all(p.port_id) as FixedIp[] }));
}

export function subnetsById(db: Db, ids: string[]): SubnetRow[] {
  if (!ids.length) return [];
  return db.prepare(`SELECT * FROM subnets WHERE id IN (${ids.map(() => '?').join(', ')})`).all(...ids) as SubnetRow[];
}

export function subnetsOfNetwork(db: Db, networkId: string): SubnetRow[] {
  return db.prepare('SELECT * FROM subnets WHERE network_id = ? ORDER BY rowid').all(networkId) as SubnetRow[];
}

/**
 * Neutron's _check_for_dup_router_subnets: a router may not have two ports on one subnet, nor
 * reach overlapping CIDRs (its gateway counts with every subnet of the external network).
 */
export function checkDuplicateSubnets(db: Db, routerId: string, fresh: Pick<SubnetRow, 'id' | 'cidr'>[], ignorePort?: string): void {
  const freshIds = new Set(fresh.map((s) => s.id));
  const held: string[] = [];
  for (const p of routerPorts(db, routerId)) {
    if (p.portId === ignorePort) continue;
    for (const ip of p.ips) {
      if (freshIds.has(ip.subnet_id)) throw badRouterRequest('router', `Router already has a port on subnet ${ip.subnet_id}`);
      if (p.owner === GATEWAY_OWNER) held.push(...subnetsOfNetwork(db, p.networkId).map((s) => s.id));
      else held.push(ip.subnet_id);
    }
  }
  for (const s of subnetsById(db, [...new Set(held)])) {
    for (const n of fresh) {
      if (overlaps(parseCidr(s.cidr), parseCidr(n.cidr))) {
        throw badRouterRequest('router', `Cidr ${n.cidr} of subnet ${n.id} overlaps with cidr ${s.cidr} of subnet ${s.id}`);
      }
    }
  }
}

/** Neutron's _validate_subnet_address_mode: an IPv6 subnet whose RAs come from an outside router cannot join a router. */
export function checkSubnetAddressMode(s: SubnetRow): void {
  if (s.ip_version === 6 && s.ipv6_ra_mode === null && s.ipv6_address_mode !== null) {
    throw badRouterRequest('router', `IPv6 subnet ${s.id} configured to receive RAs from an external router cannot be added to Neutron Router.`);
  }
}
