import { defineCase } from '../case.js';
import type { Harness, Json } from '../harness.js';

const v6 = (networkId: string, cidr: string, extra: object) => ({ subnet: { network_id: networkId, cidr, ip_version: 6, ...extra } });
const addresses = (port: Json): string[] => port.fixed_ips.map((f: { ip_address: string }) => f.ip_address);

async function v6Port(t: Harness, mode: string, mac = 'fa:16:3e:33:44:55'): Promise<{ sub: Json; port: Json }> {
  const net = await t.network();
  const sub = await t.subnet(net.id, '2001:db8::/64', { ipv6_ra_mode: mode, ipv6_address_mode: mode });
  return { sub, port: await t.port(net.id, { mac_address: mac }) };
}

export const ipv6Cases = [
  defineCase({
    id: 'ipv6.modes.mismatch',
    title: 'different ipv6_ra_mode and ipv6_address_mode is 400 InvalidInput',
    async run(t) {
      const net = await t.network();
      await t.fails('POST', '/v2.0/subnets', v6(net.id, '2001:db8::/64', { ipv6_ra_mode: 'slaac', ipv6_address_mode: 'dhcpv6-stateful' }), 400, 'InvalidInput');
    },
  }),
  defineCase({
    id: 'ipv6.modes.dhcp_disabled',
    title: 'an IPv6 mode with enable_dhcp false is 400 InvalidInput',
    async run(t) {
      const net = await t.network();
      await t.fails('POST', '/v2.0/subnets', v6(net.id, '2001:db8::/64', { ipv6_address_mode: 'slaac', enable_dhcp: false }), 400, 'InvalidInput');
    },
  }),
  defineCase({
    id: 'ipv6.modes.on_ipv4',
    title: 'an IPv6 mode on an IPv4 subnet is 400 InvalidInput',
    async run(t) {
      const net = await t.network();
      const body = { subnet: { network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4, ipv6_ra_mode: 'slaac' } };
      await t.fails('POST', '/v2.0/subnets', body, 400, 'InvalidInput');
    },
  }),
  defineCase({
    id: 'ipv6.modes.eui64_prefix',
    title: 'an EUI-64 mode on a prefix other than /64 is 400 InvalidInput',
    async run(t) {
      const net = await t.network();
      await t.fails('POST', '/v2.0/subnets', v6(net.id, '2001:db8::/80', { ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' }), 400, 'InvalidInput');
      await t.fails('POST', '/v2.0/subnets', v6(net.id, '2001:db8::/56', { ipv6_address_mode: 'dhcpv6-stateless' }), 400, 'InvalidInput');
    },
  }),
  defineCase({
    id: 'ipv6.slaac.eui64',
    title: 'a port on a slaac subnet gets the EUI-64 address of its MAC',
    async run(t) {
      const { port } = await v6Port(t, 'slaac');
      t.equal(addresses(port), ['2001:db8::f816:3eff:fe33:4455'], 'fixed_ips');
    },
  }),
  defineCase({
    id: 'ipv6.stateless.eui64',
    title: 'a port on a dhcpv6-stateless subnet gets the EUI-64 address of its MAC',
    async run(t) {
      const { port } = await v6Port(t, 'dhcpv6-stateless', 'fa:16:3e:00:00:01');
      t.equal(addresses(port), ['2001:db8::f816:3eff:fe00:1'], 'fixed_ips');
    },
  }),
  defineCase({
    id: 'ipv6.stateful.pool',
    title: 'ports on a dhcpv6-stateful subnet get distinct pool addresses, not EUI-64 ones',
    async run(t) {
      const { sub, port } = await v6Port(t, 'dhcpv6-stateful');
      const other = await t.port(sub.network_id, { mac_address: 'fa:16:3e:33:44:56' });
      const [a, b] = [addresses(port)[0], addresses(other)[0]];
      t.check(a && b && a !== b, `addresses ${a} and ${b} are not two distinct ones`);
      t.check(a !== '2001:db8::f816:3eff:fe33:4455', `stateful subnet gave the EUI-64 address ${a}`);
    },
  }),
  defineCase({
    id: 'ipv6.slaac.fixed_address_refused',
    title: 'asking for a specific address on a slaac subnet is 400 InvalidInput',
    async run(t) {
      const net = await t.network();
      const sub = await t.subnet(net.id, '2001:db8::/64', { ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' });
      const body = { port: { network_id: net.id, fixed_ips: [{ subnet_id: sub.id, ip_address: '2001:db8::55' }] } };
      await t.fails('POST', '/v2.0/ports', body, 400, 'InvalidInput');
    },
  }),
  defineCase({
    id: 'ipv6.slaac.existing_ports',
    title: 'adding a slaac subnet gives existing ports their EUI-64 address',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      const p = await t.port(net.id, { mac_address: 'fa:16:3e:33:44:55' });
      await t.subnet(net.id, '2001:db8::/64', { ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' });
      const shown = (await t.ok('GET', `/v2.0/ports/${p.id}`)).port;
      t.check(addresses(shown).includes('2001:db8::f816:3eff:fe33:4455'), `port addresses ${addresses(shown).join(', ')} lack the EUI-64 one`);
    },
  }),
  defineCase({
    id: 'ipv6.slaac.delete_with_ports',
    title: 'a slaac subnet can be deleted while (non-router) ports hold EUI-64 addresses from it',
    async run(t) {
      const { sub, port } = await v6Port(t, 'slaac');
      t.equal((await t.call('DELETE', `/v2.0/subnets/${sub.id}`)).status, 204, 'DELETE status');
      t.equal((await t.ok('GET', `/v2.0/ports/${port.id}`)).port.fixed_ips, [], 'fixed_ips after the subnet is gone');
    },
  }),
  defineCase({
    id: 'ipv6.dual_stack',
    title: 'a port on a dual-stack network gets one IPv4 and one IPv6 address',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      await t.subnet(net.id, '2001:db8::/64', { ipv6_ra_mode: 'dhcpv6-stateful', ipv6_address_mode: 'dhcpv6-stateful' });
      const p = await t.port(net.id);
      const versions = addresses(p).map((a) => (a.includes(':') ? 6 : 4)).sort();
      t.equal(versions, [4, 6], 'IP versions of the port\'s fixed_ips');
    },
  }),
];
