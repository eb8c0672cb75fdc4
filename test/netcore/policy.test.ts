import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorType, makeApi, type Api, type Who } from './helpers.js';

const A: Who = { project: 'alpha' };
const B: Who = { project: 'beta' };
const ADMIN: Who = { project: 'ops', admin: true };

describe('policy matrix: two projects and an admin', () => {
  let api: Api;
  let net: any, sub: any, port: any, shared: any, sharedSub: any, router: any, fip: any, group: any, pool: any;
  beforeAll(async () => {
    api = await makeApi();
    net = await api.network({ name: 'alpha-net' }, A);
    sub = await api.subnet(net.id, '10.0.0.0/24', {}, A);
    port = await api.port(net.id, {}, A);
    const ext = await api.network({ name: 'public', 'router:external': true }, ADMIN);
    await api.subnet(ext.id, '172.24.4.0/24', {}, ADMIN);
    router = (await api.ok('POST', '/v2.0/routers', { router: { name: 'alpha-router', external_gateway_info: { network_id: ext.id } } }, A)).router;
    fip = (await api.ok('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } }, A)).floatingip;
    group = (await api.ok('POST', '/v2.0/security-groups', { security_group: { name: 'alpha-web' } }, A)).security_group;
    pool = (await api.ok('POST', '/v2.0/lb/pools', { pool: { name: 'alpha-pool', subnet_id: sub.id, protocol: 'HTTP', lb_method: 'ROUND_ROBIN' } }, A)).pool;
    shared = await api.network({ name: 'shared', shared: true, project_id: 'alpha' }, ADMIN);
    sharedSub = await api.subnet(shared.id, '10.1.0.0/24', {}, ADMIN);
  });
  afterAll(() => api.close());

  const kinds = () =>
    [
      ['networks', 'network', net, 'NetworkNotFound'],
      ['subnets', 'subnet', sub, 'SubnetNotFound'],
      ['ports', 'port', port, 'PortNotFound'],
      ['routers', 'router', router, 'RouterNotFound'],
      ['floatingips', 'floatingip', fip, 'FloatingIPNotFound'],
      ['security-groups', 'security_group', group, 'SecurityGroupNotFound'],
      ['lb/pools', 'pool', pool, 'PoolNotFound'],
    ] as const;
  // a collection's path and its key in a list answer (security-groups: security_groups)
  const key = (coll: string) => coll.split('/').pop()!.replace(/-/g, '_');

  it('the owner and admin see each resource; another project gets 404 on show, update and delete, and an empty list', async () => {
    for (const [coll, one, res, notFound] of kinds()) {
      expect((await api.call('GET', `/v2.0/${coll}/${res.id}`, undefined, A)).status).toBe(200);
      expect((await api.call('GET', `/v2.0/${coll}/${res.id}`, undefined, ADMIN)).status).toBe(200);
      for (const [method, body] of [
        ['GET', undefined],
        ['PUT', { [one]: { [one === 'floatingip' ? 'description' : 'name']: 'stolen' } }],
        ['DELETE', undefined],
      ] as const) {
        const r = await api.call(method, `/v2.0/${coll}/${res.id}`, body, B);
        expect([coll, method, r.status, errorType(r)]).toEqual([coll, method, 404, notFound]);
      }
      const ids = (await api.ok('GET', `/v2.0/${coll}`, undefined, B))[key(coll)].map((x: { id: string }) => x.id);
      expect(ids).not.toContain(res.id);
      const all = (await api.ok('GET', `/v2.0/${coll}`, undefined, ADMIN))[key(coll)].map((x: { id: string }) => x.id);
      expect(all).toContain(res.id);
    }
  });

  it('the owner and admin may update each resource', async () => {
    for (const [coll, one, res] of kinds()) {
      const field = one === 'floatingip' ? 'description' : 'name';
      expect((await api.call('PUT', `/v2.0/${coll}/${res.id}`, { [one]: { [field]: `${one}-a` } }, A)).status).toBe(200);
      expect((await api.call('PUT', `/v2.0/${coll}/${res.id}`, { [one]: { [field]: `${one}-x` } }, ADMIN)).status).toBe(200);
    }
  });

  it("another project may not attach to a router, nor map a floating IP to a port, it cannot see (404)", async () => {
    const bNet = await api.network({}, B);
    const bSub = await api.subnet(bNet.id, '10.9.0.0/24', {}, B);
    const attach = await api.call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: bSub.id }, B);
    expect([attach.status, errorType(attach)]).toEqual([404, 'RouterNotFound']);
    const intoOurs = await api.call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: bSub.id }, A);
    expect([intoOurs.status, errorType(intoOurs)]).toEqual([404, 'SubnetNotFound']);
    const ext = fip.floating_network_id;
    const theirs = await api.call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext, port_id: port.id } }, B);
    expect([theirs.status, errorType(theirs)]).toEqual([404, 'PortNotFound']);
  });

  it('another project may not create a subnet or port on a private network (404)', async () => {
    const s = await api.call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.5.0.0/24', ip_version: 4 } }, B);
    expect([s.status, errorType(s)]).toEqual([404, 'NetworkNotFound']);
    const p = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id } }, B);
    expect([p.status, errorType(p)]).toEqual([404, 'NetworkNotFound']);
  });

  it('a shared network and its subnets are visible to all and take anyone’s ports, but only its owner changes them', async () => {
    expect((await api.call('GET', `/v2.0/networks/${shared.id}`, undefined, B)).status).toBe(200);
    expect((await api.call('GET', `/v2.0/subnets/${sharedSub.id}`, undefined, B)).status).toBe(200);
    const bp = await api.port(shared.id, {}, B);
    expect(bp.project_id).toBe('beta');
    expect(bp.fixed_ips[0].subnet_id).toBe(sharedSub.id);
    // alpha owns the shared network but not beta's port on it
    expect((await api.call('GET', `/v2.0/ports/${bp.id}`, undefined, A)).status).toBe(404);
    for (const [method, url, body] of [
      ['PUT', `/v2.0/networks/${shared.id}`, { network: { name: 'mine' } }],
      ['DELETE', `/v2.0/networks/${shared.id}`, undefined],
      ['PUT', `/v2.0/subnets/${sharedSub.id}`, { subnet: { name: 'mine' } }],
      ['DELETE', `/v2.0/subnets/${sharedSub.id}`, undefined],
      ['POST', '/v2.0/subnets', { subnet: { network_id: shared.id, cidr: '10.6.0.0/24', ip_version: 4 } }],
      ['POST', '/v2.0/ports', { port: { network_id: shared.id, fixed_ips: [{ ip_address: '10.1.0.50' }] } }],
      ['POST', '/v2.0/ports', { port: { network_id: shared.id, mac_address: 'fa:16:3e:00:00:01' } }],
    ] as const) {
      const r = await api.call(method, url, body, B);
      expect([method, url, r.status, errorType(r)]).toEqual([method, url, 403, 'PolicyNotAuthorized']);
    }
    // un-sharing while beta uses it is refused
    const unshare = await api.call('PUT', `/v2.0/networks/${shared.id}`, { network: { shared: false } }, ADMIN);
    expect([unshare.status, errorType(unshare)]).toEqual([409, 'InvalidSharedSetting']);
    await api.ok('DELETE', `/v2.0/ports/${bp.id}`, undefined, B);
  });

  it('only admin sets shared, router:external or provider:* (403 PolicyNotAuthorized)', async () => {
    for (const attrs of [{ shared: true }, { 'router:external': true }, { 'provider:network_type': 'vxlan' }, { 'provider:segmentation_id': 7 }]) {
      const r = await api.call('POST', '/v2.0/networks', { network: attrs }, A);
      // Neutron Zed's words
      const message = `(rule:create_network and rule:create_network:${Object.keys(attrs)[0]}) is disallowed by policy`;
      expect([JSON.stringify(attrs), r.status, errorType(r), r.body.NeutronError.message]).toEqual([JSON.stringify(attrs), 403, 'PolicyNotAuthorized', message]);
    }
    expect((await api.call('POST', '/v2.0/networks', { network: { shared: false } }, A)).status).toBe(201);
    const upd = await api.call('PUT', `/v2.0/networks/${net.id}`, { network: { shared: true } }, A);
    expect([upd.status, errorType(upd)]).toEqual([403, 'PolicyNotAuthorized']);
    const ext = await api.call('POST', '/v2.0/networks', { network: { 'router:external': true } }, ADMIN);
    expect(ext.status).toBe(201);
    // external networks are visible to every project
    expect((await api.call('GET', `/v2.0/networks/${ext.body.network.id}`, undefined, B)).status).toBe(200);
    // but, not being shared, take no one else's ports or subnets: Neutron hides it with a plain 404
    for (const [url, body] of [
      ['/v2.0/ports', { port: { network_id: ext.body.network.id } }],
      ['/v2.0/subnets', { subnet: { network_id: ext.body.network.id, cidr: '172.24.4.0/24', ip_version: 4 } }],
    ] as const) {
      const r = await api.call('POST', url, body, B);
      expect([url, r.status, errorType(r)]).toEqual([url, 404, 'HTTPNotFound']);
    }
  });

  it('a project may not name another as owner (400, as Neutron), nor give two names; an admin may', async () => {
    const other = await api.call('POST', '/v2.0/networks', { network: { name: 'for-beta', project_id: 'beta' } }, A);
    expect([other.status, errorType(other), other.body.NeutronError.message]).toEqual([
      400,
      'HTTPBadRequest',
      "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin or advsvc privileges",
    ]);
    const mismatch = await api.call('POST', '/v2.0/networks', { network: { project_id: 'alpha', tenant_id: 'beta' } }, A);
    expect([mismatch.status, errorType(mismatch)]).toEqual([400, 'HTTPBadRequest']);
    const names = (await api.ok('GET', '/v2.0/networks', undefined, ADMIN)).networks.map((n: { name: string }) => n.name);
    expect(names).not.toContain('for-beta');
    const forB = await api.call('POST', '/v2.0/networks', { network: { project_id: 'beta' } }, ADMIN);
    expect(forB.body.network.tenant_id).toBe('beta');
  });

  it('a port or subnet on a network deleted since its owner last used it is 404 NetworkNotFound', async () => {
    const gone = await api.network({ name: 'short-lived' }, A);
    await api.subnet(gone.id, '10.60.0.0/24', {}, A);
    const p = await api.port(gone.id, {}, A); // the API now knows alpha owns it
    await api.ok('DELETE', `/v2.0/ports/${p.id}`, undefined, A);
    await api.ok('DELETE', `/v2.0/networks/${gone.id}`, undefined, A);
    for (const [url, body] of [
      ['/v2.0/ports', { port: { network_id: gone.id } }],
      ['/v2.0/subnets', { subnet: { network_id: gone.id, cidr: '10.61.0.0/24', ip_version: 4 } }],
    ] as const) {
      const r = await api.call('POST', url, body, A);
      expect([url, r.status, errorType(r)]).toEqual([url, 404, 'NetworkNotFound']);
    }
  });
});
