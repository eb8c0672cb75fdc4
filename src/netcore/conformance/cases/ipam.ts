import { defineCase } from '../case.js';
import type { Json } from '../harness.js';

const address = (port: Json): string => port.fixed_ips[0]?.ip_address;
const lastOctet = (ip: string) => Number(ip.split('.')[3]);

export const ipamCases = [
  defineCase({
    id: 'ipam.no_double_allocation',
    title: 'automatic allocations never repeat an address and stay inside the pool',
    async run(t) {
      const { net } = await t.networkWithSubnet('10.0.0.0/27', { allocation_pools: [{ start: '10.0.0.5', end: '10.0.0.25' }] });
      const seen = new Set<string>();
      for (let i = 0; i < 21; i++) {
        const ip = address(await t.port(net.id));
        t.check(!seen.has(ip), `address ${ip} was given twice`);
        t.check(lastOctet(ip) >= 5 && lastOctet(ip) <= 25, `address ${ip} is outside the pool 10.0.0.5-10.0.0.25`);
        seen.add(ip);
      }
    },
  }),
  defineCase({
    id: 'ipam.exhaustion',
    title: 'a full subnet answers 409 IpAddressGenerationFailure, having used every pool address once',
    async run(t) {
      const { net } = await t.networkWithSubnet('10.0.0.0/28');
      const ips = new Set<string>();
      for (let i = 0; i < 13; i++) ips.add(address(await t.port(net.id)));
      t.equal(ips.size, 13, 'distinct addresses from a /28 (pool .2-.14)');
      t.check(!ips.has('10.0.0.1') && !ips.has('10.0.0.0') && !ips.has('10.0.0.15'), 'gateway, network or broadcast address was allocated');
      await t.fails('POST', '/v2.0/ports', { port: { network_id: net.id } }, 409, 'IpAddressGenerationFailure');
    },
  }),
  defineCase({
    id: 'ipam.release_on_delete',
    title: 'deleting ports returns every address they held to the pool',
    async run(t) {
      const { net } = await t.networkWithSubnet('10.0.0.0/29');
      // pool .2-.6: take all five, free them all, take all five again
      const first = await Promise.all([0, 1, 2, 3, 4].map(() => t.port(net.id)));
      for (const p of first) await t.ok('DELETE', `/v2.0/ports/${p.id}`);
      const again = new Set<string>();
      for (let i = 0; i < 5; i++) again.add(address(await t.port(net.id)));
      t.equal([...again].sort(), first.map(address).sort(), 'addresses after a full release');
    },
  }),
  defineCase({
    id: 'ipam.release_on_update',
    title: 'dropping an address in an update frees it',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet('10.0.0.0/30');
      const p = await t.port(net.id);
      await t.ok('PUT', `/v2.0/ports/${p.id}`, { port: { fixed_ips: [] } });
      const q = await t.port(net.id, { fixed_ips: [{ subnet_id: sub.id }] });
      t.equal(address(q), '10.0.0.2', 'address after the first port dropped it');
    },
  }),
  defineCase({
    id: 'ipam.failed_create_leaks_nothing',
    title: 'a port create that fails after allocating leaves the address free',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet('10.0.0.0/30');
      // the first request allocates .2, the second cannot be satisfied: the whole create must undo
      await t.fails('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ subnet_id: sub.id }, { ip_address: '192.168.1.1' }] } }, 400, 'InvalidIpForNetwork');
      await t.fails('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ subnet_id: sub.id }, { subnet_id: sub.id }] } }, 409, 'IpAddressGenerationFailure');
      t.equal(address(await t.port(net.id)), '10.0.0.2', 'the only pool address after two failed creates');
      t.equal((await t.list('ports')).length, 1, 'ports after two failed creates and one good one');
    },
  }),
  defineCase({
    id: 'ipam.bulk_distinct',
    title: 'a bulk create of ports gives each a different address',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      const ports = (await t.ok('POST', '/v2.0/ports', { ports: Array.from({ length: 10 }, () => ({ network_id: net.id })) })).ports as Json[];
      t.equal(new Set(ports.map(address)).size, 10, 'distinct addresses among 10 bulk ports');
    },
  }),
  defineCase({
    id: 'ipam.large_subnets',
    title: 'a /8 and an IPv6 /64 allocate like a /24',
    async run(t) {
      const { net } = await t.networkWithSubnet('10.0.0.0/8');
      await t.subnet(net.id, 'fd00::/64', { ipv6_ra_mode: 'dhcpv6-stateful', ipv6_address_mode: 'dhcpv6-stateful' });
      const a = await t.port(net.id);
      const b = await t.port(net.id);
      t.equal(a.fixed_ips.length, 2, 'fixed_ips of a dual-stack port');
      t.check(a.fixed_ips.every((f: { ip_address: string }) => !b.fixed_ips.some((g: { ip_address: string }) => g.ip_address === f.ip_address)), 'two ports share an address');
    },
  }),
  defineCase({
    id: 'ipam.pool_respected_after_delete',
    title: 'addresses freed outside the pool are not handed out automatically',
    async run(t) {
      const { net } = await t.networkWithSubnet('10.0.0.0/24', { allocation_pools: [{ start: '10.0.0.100', end: '10.0.0.100' }] });
      const outside = await t.port(net.id, { fixed_ips: [{ ip_address: '10.0.0.50' }] });
      await t.ok('DELETE', `/v2.0/ports/${outside.id}`);
      t.equal(address(await t.port(net.id)), '10.0.0.100', 'automatic address');
      await t.fails('POST', '/v2.0/ports', { port: { network_id: net.id } }, 409, 'IpAddressGenerationFailure');
    },
  }),
];
