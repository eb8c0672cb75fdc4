import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorType, makeApi, type Api, type Who } from '../helpers.js';

const A: Who = { project: 'alpha' };
const ADMIN: Who = { project: 'ops', admin: true };

describe('routers over HTTP', () => {
  let api: Api;
  let ext: any, extSub: any;
  beforeEach(async () => {
    api = await makeApi();
    ext = await api.network({ name: 'public', 'router:external': true }, ADMIN);
    extSub = await api.subnet(ext.id, '172.24.4.0/24', {}, ADMIN);
  });
  afterEach(() => api.close());

  const router = async (body: object = {}, who: Who = A) => (await api.ok('POST', '/v2.0/routers', { router: { name: 'r', ...body } }, who)).router;

  it("shows Neutron's router attributes, with the gateway's network, SNAT flag and address", async () => {
    const r = await router({ external_gateway_info: { network_id: ext.id } });
    expect(Object.keys(r).sort()).toEqual(
      ['admin_state_up', 'created_at', 'description', 'external_gateway_info', 'id', 'name', 'project_id', 'revision_number', 'routes', 'status', 'tags', 'tenant_id', 'updated_at'].sort(),
    );
    expect(r).toMatchObject({ status: 'ACTIVE', admin_state_up: true, routes: [], tenant_id: 'alpha', project_id: 'alpha' });
    expect(r.external_gateway_info).toEqual({ network_id: ext.id, enable_snat: true, external_fixed_ips: [{ subnet_id: extSub.id, ip_address: '172.24.4.2' }] });
    // the gateway port is the system's: no project, owned by the router
    const [gw] = (await api.ok('GET', `/v2.0/ports?device_id=${r.id}`, undefined, ADMIN)).ports;
    expect([gw.device_owner, gw.project_id, gw.fixed_ips[0].ip_address]).toEqual(['network:router_gateway', '', '172.24.4.2']);
  });

  it('moves the gateway to another external network (the old port goes) and clears it with {}', async () => {
    const other = await api.network({ name: 'public2', 'router:external': true }, ADMIN);
    const otherSub = await api.subnet(other.id, '198.51.100.0/24', {}, ADMIN);
    const r = await router({ external_gateway_info: { network_id: ext.id } });
    const moved = (await api.ok('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: { network_id: other.id } } }, A)).router;
    expect(moved.external_gateway_info.external_fixed_ips).toEqual([{ subnet_id: otherSub.id, ip_address: '198.51.100.2' }]);
    const gwPorts = (await api.ok('GET', `/v2.0/ports?device_owner=network:router_gateway`, undefined, ADMIN)).ports;
    expect(gwPorts.map((p: any) => p.network_id)).toEqual([other.id]);
    // the first external network's address is free again
    expect((await api.port(ext.id, {}, ADMIN)).fixed_ips[0].ip_address).toBe('172.24.4.2');
    expect((await api.ok('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: {} } }, A)).router.external_gateway_info).toBeNull();
    expect((await api.ok('GET', `/v2.0/ports?device_owner=network:router_gateway`, undefined, ADMIN)).ports).toEqual([]);
  });

  it('lets admin pick the gateway address and SNAT; the subnet gateway address is refused', async () => {
    const r = await router({ external_gateway_info: { network_id: ext.id, enable_snat: false, external_fixed_ips: [{ ip_address: '172.24.4.50' }] }, project_id: 'alpha' }, ADMIN);
    expect(r.external_gateway_info).toEqual({ network_id: ext.id, enable_snat: false, external_fixed_ips: [{ subnet_id: extSub.id, ip_address: '172.24.4.50' }] });
    const clash = await api.call('POST', '/v2.0/routers', { router: { external_gateway_info: { network_id: ext.id, external_fixed_ips: [{ ip_address: '172.24.4.1' }] } } }, ADMIN);
    expect([clash.status, errorType(clash), clash.body.NeutronError.message]).toEqual([400, 'BadRequest', 'Bad router request: External IP 172.24.4.1 is the same as the gateway IP.']);
    const snat = await api.call('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: { network_id: ext.id, enable_snat: true } } }, A);
    expect([snat.status, errorType(snat)]).toEqual([403, 'PolicyNotAuthorized']);
  });

  it("answers add/remove_router_interface with Neutron's interface info and bumps the router", async () => {
    const r = await router();
    const net = await api.network({}, A);
    const sub = await api.subnet(net.id, '10.0.0.0/24', {}, A);
    const added = await api.ok('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id }, A);
    expect(Object.keys(added).sort()).toEqual(['id', 'network_id', 'port_id', 'subnet_id', 'subnet_ids', 'tenant_id']);
    expect(added).toMatchObject({ id: r.id, tenant_id: 'alpha', network_id: net.id, subnet_id: sub.id, subnet_ids: [sub.id] });
    const port = (await api.ok('GET', `/v2.0/ports/${added.port_id}`, undefined, A)).port;
    expect([port.project_id, port.device_id, port.fixed_ips]).toEqual(['alpha', r.id, [{ subnet_id: sub.id, ip_address: '10.0.0.1' }]]);
    expect((await api.ok('GET', `/v2.0/routers/${r.id}`, undefined, A)).router.revision_number).toBe(r.revision_number + 1);
    // the .json suffix works on actions too
    const removed = await api.ok('PUT', `/v2.0/routers/${r.id}/remove_router_interface.json`, { port_id: added.port_id }, A);
    expect(removed).toEqual({ ...added });
  });

  it('refuses malformed interface requests with the reason', async () => {
    const r = await router();
    for (const [body, message] of [
      [{}, 'Bad router request: Either subnet_id or port_id must be specified.'],
      // port_id is checked first, as Neutron does
      [{ subnet_id: 'x', port_id: 'y' }, "Bad router request: 'y' is not a valid UUID."],
      [[1], 'Resource body required'],
    ] as const) {
      const res = await api.call('PUT', `/v2.0/routers/${r.id}/add_router_interface`, body, A);
      expect([res.status, res.body.NeutronError.message]).toEqual([400, message]);
    }
    const other = await api.call('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: '0b8e1b1c-7f9e-4a3e-9d1c-2b1a1b1c1d1e' }, { project: 'beta' });
    expect([other.status, errorType(other)]).toEqual([404, 'RouterNotFound']);
  });

  it('a subnet of a shared network is not the caller’s to attach (400), but admin may', async () => {
    const shared = await api.network({ shared: true }, ADMIN);
    const sub = await api.subnet(shared.id, '10.40.0.0/24', {}, ADMIN);
    const r = await router();
    const refused = await api.call('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id }, A);
    expect([refused.status, errorType(refused)]).toEqual([400, 'BadRequest']);
    expect((await api.call('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id }, ADMIN)).status).toBe(200);
  });

  it('refuses an IPv6 subnet whose RAs come from another router', async () => {
    const net = await api.network({}, A);
    const sub = await api.subnet(net.id, '2001:db8:5::/64', { ipv6_address_mode: 'slaac' }, A);
    const r = await router();
    const res = await api.call('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id }, A);
    expect([res.status, errorType(res)]).toEqual([400, 'BadRequest']);
    expect(res.body.NeutronError.message).toContain('configured to receive RAs from an external router');
  });

  it('creates routers in bulk, all or none', async () => {
    const made = await api.ok('POST', '/v2.0/routers', { routers: [{ name: 'a' }, { name: 'b', external_gateway_info: { network_id: ext.id } }] }, A);
    expect(made.routers.map((r: any) => r.name)).toEqual(['a', 'b']);
    const net = await api.network({}, A);
    const bad = await api.call('POST', '/v2.0/routers', { routers: [{ name: 'c' }, { name: 'd', external_gateway_info: { network_id: net.id } }] }, A);
    expect([bad.status, errorType(bad)]).toEqual([400, 'BadRequest']);
    expect((await api.ok('GET', '/v2.0/routers?name=c', undefined, A)).routers).toEqual([]);
  });

  it('filters, sorts and pages routers', async () => {
    for (const name of ['c', 'a', 'b']) await router({ name, admin_state_up: name !== 'b' });
    expect((await api.ok('GET', '/v2.0/routers?sort_key=name&sort_dir=desc', undefined, A)).routers.map((r: any) => r.name)).toEqual(['c', 'b', 'a']);
    expect((await api.ok('GET', '/v2.0/routers?admin_state_up=false', undefined, A)).routers.map((r: any) => r.name)).toEqual(['b']);
    const page = await api.ok('GET', '/v2.0/routers?sort_key=name&limit=2', undefined, A);
    expect([page.routers.map((r: any) => r.name), page.routers_links[0].rel]).toEqual([['a', 'b'], 'next']);
    const bad = await api.call('GET', '/v2.0/routers?external_gateway_info=x', undefined, A);
    expect([bad.status, errorType(bad)]).toEqual([400, 'HTTPBadRequest']);
  });

  it('refuses a stale If-Match revision on update and delete (412)', async () => {
    const r = await router();
    const res = await api.app.inject({ method: 'PUT', url: `/v2.0/routers/${r.id}`, headers: { 'x-project-id': 'alpha', 'if-match': 'revision_number=99' }, payload: { router: { name: 'x' } } });
    expect([res.statusCode, res.json().NeutronError.type]).toEqual([412, 'RevisionNumberConstraintFailed']);
  });
});
