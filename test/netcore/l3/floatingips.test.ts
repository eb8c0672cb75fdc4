import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorType, makeApi, type Api, type Who } from '../helpers.js';

const A: Who = { project: 'alpha' };
const B: Who = { project: 'beta' };
const ADMIN: Who = { project: 'ops', admin: true };

describe('floating IPs over HTTP', () => {
  let api: Api;
  let ext: any, router: any, net: any, sub: any, vm: any;
  beforeEach(async () => {
    api = await makeApi();
    ext = await api.network({ name: 'public', 'router:external': true }, ADMIN);
    await api.subnet(ext.id, '172.24.4.0/24', {}, ADMIN);
    router = (await api.ok('POST', '/v2.0/routers', { router: { external_gateway_info: { network_id: ext.id } } }, A)).router;
    net = await api.network({}, A);
    sub = await api.subnet(net.id, '10.0.0.0/24', {}, A);
    await api.ok('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: sub.id }, A);
    vm = await api.port(net.id, { name: 'vm', device_id: 'vm-1', device_owner: 'compute:nova' }, A);
  });
  afterEach(() => api.close());

  const fip = async (body: object, who: Who = A) => (await api.ok('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, ...body } }, who)).floatingip;

  it("shows Neutron's floating IP attributes with the port's details", async () => {
    const f = await fip({ port_id: vm.id, description: 'web' });
    expect(Object.keys(f).sort()).toEqual(
      [
        'created_at', 'description', 'fixed_ip_address', 'floating_ip_address', 'floating_network_id', 'id', 'port_details', 'port_id', 'project_id',
        'revision_number', 'router_id', 'status', 'tags', 'tenant_id', 'updated_at',
      ].sort(),
    );
    expect(f).toMatchObject({ floating_ip_address: '172.24.4.3', router_id: router.id, port_id: vm.id, fixed_ip_address: vm.fixed_ips[0].ip_address, status: 'DOWN', description: 'web' });
    expect(f.port_details).toEqual({ name: 'vm', network_id: net.id, mac_address: vm.mac_address, admin_state_up: true, status: 'DOWN', device_id: 'vm-1', device_owner: 'compute:nova' });
    expect((await fip({})).port_details).toBeNull();
  });

  it('associates, moves and disassociates, bumping revision_number; a description-only update keeps the association', async () => {
    const f = await fip({});
    const other = await api.port(net.id, {}, A);
    const a = (await api.ok('PUT', `/v2.0/floatingips/${f.id}`, { floatingip: { port_id: vm.id } }, A)).floatingip;
    const b = (await api.ok('PUT', `/v2.0/floatingips/${f.id}`, { floatingip: { port_id: other.id } }, A)).floatingip;
    const c = (await api.ok('PUT', `/v2.0/floatingips/${f.id}`, { floatingip: { description: 'kept' } }, A)).floatingip;
    expect([a.port_id, b.port_id, c.port_id, c.description]).toEqual([vm.id, other.id, other.id, 'kept']);
    expect([a.revision_number, b.revision_number, c.revision_number]).toEqual([1, 2, 3]);
    const d = (await api.ok('PUT', `/v2.0/floatingips/${f.id}`, { floatingip: { port_id: null } }, A)).floatingip;
    expect([d.port_id, d.router_id, d.fixed_ip_address]).toEqual([null, null, null]);
  });

  it('filters floating IPs by port, router and address', async () => {
    const f = await fip({ port_id: vm.id });
    const g = await fip({});
    const ids = async (q: string) => (await api.ok('GET', `/v2.0/floatingips?${q}`, undefined, A)).floatingips.map((x: any) => x.id);
    expect(await ids(`port_id=${vm.id}`)).toEqual([f.id]);
    expect(await ids(`router_id=${router.id}`)).toEqual([f.id]);
    expect(await ids(`floating_ip_address=${g.floating_ip_address}`)).toEqual([g.id]);
    expect(await ids(`floating_network_id=${ext.id}&sort_key=floating_ip_address`)).toEqual([f.id, g.id]);
  });

  it("lets admin map a project's floating IP to another project's port, but not a project (the port is 404 to it)", async () => {
    const theirs = await fip({ project_id: 'beta' }, ADMIN);
    const res = await api.call('PUT', `/v2.0/floatingips/${theirs.id}`, { floatingip: { port_id: vm.id } }, ADMIN);
    expect([res.status, errorType(res)]).toEqual([200, undefined]);
    const own = await fip({}, B);
    const refused = await api.call('PUT', `/v2.0/floatingips/${own.id}`, { floatingip: { port_id: vm.id } }, B);
    expect([refused.status, errorType(refused)]).toEqual([404, 'PortNotFound']);
  });

  it('refuses a DHCP port and an IPv6-only fixed address', async () => {
    const dhcp = await api.port(net.id, { device_owner: 'network:dhcp' }, A);
    const a = await api.call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: dhcp.id } }, A);
    expect([a.status, errorType(a), a.body.NeutronError.message]).toEqual([400, 'BadRequest', `Bad floatingip request: Port ${dhcp.id} is unable to be assigned a floating IP.`]);
    const b = await api.call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.id, fixed_ip_address: '2001:db8::5' } }, A);
    expect([b.status, errorType(b)]).toEqual([400, 'BadRequest']);
  });

  it('gives the external address back when the floating IP goes', async () => {
    const f = await fip({});
    await api.ok('DELETE', `/v2.0/floatingips/${f.id}`, undefined, A);
    expect((await api.ok('GET', `/v2.0/ports?network_id=${ext.id}&device_owner=network:floatingip`, undefined, ADMIN)).ports).toEqual([]);
    expect((await fip({})).floating_ip_address).toBe(f.floating_ip_address);
  });
});
