import { defineCase } from '../case.js';
import type { Json } from '../harness.js';

const addresses = (port: Json): string[] => port.fixed_ips.map((f: { ip_address: string }) => f.ip_address);
const portWith = (networkId: string, fixed_ips: object[], extra: object = {}) => ({ port: { network_id: networkId, fixed_ips, ...extra } });

export const fixedIpCases = [
  defineCase({
    id: 'ports.fixed_ips.by_address',
    title: 'a port asking for an address gets exactly it',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      const p = await t.port(net.id, { fixed_ips: [{ ip_address: '10.0.0.10' }] });
      t.equal(p.fixed_ips, [{ subnet_id: sub.id, ip_address: '10.0.0.10' }], 'fixed_ips');
    },
  }),
  defineCase({
    id: 'ports.fixed_ips.by_subnet',
    title: 'a port asking for a subnet gets an address from that subnet',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      const second = await t.subnet(net.id, '10.1.0.0/24');
      const p = await t.port(net.id, { fixed_ips: [{ subnet_id: second.id }] });
      t.equal(p.fixed_ips.length, 1, 'number of fixed_ips');
      t.equal(p.fixed_ips[0].subnet_id, second.id, 'subnet_id');
      t.check(p.fixed_ips[0].ip_address.startsWith('10.1.0.'), `${p.fixed_ips[0].ip_address} is not in 10.1.0.0/24`);
    },
  }),
  defineCase({
    id: 'ports.fixed_ips.two_from_one_subnet',
    title: 'a port may hold two addresses of one subnet, and they differ',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      const p = await t.port(net.id, { fixed_ips: [{ subnet_id: sub.id }, { subnet_id: sub.id }] });
      const ips = addresses(p);
      t.check(ips.length === 2 && ips[0] !== ips[1], `expected two distinct addresses, got ${ips.join(', ')}`);
    },
  }),
  defineCase({
    id: 'ports.fixed_ips.in_use',
    title: 'an address another port holds is 409 IpAddressInUse',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      await t.port(net.id, { fixed_ips: [{ ip_address: '10.0.0.10' }] });
      await t.fails('POST', '/v2.0/ports', portWith(net.id, [{ ip_address: '10.0.0.10' }]), 409, 'IpAddressInUse');
      const auto = await t.port(net.id);
      t.check(!addresses(auto).includes('10.0.0.10'), 'an automatic allocation handed out 10.0.0.10, which a port holds');
    },
  }),
  defineCase({
    id: 'ports.fixed_ips.gateway',
    title: 'a normal port cannot take the gateway address (409 IpAddressInUse)',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      await t.fails('POST', '/v2.0/ports', portWith(net.id, [{ ip_address: '10.0.0.1' }]), 409, 'IpAddressInUse');
    },
  }),
  defineCase({
    id: 'ports.fixed_ips.invalid_for_subnet',
    title: 'an address outside the named subnet is 400 InvalidIpForSubnet',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      await t.fails('POST', '/v2.0/ports', portWith(net.id, [{ subnet_id: sub.id, ip_address: '10.9.9.9' }]), 400, 'InvalidIpForSubnet');
      await t.fails('POST', '/v2.0/ports', portWith(net.id, [{ subnet_id: sub.id, ip_address: '10.0.0.255' }]), 400, 'InvalidIpForSubnet');
    },
  }),
  defineCase({
    id: 'ports.fixed_ips.invalid_for_network',
    title: 'an address in none of the network\'s subnets is 400 InvalidIpForNetwork',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      await t.fails('POST', '/v2.0/ports', portWith(net.id, [{ ip_address: '192.168.7.7' }]), 400, 'InvalidIpForNetwork');
    },
  }),
  defineCase({
    id: 'ports.fixed_ips.foreign_subnet',
    title: 'a subnet of another network in fixed_ips is 400 InvalidInput',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      const other = await t.networkWithSubnet('10.5.0.0/24');
      await t.fails('POST', '/v2.0/ports', portWith(net.id, [{ subnet_id: other.sub.id }]), 400, 'InvalidInput');
    },
  }),
  defineCase({
    id: 'ports.fixed_ips.outside_pool',
    title: 'an address of the subnet outside its pools may be asked for, once',
    async run(t) {
      const { net } = await t.networkWithSubnet('10.0.0.0/24', { allocation_pools: [{ start: '10.0.0.100', end: '10.0.0.200' }] });
      const p = await t.port(net.id, { fixed_ips: [{ ip_address: '10.0.0.50' }] });
      t.equal(addresses(p), ['10.0.0.50'], 'fixed_ips');
      await t.fails('POST', '/v2.0/ports', portWith(net.id, [{ ip_address: '10.0.0.50' }]), 409, 'IpAddressInUse');
    },
  }),
  defineCase({
    id: 'ports.fixed_ips.max',
    title: 'more fixed IPs than allowed per port is 400 InvalidInput',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      const six = Array.from({ length: 6 }, () => ({ subnet_id: sub.id }));
      await t.fails('POST', '/v2.0/ports', portWith(net.id, six), 400, 'InvalidInput');
    },
  }),
  defineCase({
    id: 'ports.fixed_ips.update_replaces',
    title: 'updating fixed_ips swaps the address and releases the old one for others',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      const p = await t.port(net.id, { fixed_ips: [{ ip_address: '10.0.0.10' }] });
      const u = (await t.ok('PUT', `/v2.0/ports/${p.id}`, { port: { fixed_ips: [{ subnet_id: sub.id, ip_address: '10.0.0.20' }] } })).port;
      t.equal(addresses(u), ['10.0.0.20'], 'fixed_ips after PUT');
      const q = await t.port(net.id, { fixed_ips: [{ ip_address: '10.0.0.10' }] });
      t.equal(addresses(q), ['10.0.0.10'], 'the released address taken by another port');
    },
  }),
  defineCase({
    id: 'ports.fixed_ips.update_keeps',
    title: 'an update naming the current address keeps it and adds the new one',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      const p = await t.port(net.id);
      const current = p.fixed_ips[0];
      const u = (await t.ok('PUT', `/v2.0/ports/${p.id}`, { port: { fixed_ips: [current, { subnet_id: sub.id }] } })).port;
      const ips = addresses(u);
      t.check(ips.length === 2 && ips.includes(current.ip_address), `expected ${current.ip_address} and one more, got ${ips.join(', ')}`);
    },
  }),
  defineCase({
    id: 'ports.fixed_ips.recycle',
    title: 'an address freed by deleting its port is handed out again',
    async run(t) {
      // a /30 has one pool address besides the gateway: .2
      const { net } = await t.networkWithSubnet('10.0.0.0/30');
      const a = await t.port(net.id);
      t.equal(addresses(a), ['10.0.0.2'], 'the only pool address');
      await t.fails('POST', '/v2.0/ports', { port: { network_id: net.id } }, 409, 'IpAddressGenerationFailure');
      await t.ok('DELETE', `/v2.0/ports/${a.id}`);
      t.equal(addresses(await t.port(net.id)), ['10.0.0.2'], 'address after the holder was deleted');
    },
  }),
];
