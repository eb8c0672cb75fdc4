import type { AllocationPool } from '../plugins/plugin.js';
import {
  gatewayConflictWithAllocationPools,
  invalidAllocationPool,
  invalidInput,
  outOfBoundsAllocationPool,
  overlappingAllocationPools,
} from '../errors.js';
import { bigToIp, ipToBig, ipVersion, type Cidr } from './address.js';

export interface Range {
  first: bigint;
  last: bigint;
}

const poolText = (p: AllocationPool) => `{'start': '${p.start}', 'end': '${p.end}'}`;

/** Usable host range: IPv4 skips the network and broadcast addresses, IPv6 the subnet-router anycast. */
export function hostRange(cidr: Cidr): Range {
  if (cidr.first === cidr.last) return { first: cidr.first, last: cidr.last };
  return { first: cidr.first + 1n, last: cidr.last - (cidr.version === 4 ? 1n : 0n) };
}

/** The default gateway: the first host. */
export function defaultGateway(cidr: Cidr): string | null {
  const hosts = hostRange(cidr);
  return hosts.first <= hosts.last && cidr.first !== cidr.last ? bigToIp(hosts.first, cidr.version) : null;
}

/** Neutron's generate_pools: the host range minus the gateway. */
export function defaultPools(cidr: Cidr, gateway: string | null): AllocationPool[] {
  const { first, last } = hostRange(cidr);
  if (first > last || (cidr.first !== cidr.last && first === last && cidr.version === 4 && cidr.prefix === 31)) return [];
  const gw = gateway === null ? undefined : ipToBig(gateway);
  const ranges: Range[] = gw !== undefined && gw >= first && gw <= last ? [{ first, last: gw - 1n }, { first: gw + 1n, last }] : [{ first, last }];
  return ranges.filter((r) => r.first <= r.last).map((r) => ({ start: bigToIp(r.first, cidr.version), end: bigToIp(r.last, cidr.version) }));
}

/**
 * The gateway must be a host address of the subnet, or, on IPv6, a link-local address (fe80::/10:
 * routers advertise from one, and Neutron takes it).
 */
export function validateGateway(cidr: Cidr, gateway: string | null): void {
  if (gateway === null) return;
  const hosts = hostRange(cidr);
  const gw = ipToBig(gateway);
  if (cidr.version === 6 && ipVersion(gateway) === 6 && gw >> 118n === 0x3fan) return;
  if (ipVersion(gateway) !== cidr.version || gw < hosts.first || gw > hosts.last) {
    throw invalidInput(`Gateway IP ${gateway} is not valid on subnet ${cidr.text}`);
  }
}

/** Checks pools as Neutron's validate_allocation_pools does; returns them as ranges in order. */
export function validatePools(cidr: Cidr, pools: AllocationPool[], gateway: string | null): Range[] {
  const hosts = hostRange(cidr);
  const ranges = pools.map((pool) => {
    if (ipVersion(pool.start) !== cidr.version || ipVersion(pool.end) !== cidr.version) throw invalidAllocationPool(poolText(pool));
    const range = { first: ipToBig(pool.start), last: ipToBig(pool.end), pool };
    if (range.first > range.last) throw invalidAllocationPool(poolText(pool));
    if (range.first < hosts.first || range.last > hosts.last) throw outOfBoundsAllocationPool(poolText(pool), cidr.text);
    return range;
  });
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].first <= sorted[i - 1].last) throw overlappingAllocationPools(poolText(sorted[i - 1].pool), poolText(sorted[i].pool), cidr.text);
  }
  if (gateway !== null) {
    const gw = ipToBig(gateway);
    const hit = sorted.find((r) => gw >= r.first && gw <= r.last);
    if (hit) throw gatewayConflictWithAllocationPools(gateway, poolText(hit.pool));
  }
  return sorted.map(({ first, last }) => ({ first, last }));
}
