import { randomUUID } from 'node:crypto';
import { defineCase } from '../case.js';

const post = (subnet: object) => ({ subnet });

export const subnetCases = [
  defineCase({
    id: 'subnets.create.defaults_v4',
    title: 'an IPv4 subnet gets the first host as gateway and the rest as its pool',
    async run(t) {
      const net = await t.network();
      const res = await t.call('POST', '/v2.0/subnets', post({ network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4 }));
      t.equal(res.status, 201, 'POST /v2.0/subnets status');
      const s = res.body.subnet;
      t.equal([s.gateway_ip, s.allocation_pools], ['10.0.0.1', [{ start: '10.0.0.2', end: '10.0.0.254' }]], '[gateway_ip, allocation_pools]');
      t.equal([s.enable_dhcp, s.dns_nameservers, s.host_routes, s.ip_version, s.network_id], [true, [], [], 4, net.id], '[enable_dhcp, dns, routes, ip_version, network_id]');
      t.equal([s.ipv6_ra_mode, s.ipv6_address_mode], [null, null], 'IPv6 modes of an IPv4 subnet');
      t.equal((await t.ok('GET', `/v2.0/networks/${net.id}`)).network.subnets, [s.id], "the network's subnets");
    },
  }),
  defineCase({
    id: 'subnets.create.defaults_v6',
    title: 'an IPv6 subnet\'s pool is the whole prefix but the anycast address and the gateway',
    async run(t) {
      const net = await t.network();
      const s = await t.subnet(net.id, '2001:db8::/64');
      t.equal([s.gateway_ip, s.allocation_pools], ['2001:db8::1', [{ start: '2001:db8::2', end: '2001:db8::ffff:ffff:ffff:ffff' }]], '[gateway_ip, allocation_pools]');
    },
  }),
  defineCase({
    id: 'subnets.gateway.none',
    title: 'gateway_ip null leaves no gateway and the whole host range in the pool',
    async run(t) {
      const net = await t.network();
      const s = await t.subnet(net.id, '10.0.0.0/24', { gateway_ip: null });
      t.equal([s.gateway_ip, s.allocation_pools], [null, [{ start: '10.0.0.1', end: '10.0.0.254' }]], '[gateway_ip, allocation_pools]');
    },
  }),
  defineCase({
    id: 'subnets.gateway.custom',
    title: 'a gateway at the end of the range is cut out of the default pool',
    async run(t) {
      const net = await t.network();
      const s = await t.subnet(net.id, '10.0.0.0/24', { gateway_ip: '10.0.0.254' });
      t.equal(s.allocation_pools, [{ start: '10.0.0.1', end: '10.0.0.253' }], 'allocation_pools');
    },
  }),
  defineCase({
    id: 'subnets.gateway.outside',
    title: 'a gateway outside the subnet is 400 InvalidInput',
    async run(t) {
      const net = await t.network();
      await t.fails('POST', '/v2.0/subnets', post({ network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4, gateway_ip: '192.168.0.1' }), 400, 'InvalidInput');
      await t.fails('POST', '/v2.0/subnets', post({ network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4, gateway_ip: '10.0.0.255' }), 400, 'InvalidInput');
    },
  }),
  defineCase({
    id: 'subnets.gateway.conflict_pool',
    title: 'a gateway inside an allocation pool is 409 GatewayConflictWithAllocationPools',
    async run(t) {
      const net = await t.network();
      const body = post({ network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4, gateway_ip: '10.0.0.10', allocation_pools: [{ start: '10.0.0.2', end: '10.0.0.100' }] });
      await t.fails('POST', '/v2.0/subnets', body, 409, 'GatewayConflictWithAllocationPools');
      const s = await t.subnet(net.id, '10.0.0.0/24', { allocation_pools: [{ start: '10.0.0.2', end: '10.0.0.100' }] });
      await t.fails('PUT', `/v2.0/subnets/${s.id}`, { subnet: { gateway_ip: '10.0.0.50' } }, 409, 'GatewayConflictWithAllocationPools');
    },
  }),
  defineCase({
    id: 'subnets.update',
    title: 'name, DNS servers and host routes update; delete answers 204 and the subnet is gone',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      const routes = [{ destination: '192.168.0.0/24', nexthop: '10.0.0.5' }];
      const u = (await t.ok('PUT', `/v2.0/subnets/${sub.id}`, { subnet: { name: 'renamed', dns_nameservers: ['8.8.8.8', '1.1.1.1'], host_routes: routes } })).subnet;
      t.equal([u.name, u.dns_nameservers, u.host_routes, u.cidr], ['renamed', ['8.8.8.8', '1.1.1.1'], routes, '10.0.0.0/24'], 'PUT answer [name, dns, routes, cidr]');
      t.equal((await t.call('DELETE', `/v2.0/subnets/${sub.id}`)).status, 204, 'DELETE status');
      await t.fails('GET', `/v2.0/subnets/${sub.id}`, undefined, 404, 'SubnetNotFound');
      t.equal((await t.ok('GET', `/v2.0/networks/${net.id}`)).network.subnets, [], "the network's subnets after delete");
    },
  }),
  defineCase({
    id: 'subnets.not_found',
    title: 'an unknown subnet is 404 SubnetNotFound; a subnet on an unknown network is 404 NetworkNotFound',
    async run(t) {
      await t.fails('GET', `/v2.0/subnets/${randomUUID()}`, undefined, 404, 'SubnetNotFound');
      await t.fails('DELETE', `/v2.0/subnets/${randomUUID()}`, undefined, 404, 'SubnetNotFound');
      await t.fails('POST', '/v2.0/subnets', post({ network_id: randomUUID(), cidr: '10.0.0.0/24', ip_version: 4 }), 404, 'NetworkNotFound');
    },
  }),
  defineCase({
    id: 'subnets.cidr.invalid',
    title: 'a malformed CIDR, or one with host bits set, is 400',
    async run(t) {
      const net = await t.network();
      for (const cidr of ['10.0.0.0/33', '10.0.0.300/24', 'banana', '10.0.0.5/24']) {
        await t.fails('POST', '/v2.0/subnets', post({ network_id: net.id, cidr, ip_version: 4 }), 400, 'HTTPBadRequest');
      }
    },
  }),
  defineCase({
    id: 'subnets.cidr.version_mismatch',
    title: 'a CIDR of the other IP version is 400 InvalidInput',
    async run(t) {
      const net = await t.network();
      await t.fails('POST', '/v2.0/subnets', post({ network_id: net.id, cidr: '10.0.0.0/24', ip_version: 6 }), 400, 'InvalidInput');
      await t.fails('POST', '/v2.0/subnets', post({ network_id: net.id, cidr: '2001:db8::/64', ip_version: 4 }), 400, 'InvalidInput');
    },
  }),
  defineCase({
    id: 'subnets.overlap.same_network',
    title: 'an overlapping CIDR on the same network is 400 InvalidInput, whether equal or contained',
    async run(t) {
      const { net } = await t.networkWithSubnet('10.0.0.0/16');
      await t.fails('POST', '/v2.0/subnets', post({ network_id: net.id, cidr: '10.0.0.0/16', ip_version: 4 }), 400, 'InvalidInput');
      await t.fails('POST', '/v2.0/subnets', post({ network_id: net.id, cidr: '10.0.5.0/24', ip_version: 4 }), 400, 'InvalidInput');
      await t.fails('POST', '/v2.0/subnets', post({ network_id: net.id, cidr: '10.0.0.0/8', ip_version: 4 }), 400, 'InvalidInput');
      await t.subnet(net.id, '10.1.0.0/16');
    },
  }),
  defineCase({
    id: 'subnets.overlap.other_network',
    title: 'the same CIDR on two networks is allowed (overlapping IPs across networks)',
    async run(t) {
      await t.networkWithSubnet('10.0.0.0/24');
      await t.networkWithSubnet('10.0.0.0/24');
    },
  }),
  defineCase({
    id: 'subnets.pools.custom',
    title: 'requested allocation pools are kept as given',
    async run(t) {
      const net = await t.network();
      const pools = [{ start: '10.0.0.10', end: '10.0.0.20' }, { start: '10.0.0.100', end: '10.0.0.110' }];
      const s = await t.subnet(net.id, '10.0.0.0/24', { allocation_pools: pools });
      t.equal(s.allocation_pools, pools, 'allocation_pools');
    },
  }),
  defineCase({
    id: 'subnets.pools.invalid',
    title: 'a pool that ends before it starts, or mixes IP versions, is 400 InvalidAllocationPool',
    async run(t) {
      const net = await t.network();
      const bad = async (pool: object) => t.fails('POST', '/v2.0/subnets', post({ network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4, allocation_pools: [pool] }), 400, 'InvalidAllocationPool');
      await bad({ start: '10.0.0.20', end: '10.0.0.10' });
      await bad({ start: '10.0.0.20', end: '2001:db8::1' });
    },
  }),
  defineCase({
    id: 'subnets.pools.out_of_bounds',
    title: 'a pool beyond the subnet (or on its network or broadcast address) is 400 OutOfBoundsAllocationPool',
    async run(t) {
      const net = await t.network();
      for (const pool of [{ start: '10.0.0.200', end: '10.0.1.10' }, { start: '10.0.0.0', end: '10.0.0.10' }, { start: '10.0.0.200', end: '10.0.0.255' }]) {
        await t.fails('POST', '/v2.0/subnets', post({ network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4, allocation_pools: [pool] }), 400, 'OutOfBoundsAllocationPool');
      }
    },
  }),
  defineCase({
    id: 'subnets.pools.overlap',
    title: 'two overlapping pools are 409 OverlappingAllocationPools',
    async run(t) {
      const net = await t.network();
      const pools = [{ start: '10.0.0.10', end: '10.0.0.50' }, { start: '10.0.0.40', end: '10.0.0.60' }];
      await t.fails('POST', '/v2.0/subnets', post({ network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4, allocation_pools: pools }), 409, 'OverlappingAllocationPools');
    },
  }),
  defineCase({
    id: 'subnets.pools.update',
    title: 'updated pools take effect for the next allocation',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      const u = (await t.ok('PUT', `/v2.0/subnets/${sub.id}`, { subnet: { allocation_pools: [{ start: '10.0.0.77', end: '10.0.0.77' }] } })).subnet;
      t.equal(u.allocation_pools, [{ start: '10.0.0.77', end: '10.0.0.77' }], 'allocation_pools after PUT');
      const p = await t.port(net.id);
      t.equal(p.fixed_ips.map((f: { ip_address: string }) => f.ip_address), ['10.0.0.77'], 'the port\'s address from the new pool');
    },
  }),
  defineCase({
    id: 'subnets.dns.limit',
    title: 'more DNS servers than allowed is 400 DNSNameServersExhausted',
    async run(t) {
      const net = await t.network();
      const dns = ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4', '1.1.1.5', '1.1.1.6'];
      await t.fails('POST', '/v2.0/subnets', post({ network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4, dns_nameservers: dns }), 400, 'DNSNameServersExhausted');
    },
  }),
  defineCase({
    id: 'subnets.host_routes.limit',
    title: 'more host routes than allowed is 400 HostRoutesExhausted',
    async run(t) {
      const net = await t.network();
      const routes = Array.from({ length: 21 }, (_, i) => ({ destination: `192.168.${i}.0/24`, nexthop: '10.0.0.9' }));
      await t.fails('POST', '/v2.0/subnets', post({ network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4, host_routes: routes }), 400, 'HostRoutesExhausted');
    },
  }),
  defineCase({
    id: 'subnets.delete.in_use',
    title: 'deleting a subnet a port has an address from is 409 SubnetInUse',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      await t.port(net.id, { device_owner: 'compute:nova' });
      await t.fails('DELETE', `/v2.0/subnets/${sub.id}`, undefined, 409, 'SubnetInUse');
      await t.ok('GET', `/v2.0/subnets/${sub.id}`);
    },
  }),
  defineCase({
    id: 'subnets.delete.dhcp_port_only',
    title: 'a subnet whose only user is a DHCP port can be deleted, and the port loses the address',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      const dhcp = await t.port(net.id, { device_owner: 'network:dhcp' });
      t.equal((await t.call('DELETE', `/v2.0/subnets/${sub.id}`)).status, 204, 'DELETE status');
      t.equal((await t.ok('GET', `/v2.0/ports/${dhcp.id}`)).port.fixed_ips, [], "the DHCP port's fixed_ips");
    },
  }),
];
