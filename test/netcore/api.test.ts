import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorType, makeApi, type Api } from './helpers.js';

let api: Api;
beforeEach(async () => {
  api = await makeApi();
});
afterEach(() => api.close());

describe('discovery', () => {
  it('lists the version at / and the resources at /v2.0/', async () => {
    const root = await api.ok('GET', '/');
    expect(root.versions).toEqual([{ id: 'v2.0', status: 'CURRENT', links: [{ href: 'http://localhost:80/v2.0/', rel: 'self' }] }]);
    const v2 = await api.ok('GET', '/v2.0/');
    expect(v2.resources.map((r: { collection: string }) => r.collection).sort()).toEqual(['networks', 'ports', 'subnets']);
  });

  it('lists extensions and shows one by alias', async () => {
    const { extensions } = await api.ok('GET', '/v2.0/extensions');
    const aliases = extensions.map((e: { alias: string }) => e.alias);
    expect(aliases).toEqual(expect.arrayContaining(['provider', 'external-net', 'net-mtu', 'pagination', 'sorting']));
    expect((await api.ok('GET', '/v2.0/extensions/provider')).extension.name).toBe('Provider Network');
    const missing = await api.call('GET', '/v2.0/extensions/nope');
    expect([missing.status, errorType(missing)]).toEqual([404, 'HTTPNotFound']);
  });

  it('answers a method a resource does not support with 405 HTTPMethodNotAllowed, not 404', async () => {
    const net = await api.network();
    for (const [method, url] of [
      ['PUT', '/v2.0/networks'],
      ['DELETE', '/v2.0/ports'],
      ['PATCH', `/v2.0/networks/${net.id}`],
      ['POST', `/v2.0/networks/${net.id}`],
      ['POST', '/v2.0/subnets/x.json'],
    ] as const) {
      const res = await api.app.inject({ method, url, payload: {} });
      expect([method, url, res.statusCode, res.json().NeutronError.type]).toEqual([method, url, 405, 'HTTPMethodNotAllowed']);
    }
    const unknown = await api.app.inject({ method: 'PATCH', url: '/v2.0/no-such-collection' });
    expect([unknown.statusCode, unknown.json().NeutronError.type]).toEqual([404, 'HTTPNotFound']);
  });

  it('accepts the .json suffix and answers unknown paths with HTTPNotFound', async () => {
    expect((await api.call('GET', '/v2.0/networks.json')).status).toBe(200);
    const res = await api.call('GET', '/v2.0/nothing');
    expect([res.status, errorType(res)]).toEqual([404, 'HTTPNotFound']);
  });
});

describe('networks', () => {
  it('creates with Neutron defaults and read-only fields, shows, updates, deletes', async () => {
    const res = await api.call('POST', '/v2.0/networks', { network: { name: 'net1' } });
    expect(res.status).toBe(201);
    const net = res.body.network;
    expect(net).toMatchObject({
      name: 'net1',
      admin_state_up: true,
      status: 'ACTIVE',
      shared: false,
      subnets: [],
      mtu: 1450,
      'router:external': false,
      'provider:network_type': 'vxlan',
      'provider:physical_network': null,
      'provider:segmentation_id': 1,
      project_id: 'p1',
      tenant_id: 'p1',
      revision_number: 0,
    });
    expect((await api.ok('GET', `/v2.0/networks/${net.id}`)).network).toEqual(net);
    const upd = await api.ok('PUT', `/v2.0/networks/${net.id}`, { network: { name: 'net2', admin_state_up: false } });
    expect(upd.network).toMatchObject({ name: 'net2', admin_state_up: false, revision_number: 1 });
    const del = await api.call('DELETE', `/v2.0/networks/${net.id}`);
    expect([del.status, del.body]).toEqual([204, undefined]);
    const gone = await api.call('GET', `/v2.0/networks/${net.id}`);
    expect([gone.status, errorType(gone)]).toEqual([404, 'NetworkNotFound']);
  });

  it('honours If-Match: revision_number=N on update and delete (412 RevisionNumberConstraintFailed when stale)', async () => {
    const net = await api.network();
    const put = (rev: string, name: string) =>
      api.app.inject({ method: 'PUT', url: `/v2.0/networks/${net.id}`, headers: { 'x-project-id': 'p1', 'if-match': rev }, payload: { network: { name } } });
    const ok = await put('revision_number=0', 'first');
    expect([ok.statusCode, ok.json().network.revision_number]).toEqual([200, 1]);
    const stale = await put('revision_number=0', 'lost update');
    expect([stale.statusCode, stale.json().NeutronError.type]).toEqual([412, 'RevisionNumberConstraintFailed']);
    expect(stale.json().NeutronError.message).toBe('Constrained to 0, but current revision is 1');
    expect((await api.ok('GET', `/v2.0/networks/${net.id}`)).network.name).toBe('first');
    const bad = await put('revision_number=one', 'x');
    expect([bad.statusCode, bad.json().NeutronError.type]).toEqual([400, 'HTTPBadRequest']);
    expect((await put('"some-etag"', 'other etags are ignored')).statusCode).toBe(200);
    const del = (rev: string) => api.app.inject({ method: 'DELETE', url: `/v2.0/networks/${net.id}`, headers: { 'x-project-id': 'p1', 'if-match': rev } });
    expect((await del('revision_number=1')).statusCode).toBe(412);
    expect((await del('revision_number=2')).statusCode).toBe(204);
    const { extensions } = await api.ok('GET', '/v2.0/extensions');
    expect(extensions.map((e: { alias: string }) => e.alias)).toContain('revision-if-match');
    // the reference plugin checks it again inside its write transaction
    const other = await api.network();
    expect(() => api.app.netcore.plugin.updateNetwork({ projectId: 'p1', isAdmin: false, revision: 3 }, other.id, { name: 'x' })).toThrow(
      'Constrained to 3, but current revision is 0',
    );
  });

  it('a subnet created, updated or deleted bumps its network (revision_number, updated_at), addresses their ports', async () => {
    const net = await api.network();
    const rev = async () => (await api.ok('GET', `/v2.0/networks/${net.id}`)).network.revision_number;
    const s = await api.subnet(net.id, '10.0.0.0/24');
    expect(await rev()).toBe(1);
    await api.ok('PUT', `/v2.0/subnets/${s.id}`, { subnet: { name: 'x' } });
    expect(await rev()).toBe(2);
    const p = await api.port(net.id);
    const v6 = await api.subnet(net.id, '2001:db8::/64', { ipv6_address_mode: 'slaac' });
    expect(await rev()).toBe(3);
    const portRev = async () => (await api.ok('GET', `/v2.0/ports/${p.id}`)).port.revision_number;
    expect(await portRev()).toBe(1); // gained its EUI-64 address
    await api.ok('DELETE', `/v2.0/subnets/${v6.id}`);
    expect([await rev(), await portRev()]).toEqual([4, 2]); // lost it
    const names = (b: { networks: { name: string }[] }) => b.networks.map((n) => n.name);
    expect(names(await api.ok('GET', `/v2.0/networks?changed_since=${(await api.ok('GET', `/v2.0/networks/${net.id}`)).network.updated_at}`))).toContain(net.name);
  });

  it('bulk-creates atomically', async () => {
    const res = await api.call('POST', '/v2.0/networks', { networks: [{ name: 'a' }, { name: 'b' }] });
    expect(res.status).toBe(201);
    expect(res.body.networks.map((n: { name: string }) => n.name)).toEqual(['a', 'b']);
    const bad = await api.call('POST', '/v2.0/networks', { networks: [{ name: 'c' }, { name: 'd', mtu: 9000 }] });
    expect([bad.status, errorType(bad)]).toEqual([400, 'InvalidInput']);
    const names = (await api.ok('GET', '/v2.0/networks')).networks.map((n: { name: string }) => n.name);
    expect(names.sort()).toEqual(['a', 'b']);
  });

  it('refuses unknown and read-only attributes and bad values with HTTPBadRequest', async () => {
    for (const [body, message] of [
      [{ network: { foo: 1 } }, "Unrecognized attribute(s) 'foo'"],
      [{ network: { status: 'DOWN' } }, "Attribute 'status' not allowed in POST"],
      [{ network: { admin_state_up: 'maybe' } }, "Invalid input for admin_state_up. Reason: 'maybe' cannot be converted to boolean."],
      [{ netwrk: {} }, "Unable to find 'network' in request body"],
    ] as const) {
      const res = await api.call('POST', '/v2.0/networks', body);
      expect([res.status, errorType(res), res.body.NeutronError.message]).toEqual([400, 'HTTPBadRequest', message]);
      expect(res.body.NeutronError.detail).toBe('');
    }
    const net = await api.network();
    const ro = await api.call('PUT', `/v2.0/networks/${net.id}`, { network: { 'provider:network_type': 'vlan' } });
    expect([ro.status, errorType(ro)]).toEqual([400, 'HTTPBadRequest']);
  });

  it('a DELETE with a JSON content type and no body deletes (the body of a DELETE is ignored, as Neutron)', async () => {
    const net = await api.network();
    const json = { 'content-type': 'application/json', 'x-project-id': 'p1' };
    const del = await api.app.inject({ method: 'DELETE', url: `/v2.0/networks/${net.id}`, headers: json });
    expect([del.statusCode, del.body]).toEqual([204, '']);
    const other = await api.network();
    const withJunk = await api.app.inject({ method: 'DELETE', url: `/v2.0/networks/${other.id}`, headers: json, payload: '{nope' });
    expect(withJunk.statusCode).toBe(204);
    // an empty create body is still refused, as a missing resource
    const empty = await api.app.inject({ method: 'POST', url: '/v2.0/networks', headers: json });
    expect([empty.statusCode, empty.json().NeutronError.type]).toEqual([400, 'HTTPBadRequest']);
  });

  it('answers a body that is not JSON with 400 and one over the limit with 413', async () => {
    const bad = await api.app.inject({ method: 'POST', url: '/v2.0/networks', headers: { 'content-type': 'application/json' }, payload: '{nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().NeutronError.type).toBe('HTTPBadRequest');
    const small = await makeApi({ config: { maxRequestBodySize: 1000 } });
    const big = await small.call('POST', '/v2.0/networks', { network: { name: 'x', description: 'y'.repeat(2000) } });
    expect([big.status, errorType(big)]).toEqual([413, 'HTTPRequestEntityTooLarge']);
    await small.close();
  });

  it('NetworkInUse while ports remain, except the network:dhcp port', async () => {
    const net = await api.network();
    await api.subnet(net.id, '10.0.0.0/24');
    const port = await api.port(net.id);
    await api.port(net.id, { device_owner: 'network:dhcp' });
    const res = await api.call('DELETE', `/v2.0/networks/${net.id}`);
    expect([res.status, errorType(res)]).toEqual([409, 'NetworkInUse']);
    await api.ok('DELETE', `/v2.0/ports/${port.id}`);
    expect((await api.call('DELETE', `/v2.0/networks/${net.id}`)).status).toBe(204);
    expect((await api.ok('GET', '/v2.0/ports')).ports).toEqual([]);
    expect((await api.ok('GET', '/v2.0/subnets')).subnets).toEqual([]);
  });
});

describe('subnets', () => {
  it('defaults the gateway and pools, and shows the subnet on its network', async () => {
    const net = await api.network();
    const res = await api.call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.1.0.0/24', ip_version: 4 } });
    expect(res.status).toBe(201);
    expect(res.body.subnet).toMatchObject({
      gateway_ip: '10.1.0.1',
      allocation_pools: [{ start: '10.1.0.2', end: '10.1.0.254' }],
      enable_dhcp: true,
      dns_nameservers: [],
      host_routes: [],
      ipv6_ra_mode: null,
      ipv6_address_mode: null,
    });
    expect((await api.ok('GET', `/v2.0/networks/${net.id}`)).network.subnets).toEqual([res.body.subnet.id]);
  });

  it('splits the default pool around a gateway in the middle, and allows no gateway', async () => {
    const net = await api.network();
    const mid = await api.subnet(net.id, '10.2.0.0/24', { gateway_ip: '10.2.0.100' });
    expect(mid.allocation_pools).toEqual([
      { start: '10.2.0.1', end: '10.2.0.99' },
      { start: '10.2.0.101', end: '10.2.0.254' },
    ]);
    const none = await api.subnet(net.id, '10.3.0.0/24', { gateway_ip: null });
    expect([none.gateway_ip, none.allocation_pools]).toEqual([null, [{ start: '10.3.0.1', end: '10.3.0.254' }]]);
  });

  it('updates pools, gateway, nameservers and routes', async () => {
    const net = await api.network();
    const s = await api.subnet(net.id, '10.4.0.0/24');
    const upd = await api.ok('PUT', `/v2.0/subnets/${s.id}`, {
      subnet: { allocation_pools: [{ start: '10.4.0.10', end: '10.4.0.20' }], dns_nameservers: ['1.1.1.1'], host_routes: [{ destination: '10.9.0.0/16', nexthop: '10.4.0.5' }] },
    });
    expect(upd.subnet).toMatchObject({ allocation_pools: [{ start: '10.4.0.10', end: '10.4.0.20' }], dns_nameservers: ['1.1.1.1'] });
    expect((await api.port(net.id)).fixed_ips[0].ip_address).toBe('10.4.0.10');
    const ro = await api.call('PUT', `/v2.0/subnets/${s.id}`, { subnet: { cidr: '10.5.0.0/24' } });
    expect([ro.status, errorType(ro), ro.body.NeutronError.message]).toEqual([400, 'HTTPBadRequest', 'Cannot update read-only attribute cidr']);
  });

  it.each([
    [{ cidr: '10.0.0.0/33' }, 400, 'HTTPBadRequest'],
    [{ cidr: 'banana' }, 400, 'HTTPBadRequest'],
    [{ cidr: '10.0.0.5/24' }, 400, 'HTTPBadRequest'],
    [{ cidr: '10.0.0.0/24', ip_version: 6 }, 400, 'InvalidInput'],
    [{ cidr: '10.0.0.0/24', gateway_ip: '10.9.9.9' }, 400, 'InvalidInput'],
    [{ cidr: '10.0.0.0/24', gateway_ip: '10.0.0.255' }, 400, 'InvalidInput'],
    [{ cidr: '10.0.0.0/24', allocation_pools: [{ start: '10.0.0.50', end: '10.0.0.20' }] }, 400, 'InvalidAllocationPool'],
    [{ cidr: '10.0.0.0/24', allocation_pools: [{ start: '10.0.0.50', end: '10.0.1.20' }] }, 400, 'OutOfBoundsAllocationPool'],
    [{ cidr: '10.0.0.0/24', allocation_pools: [{ start: '10.0.0.10', end: '10.0.0.30' }, { start: '10.0.0.20', end: '10.0.0.40' }] }, 409, 'OverlappingAllocationPools'],
    [{ cidr: '10.0.0.0/24', allocation_pools: [{ start: '10.0.0.1', end: '10.0.0.30' }] }, 409, 'GatewayConflictWithAllocationPools'],
    [{ cidr: '10.0.0.0/24', dns_nameservers: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4', '1.1.1.5', '1.1.1.6'] }, 400, 'DNSNameServersExhausted'],
    [{ cidr: '10.0.0.0/24', ip_version: 4, ipv6_ra_mode: 'slaac' }, 400, 'InvalidInput'],
    [{ cidr: '2001:db8::/64', ipv6_ra_mode: 'slaac', ipv6_address_mode: 'dhcpv6-stateful' }, 400, 'InvalidInput'],
    [{ cidr: '2001:db8::/64', ipv6_address_mode: 'slaac', enable_dhcp: false }, 400, 'InvalidInput'],
    [{ cidr: '2001:db8::/80', ipv6_address_mode: 'slaac' }, 400, 'InvalidInput'],
    [{ cidr: '2001:db8::/80', ipv6_address_mode: 'dhcpv6-stateless' }, 400, 'InvalidInput'],
    [{ cidr: '2001:db8::/64', ipv6_address_mode: 'eui64' }, 400, 'HTTPBadRequest'],
  ])('refuses %j with %i %s', async (extra, status, type) => {
    const net = await api.network();
    const res = await api.call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, ip_version: String(extra.cidr).includes(':') ? 6 : 4, ...extra } });
    expect([res.status, errorType(res)]).toEqual([status, type]);
  });

  it('takes null dns_nameservers and host_routes as empty lists (neutron-lib convert_none_to_empty_list)', async () => {
    const net = await api.network();
    const res = await api.call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.8.0.0/24', ip_version: 4, dns_nameservers: null, host_routes: null } });
    expect([res.status, res.body.subnet?.dns_nameservers, res.body.subnet?.host_routes]).toEqual([201, [], []]);
    const id = res.body.subnet.id;
    await api.ok('PUT', `/v2.0/subnets/${id}`, { subnet: { dns_nameservers: ['1.1.1.1'], host_routes: [{ destination: '10.9.0.0/16', nexthop: '10.8.0.5' }] } });
    const cleared = (await api.ok('PUT', `/v2.0/subnets/${id}`, { subnet: { dns_nameservers: null, host_routes: null } })).subnet;
    expect([cleared.dns_nameservers, cleared.host_routes]).toEqual([[], []]);
  });

  it('refuses to move the gateway while a router interface holds it (409 GatewayIpInUse)', async () => {
    const net = await api.network();
    const s = await api.subnet(net.id, '10.7.0.0/24');
    const router = await api.port(net.id, { device_owner: 'network:router_interface', fixed_ips: [{ subnet_id: s.id, ip_address: '10.7.0.1' }] });
    const res = await api.call('PUT', `/v2.0/subnets/${s.id}`, { subnet: { gateway_ip: '10.7.0.254', allocation_pools: [{ start: '10.7.0.2', end: '10.7.0.200' }] } });
    expect([res.status, errorType(res), res.body.NeutronError.message]).toEqual([
      409,
      'GatewayIpInUse',
      `Current gateway ip 10.7.0.1 already in use by port ${router.id}. Unable to update.`,
    ]);
    expect((await api.ok('GET', `/v2.0/subnets/${s.id}`)).subnet.gateway_ip).toBe('10.7.0.1');
    // the same gateway again, or other changes, are fine; without the router port the gateway moves
    await api.ok('PUT', `/v2.0/subnets/${s.id}`, { subnet: { gateway_ip: '10.7.0.1', name: 'same' } });
    await api.ok('DELETE', `/v2.0/ports/${router.id}`);
    await api.ok('PUT', `/v2.0/subnets/${s.id}`, { subnet: { gateway_ip: '10.7.0.254', allocation_pools: [{ start: '10.7.0.2', end: '10.7.0.200' }] } });
  });

  it('a subnetpool_id filter matches no subnet (none comes from a pool), not every subnet', async () => {
    const net = await api.network();
    const s = await api.subnet(net.id, '10.0.0.0/24');
    const byPool = await api.ok('GET', '/v2.0/subnets?subnetpool_id=6f2a5c9e-0f2a-4a4e-9a52-1f6c3cbd6b1e');
    expect(byPool.subnets).toEqual([]);
    expect((await api.ok('GET', '/v2.0/subnets?subnetpool_id=')).subnets.map((x: { id: string }) => x.id)).toEqual([s.id]);
  });

  it('refuses overlapping subnets on one network (InvalidInput, as Neutron) but not on two', async () => {
    const a = await api.network();
    const b = await api.network();
    await api.subnet(a.id, '10.0.0.0/16');
    const res = await api.call('POST', '/v2.0/subnets', { subnet: { network_id: a.id, cidr: '10.0.5.0/24', ip_version: 4 } });
    expect([res.status, errorType(res)]).toEqual([400, 'InvalidInput']);
    expect(res.body.NeutronError.message).toMatch(/overlaps with another subnet/);
    await api.subnet(b.id, '10.0.5.0/24');
  });

  it('SubnetInUse while a port holds an address; SubnetNotFound after delete; NetworkNotFound for a bad network', async () => {
    const net = await api.network();
    const s = await api.subnet(net.id, '10.0.0.0/24');
    const p = await api.port(net.id);
    const res = await api.call('DELETE', `/v2.0/subnets/${s.id}`);
    expect([res.status, errorType(res)]).toEqual([409, 'SubnetInUse']);
    await api.ok('DELETE', `/v2.0/ports/${p.id}`);
    expect((await api.call('DELETE', `/v2.0/subnets/${s.id}`)).status).toBe(204);
    const gone = await api.call('GET', `/v2.0/subnets/${s.id}`);
    expect([gone.status, errorType(gone)]).toEqual([404, 'SubnetNotFound']);
    const nonet = await api.call('POST', '/v2.0/subnets', { subnet: { network_id: '00000000-0000-0000-0000-000000000000', cidr: '10.0.0.0/24', ip_version: 4 } });
    expect([nonet.status, errorType(nonet)]).toEqual([404, 'NetworkNotFound']);
  });
});

describe('ports', () => {
  it('allocates, honours requests by address and by subnet, and releases on update and delete', async () => {
    const net = await api.network();
    const s = await api.subnet(net.id, '10.0.0.0/29'); // hosts .2-.6 in the pool
    const a = await api.port(net.id, { fixed_ips: [{ ip_address: '10.0.0.4' }] });
    expect(a.fixed_ips).toEqual([{ subnet_id: s.id, ip_address: '10.0.0.4' }]);
    const b = await api.port(net.id, { fixed_ips: [{ subnet_id: s.id }] });
    expect(b.fixed_ips[0].ip_address).toBe('10.0.0.2');
    const dup = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ ip_address: '10.0.0.4' }] } });
    expect([dup.status, errorType(dup)]).toEqual([409, 'IpAddressInUse']);
    const moved = await api.ok('PUT', `/v2.0/ports/${a.id}`, { port: { fixed_ips: [{ ip_address: '10.0.0.6' }] } });
    expect(moved.port.fixed_ips).toEqual([{ subnet_id: s.id, ip_address: '10.0.0.6' }]);
    await api.port(net.id, { fixed_ips: [{ ip_address: '10.0.0.4' }] }); // released by the update
    await api.port(net.id); // .3
    await api.port(net.id); // .5
    const full = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id } });
    expect([full.status, errorType(full)]).toEqual([409, 'IpAddressGenerationFailure']);
    await api.ok('DELETE', `/v2.0/ports/${b.id}`);
    expect((await api.port(net.id)).fixed_ips[0].ip_address).toBe('10.0.0.2');
  });

  it.each([
    [[{ ip_address: '10.0.0.1' }], 409, 'IpAddressInUse'], // the gateway
    [[{ ip_address: '10.1.0.5' }], 400, 'InvalidIpForNetwork'],
    [[{ subnet_id: 'SUBNET', ip_address: '10.0.0.255' }], 400, 'InvalidIpForSubnet'],
    [[{ subnet_id: '00000000-0000-0000-0000-000000000000' }], 404, 'SubnetNotFound'],
    [Array.from({ length: 6 }, (_, i) => ({ ip_address: `10.0.0.${10 + i}` })), 400, 'InvalidInput'],
    [[{ foo: 1 }], 400, 'HTTPBadRequest'],
  ])('refuses fixed_ips %j with %i %s', async (fixed, status, type) => {
    const net = await api.network();
    const s = await api.subnet(net.id, '10.0.0.0/24');
    const fixed_ips = JSON.parse(JSON.stringify(fixed).replace('SUBNET', s.id));
    const res = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips } });
    expect([res.status, errorType(res)]).toEqual([status, type]);
  });

  it('generates MACs from the base, unique per network; a taken one is MacAddressInUse', async () => {
    const net = await api.network();
    const macs = new Set<string>();
    for (let i = 0; i < 50; i++) macs.add((await api.port(net.id)).mac_address);
    expect(macs.size).toBe(50);
    for (const m of macs) expect(m).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    await api.port(net.id, { mac_address: 'FA:16:3E:AA:BB:CC' });
    const res = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, mac_address: 'fa:16:3e:aa:bb:cc' } });
    expect([res.status, errorType(res)]).toEqual([409, 'MacAddressInUse']);
    const other = await api.network();
    await api.port(other.id, { mac_address: 'fa:16:3e:aa:bb:cc' });
    const custom = await makeApi({ config: { baseMac: 'fa:16:3f:00:00:00' } });
    const n2 = await custom.network();
    expect((await custom.port(n2.id)).mac_address).toMatch(/^fa:16:3f:/);
    await custom.close();
  });

  it('updates name, device fields and admin state; PortNotFound after delete', async () => {
    const net = await api.network();
    const p = await api.port(net.id, { name: 'x' });
    expect(p).toMatchObject({ status: 'DOWN', device_id: '', device_owner: '', admin_state_up: true, fixed_ips: [] });
    const upd = await api.ok('PUT', `/v2.0/ports/${p.id}`, { port: { name: 'y', device_id: 'vm1', device_owner: 'compute:nova', admin_state_up: false } });
    expect(upd.port).toMatchObject({ name: 'y', device_id: 'vm1', device_owner: 'compute:nova', admin_state_up: false });
    await api.ok('DELETE', `/v2.0/ports/${p.id}`);
    const gone = await api.call('DELETE', `/v2.0/ports/${p.id}`);
    expect([gone.status, errorType(gone)]).toEqual([404, 'PortNotFound']);
  });
});
