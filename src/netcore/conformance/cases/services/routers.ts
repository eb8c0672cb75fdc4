import { randomUUID } from 'node:crypto';
import { defineCase } from '../../case.js';
import { ADMIN, type Harness, type Json } from '../../harness.js';

const NEEDS = ['router'];

async function router(t: Harness, extra: object = {}): Promise<Json> {
  return (await t.ok('POST', '/v2.0/routers', { router: { name: 'r', ...extra } })).router;
}

export const routerCases = [
  defineCase({
    id: 'services.routers.lifecycle',
    title: 'a router is created, updated and deleted (then 404 RouterNotFound)',
    needs: NEEDS,
    async run(t) {
      const r = await router(t);
      t.equal([r.name, r.admin_state_up, r.external_gateway_info ?? null, r.project_id], ['r', true, null, 'alpha'], '[name, admin_state_up, external_gateway_info, project_id]');
      t.equal((await t.ok('PUT', `/v2.0/routers/${r.id}`, { router: { name: 'r2' } })).router.name, 'r2', 'name after PUT');
      t.equal((await t.call('DELETE', `/v2.0/routers/${r.id}`)).status, 204, 'DELETE status');
      await t.fails('GET', `/v2.0/routers/${r.id}`, undefined, 404, 'RouterNotFound');
      await t.fails('GET', `/v2.0/routers/${randomUUID()}`, undefined, 404, 'RouterNotFound');
    },
  }),
  defineCase({
    id: 'services.routers.interfaces',
    title: "a subnet interface takes the subnet's gateway on a router_interface port, and is removed again",
    needs: NEEDS,
    async run(t) {
      const r = await router(t);
      const { sub } = await t.networkWithSubnet();
      const added = await t.ok('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id });
      const port = (await t.ok('GET', `/v2.0/ports/${added.port_id}`)).port;
      t.equal([port.device_id, port.device_owner, port.fixed_ips[0]?.ip_address], [r.id, 'network:router_interface', '10.0.0.1'], '[device_id, device_owner, address] of the interface port');
      await t.fails('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id }, 400, 'BadRequest');
      await t.ok('PUT', `/v2.0/routers/${r.id}/remove_router_interface`, { subnet_id: sub.id });
      await t.fails('GET', `/v2.0/ports/${added.port_id}`, undefined, 404, 'PortNotFound');
    },
  }),
  defineCase({
    id: 'services.routers.in_use',
    title: 'a router with interfaces is 409 RouterInUse to delete; its subnet is 409 SubnetInUse',
    needs: NEEDS,
    async run(t) {
      const r = await router(t);
      const { sub } = await t.networkWithSubnet();
      await t.ok('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id });
      await t.fails('DELETE', `/v2.0/routers/${r.id}`, undefined, 409, 'RouterInUse');
      await t.fails('DELETE', `/v2.0/subnets/${sub.id}`, undefined, 409, 'SubnetInUse');
    },
  }),
  defineCase({
    id: 'services.routers.floating_ips',
    title: 'a floating IP comes from the external subnet and maps to a port behind the router',
    needs: [...NEEDS, 'external-net'],
    async run(t) {
      const ext = await t.network({ 'router:external': true }, ADMIN);
      await t.subnet(ext.id, '172.24.4.0/24', {}, ADMIN);
      const r = await router(t, { external_gateway_info: { network_id: ext.id } });
      const { net, sub } = await t.networkWithSubnet();
      await t.ok('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id });
      const vm = await t.port(net.id);
      const fip = (await t.ok('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.id } })).floatingip;
      t.check(String(fip.floating_ip_address).startsWith('172.24.4.'), `floating_ip_address ${fip.floating_ip_address} is not on the external subnet`);
      t.equal([fip.fixed_ip_address, fip.router_id, fip.port_id], [vm.fixed_ips[0].ip_address, r.id, vm.id], '[fixed_ip_address, router_id, port_id]');
      const freed = (await t.ok('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: null } })).floatingip;
      t.equal([freed.port_id, freed.fixed_ip_address], [null, null], 'association after disassociate');
      await t.ok('DELETE', `/v2.0/floatingips/${fip.id}`);
      await t.fails('GET', `/v2.0/floatingips/${fip.id}`, undefined, 404, 'FloatingIPNotFound');
    },
  }),
];
