import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorType, makeApi, type Api } from './helpers.js';

let api: Api;
beforeEach(async () => {
  api = await makeApi();
});
afterEach(() => api.close());

describe('IPv6 address modes', () => {
  it.each(['slaac', 'dhcpv6-stateless'])('%s gives EUI-64 addresses from the MAC', async (mode) => {
    const net = await api.network();
    const s = await api.subnet(net.id, '2001:db8::/64', { ipv6_ra_mode: mode, ipv6_address_mode: mode });
    const p = await api.port(net.id, { mac_address: 'fa:16:3e:33:44:55' });
    expect(p.fixed_ips).toEqual([{ subnet_id: s.id, ip_address: '2001:db8::f816:3eff:fe33:4455' }]);
    const direct = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ ip_address: '2001:db8::99' }] } });
    expect([direct.status, errorType(direct)]).toEqual([400, 'InvalidInput']);
    const bySubnet = await api.port(net.id, { mac_address: 'fa:16:3e:00:00:07', fixed_ips: [{ subnet_id: s.id }] });
    expect(bySubnet.fixed_ips[0].ip_address).toBe('2001:db8::f816:3eff:fe00:7');
  });

  it('dhcpv6-stateful allocates from the pool, and a requested address works', async () => {
    const net = await api.network();
    const s = await api.subnet(net.id, '2001:db8:1::/64', { ipv6_ra_mode: 'dhcpv6-stateful', ipv6_address_mode: 'dhcpv6-stateful' });
    expect((await api.port(net.id)).fixed_ips).toEqual([{ subnet_id: s.id, ip_address: '2001:db8:1::2' }]);
    const named = await api.port(net.id, { fixed_ips: [{ ip_address: '2001:db8:1:0::abcd' }] });
    expect(named.fixed_ips[0].ip_address).toBe('2001:db8:1::abcd');
    const dup = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ ip_address: '2001:db8:1::abcd' }] } });
    expect([dup.status, errorType(dup)]).toEqual([409, 'IpAddressInUse']);
  });

  it('one address from the IPv4 subnets and one from the IPv6 ones, v4 overflowing to the next subnet', async () => {
    const net = await api.network();
    const a = await api.subnet(net.id, '10.0.0.0/30'); // one host in the pool
    const b = await api.subnet(net.id, '10.0.1.0/24');
    const v6 = await api.subnet(net.id, '2001:db8:2::/64');
    const p1 = await api.port(net.id);
    expect(p1.fixed_ips).toEqual([
      { subnet_id: a.id, ip_address: '10.0.0.2' },
      { subnet_id: v6.id, ip_address: '2001:db8:2::2' },
    ]);
    const p2 = await api.port(net.id);
    expect(p2.fixed_ips.map((f: { subnet_id: string }) => f.subnet_id)).toEqual([b.id, v6.id]);
  });

  it('adds EUI-64 addresses to existing ports when a slaac subnet appears; removing it is allowed', async () => {
    const net = await api.network();
    await api.subnet(net.id, '10.0.0.0/24');
    const p = await api.port(net.id, { mac_address: 'fa:16:3e:33:44:55' });
    const s = await api.subnet(net.id, '2001:db8::/64', { ipv6_address_mode: 'slaac' });
    const after = (await api.ok('GET', `/v2.0/ports/${p.id}`)).port;
    expect(after.fixed_ips.map((f: { ip_address: string }) => f.ip_address)).toEqual(['10.0.0.2', '2001:db8::f816:3eff:fe33:4455']);
    expect((await api.call('DELETE', `/v2.0/subnets/${s.id}`)).status).toBe(204);
  });
});

describe('EUI-64 addresses with explicit fixed_ips (as Neutron: automatic addresses are always added)', () => {
  it('a port asking only for an IPv4 address on a dual-stack slaac network still gets its EUI-64 address', async () => {
    const net = await api.network();
    const v4 = await api.subnet(net.id, '10.0.0.0/24');
    const v6 = await api.subnet(net.id, '2001:db8::/64', { ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' });
    const p = await api.port(net.id, { mac_address: 'fa:16:3e:33:44:55', fixed_ips: [{ subnet_id: v4.id, ip_address: '10.0.0.50' }] });
    expect(p.fixed_ips).toEqual([
      { subnet_id: v4.id, ip_address: '10.0.0.50' },
      { subnet_id: v6.id, ip_address: '2001:db8::f816:3eff:fe33:4455' },
    ]);
    // a router interface takes only what it asks for
    const r = await api.port(net.id, { device_owner: 'network:router_interface', fixed_ips: [{ subnet_id: v4.id }] });
    expect(r.fixed_ips.map((f: { subnet_id: string }) => f.subnet_id)).toEqual([v4.id]);
  });

  it('an update that lists only IPv4 addresses keeps the EUI-64 address', async () => {
    const net = await api.network();
    const v4 = await api.subnet(net.id, '10.0.0.0/24');
    const v6 = await api.subnet(net.id, '2001:db8::/64', { ipv6_address_mode: 'dhcpv6-stateless', ipv6_ra_mode: 'dhcpv6-stateless' });
    const p = await api.port(net.id, { mac_address: 'fa:16:3e:33:44:55' });
    expect(p.fixed_ips).toHaveLength(2);
    const upd = (await api.ok('PUT', `/v2.0/ports/${p.id}`, { port: { fixed_ips: [{ subnet_id: v4.id, ip_address: '10.0.0.60' }] } })).port;
    expect(upd.fixed_ips).toEqual([
      { subnet_id: v6.id, ip_address: '2001:db8::f816:3eff:fe33:4455' },
      { subnet_id: v4.id, ip_address: '10.0.0.60' },
    ]);
    const cleared = (await api.ok('PUT', `/v2.0/ports/${p.id}`, { port: { fixed_ips: [] } })).port;
    expect(cleared.fixed_ips).toEqual([{ subnet_id: v6.id, ip_address: '2001:db8::f816:3eff:fe33:4455' }]);
  });
});

describe('IPv6 gateways', () => {
  it('accepts a link-local gateway (an external router advertising from fe80::), as Neutron; other off-subnet ones stay refused', async () => {
    const net = await api.network();
    const s = await api.subnet(net.id, '2001:db8:5::/64', { ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac', gateway_ip: 'fe80::1' });
    expect([s.gateway_ip, s.allocation_pools]).toEqual(['fe80::1', [{ start: '2001:db8:5::1', end: '2001:db8:5:0:ffff:ffff:ffff:ffff' }]]);
    const moved = (await api.ok('PUT', `/v2.0/subnets/${s.id}`, { subnet: { gateway_ip: 'FE80::abcd' } })).subnet;
    expect(moved.gateway_ip).toBe('fe80::abcd');
    const off = await api.call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '2001:db8:6::/64', ip_version: 6, gateway_ip: '2001:db8:7::1' } });
    expect([off.status, errorType(off)]).toEqual([400, 'InvalidInput']);
  });
});

describe('router interfaces on EUI-64 subnets', () => {
  it('a router interface may take the gateway (or a pool address) on a slaac subnet, which then cannot go', async () => {
    const net = await api.network();
    const s = await api.subnet(net.id, '2001:db8:8::/64', { ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' });
    const r = await api.port(net.id, { device_owner: 'network:router_interface', fixed_ips: [{ subnet_id: s.id, ip_address: '2001:db8:8::1' }] });
    expect(r.fixed_ips).toEqual([{ subnet_id: s.id, ip_address: '2001:db8:8::1' }]);
    const r2 = await api.port(net.id, { device_owner: 'network:router_interface', mac_address: 'fa:16:3e:33:44:55', fixed_ips: [{ subnet_id: s.id }] });
    expect(r2.fixed_ips[0].ip_address).not.toBe('2001:db8:8:0:f816:3eff:fe33:4455'); // from the pool, not EUI-64
    const del = await api.call('DELETE', `/v2.0/subnets/${s.id}`);
    expect([del.status, errorType(del)]).toEqual([409, 'SubnetInUse']);
    // other ports still may not pick an address there
    const vm = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ subnet_id: s.id, ip_address: '2001:db8:8::99' }] } });
    expect([vm.status, errorType(vm)]).toEqual([400, 'InvalidInput']);
  });
});
