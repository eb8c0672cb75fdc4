import { randomUUID } from 'node:crypto';
import { defineCase } from '../../case.js';
import { ADMIN, BETA, type Harness, type Json } from '../../harness.js';
import { addInterface, externalNetwork, router } from './routers.js';

const NEEDS = ['router', 'external-net'];

/** An external network, a router with its gateway there, and a tenant network behind it with a VM port. */
async function topology(t: Harness): Promise<{ ext: Json; r: Json; net: Json; sub: Json; vm: Json }> {
  const { ext } = await externalNetwork(t);
  const r = await router(t, { external_gateway_info: { network_id: ext.id } });
  const { net, sub } = await t.networkWithSubnet();
  await addInterface(t, r.id, { subnet_id: sub.id });
  const vm = await t.port(net.id);
  return { ext, r, net, sub, vm };
}

const createFip = (t: Harness, body: object, who?: typeof BETA) => t.ok('POST', '/v2.0/floatingips', { floatingip: body }, who).then((b) => b.floatingip);

export const floatingIpCases = [
  defineCase({
    id: 'services.routers.floating_ips',
    title: 'a floating IP comes from the external subnet and maps to a port behind the router',
    needs: NEEDS,
    async run(t) {
      const { ext, r, vm } = await topology(t);
      const fip = await createFip(t, { floating_network_id: ext.id, port_id: vm.id });
      t.check(String(fip.floating_ip_address).startsWith('172.24.4.'), `floating_ip_address ${fip.floating_ip_address} is not on the external subnet`);
      t.equal([fip.fixed_ip_address, fip.router_id, fip.port_id], [vm.fixed_ips[0].ip_address, r.id, vm.id], '[fixed_ip_address, router_id, port_id]');
      const freed = (await t.ok('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: null } })).floatingip;
      t.equal([freed.port_id, freed.fixed_ip_address], [null, null], 'association after disassociate');
      await t.ok('DELETE', `/v2.0/floatingips/${fip.id}`);
      await t.fails('GET', `/v2.0/floatingips/${fip.id}`, undefined, 404, 'FloatingIPNotFound');
    },
  }),
  defineCase({
    id: 'services.floating_ips.unreachable',
    title: "a port whose subnet no router joins to the external network is 404 ExternalGatewayForFloatingIPNotFound",
    needs: NEEDS,
    async run(t) {
      const { ext } = await externalNetwork(t);
      const { net, sub } = await t.networkWithSubnet();
      const vm = await t.port(net.id);
      await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.id } }, 404, 'ExternalGatewayForFloatingIPNotFound');
      // a router on the subnet but without a gateway does not reach the external network either
      const r = await router(t);
      await addInterface(t, r.id, { subnet_id: sub.id });
      await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.id } }, 404, 'ExternalGatewayForFloatingIPNotFound');
      t.equal(await t.list('floatingips'), [], 'floating IPs after the refused creates');
      await t.ok('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: { network_id: ext.id } } });
      t.equal((await createFip(t, { floating_network_id: ext.id, port_id: vm.id })).router_id, r.id, 'router_id once the router has its gateway');
    },
  }),
  defineCase({
    id: 'services.floating_ips.one_per_fixed_ip',
    title: 'a fixed address takes one floating IP per external network (409 FloatingIPPortAlreadyAssociated)',
    needs: NEEDS,
    async run(t) {
      const { ext, vm } = await topology(t);
      const first = await createFip(t, { floating_network_id: ext.id, port_id: vm.id });
      await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.id } }, 409, 'FloatingIPPortAlreadyAssociated');
      const second = await createFip(t, { floating_network_id: ext.id });
      await t.fails('PUT', `/v2.0/floatingips/${second.id}`, { floatingip: { port_id: vm.id } }, 409, 'FloatingIPPortAlreadyAssociated');
      await t.ok('PUT', `/v2.0/floatingips/${first.id}`, { floatingip: { port_id: null } });
      t.equal((await t.ok('PUT', `/v2.0/floatingips/${second.id}`, { floatingip: { port_id: vm.id } })).floatingip.port_id, vm.id, 'port_id once the first let go');
    },
  }),
  defineCase({
    id: 'services.floating_ips.port_deleted',
    title: 'deleting the port disassociates its floating IP, which stays allocated',
    needs: NEEDS,
    async run(t) {
      const { ext, vm } = await topology(t);
      const fip = await createFip(t, { floating_network_id: ext.id, port_id: vm.id });
      await t.ok('DELETE', `/v2.0/ports/${vm.id}`);
      const after = (await t.ok('GET', `/v2.0/floatingips/${fip.id}`)).floatingip;
      t.equal([after.port_id, after.fixed_ip_address, after.router_id, after.floating_ip_address], [null, null, null, fip.floating_ip_address], '[port_id, fixed_ip_address, router_id, floating_ip_address] after the port went');
    },
  }),
  defineCase({
    id: 'services.floating_ips.fixed_ip_removed',
    title: 'a port that gives up the associated fixed address loses the floating IP',
    needs: NEEDS,
    async run(t) {
      const { ext, sub, vm } = await topology(t);
      const fip = await createFip(t, { floating_network_id: ext.id, port_id: vm.id });
      await t.ok('PUT', `/v2.0/ports/${vm.id}`, { port: { fixed_ips: [{ subnet_id: sub.id, ip_address: '10.0.0.200' }] } });
      t.equal((await t.ok('GET', `/v2.0/floatingips/${fip.id}`)).floatingip.port_id, null, 'port_id after the address changed');
    },
  }),
  defineCase({
    id: 'services.floating_ips.pins_router',
    title: 'an associated floating IP keeps its interface (409 RouterInterfaceInUseByFloatingIP) and gateway (409 RouterExternalGatewayInUseByFloatingIp)',
    needs: NEEDS,
    async run(t) {
      const { ext, r, sub, vm } = await topology(t);
      const fip = await createFip(t, { floating_network_id: ext.id, port_id: vm.id });
      await t.fails('PUT', `/v2.0/routers/${r.id}/remove_router_interface`, { subnet_id: sub.id }, 409, 'RouterInterfaceInUseByFloatingIP');
      await t.fails('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: null } }, 409, 'RouterExternalGatewayInUseByFloatingIp');
      await t.ok('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: null } });
      await t.ok('PUT', `/v2.0/routers/${r.id}/remove_router_interface`, { subnet_id: sub.id });
      await t.ok('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: null } });
    },
  }),
  defineCase({
    id: 'services.floating_ips.external_only',
    title: 'a floating IP needs an external network with an IPv4 subnet (400 BadRequest), and a known one (404)',
    needs: NEEDS,
    async run(t) {
      const { net } = await t.networkWithSubnet();
      await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: net.id } }, 400, 'BadRequest');
      const v6 = await t.network({ 'router:external': true }, ADMIN);
      await t.subnet(v6.id, '2001:db8:77::/64', {}, ADMIN);
      await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: v6.id } }, 400, 'BadRequest');
      await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: randomUUID() } }, 404, 'NetworkNotFound');
      await t.fails('POST', '/v2.0/floatingips', { floatingip: {} }, 400, 'HTTPBadRequest');
    },
  }),
  defineCase({
    id: 'services.floating_ips.given_address',
    title: 'admin may give the floating address (taken: 409, off the network: 400); a project may not (403)',
    needs: NEEDS,
    async run(t) {
      const { ext } = await externalNetwork(t);
      const fip = await createFip(t, { floating_network_id: ext.id, floating_ip_address: '172.24.4.99', project_id: 'alpha' }, ADMIN);
      t.equal([fip.floating_ip_address, fip.project_id], ['172.24.4.99', 'alpha'], '[floating_ip_address, project_id] of the given address');
      await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, floating_ip_address: '172.24.4.99' } }, 409, undefined, ADMIN);
      await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, floating_ip_address: '10.9.9.9' } }, 400, 'InvalidIpForNetwork', ADMIN);
      await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, floating_ip_address: '172.24.4.98' } }, 403, 'PolicyNotAuthorized');
      t.equal(t.ids(await t.list('floatingips')), [fip.id], "alpha's floating IPs");
    },
  }),
  defineCase({
    id: 'services.floating_ips.exhaustion',
    title: 'an exhausted external pool is 409 IpAddressGenerationFailure; a deleted floating IP gives its address back',
    needs: NEEDS,
    async run(t) {
      const { ext } = await externalNetwork(t, '172.31.0.0/29', { allocation_pools: [{ start: '172.31.0.2', end: '172.31.0.3' }] });
      const a = await createFip(t, { floating_network_id: ext.id });
      const b = await createFip(t, { floating_network_id: ext.id });
      t.equal([a.floating_ip_address, b.floating_ip_address].sort(), ['172.31.0.2', '172.31.0.3'], 'addresses of the pool');
      await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } }, 409, 'IpAddressGenerationFailure');
      await t.ok('DELETE', `/v2.0/floatingips/${a.id}`);
      t.equal((await createFip(t, { floating_network_id: ext.id })).floating_ip_address, a.floating_ip_address, 'the address after its floating IP was deleted');
    },
  }),
  defineCase({
    id: 'services.floating_ips.fixed_address_choice',
    title: 'a port with two IPv4 addresses needs fixed_ip_address (400 without, or with one it lacks); fixed_ip_address needs port_id',
    needs: NEEDS,
    async run(t) {
      const { ext, net, sub } = await topology(t);
      const vm = await t.port(net.id, { fixed_ips: [{ subnet_id: sub.id }, { subnet_id: sub.id }] });
      await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.id } }, 400, 'BadRequest');
      await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.id, fixed_ip_address: '10.0.0.250' } }, 400, 'BadRequest');
      await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, fixed_ip_address: vm.fixed_ips[1].ip_address } }, 400, 'BadRequest');
      const fip = await createFip(t, { floating_network_id: ext.id, port_id: vm.id, fixed_ip_address: vm.fixed_ips[1].ip_address });
      t.equal(fip.fixed_ip_address, vm.fixed_ips[1].ip_address, 'the chosen fixed address');
    },
  }),
  defineCase({
    id: 'services.floating_ips.isolation',
    title: "another project's floating IP is 404 FloatingIPNotFound; another project's port cannot be a target (404 PortNotFound)",
    needs: NEEDS,
    async run(t) {
      const { ext, vm } = await topology(t);
      const fip = await createFip(t, { floating_network_id: ext.id });
      await t.fails('GET', `/v2.0/floatingips/${fip.id}`, undefined, 404, 'FloatingIPNotFound', BETA);
      await t.fails('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: null } }, 404, 'FloatingIPNotFound', BETA);
      await t.fails('DELETE', `/v2.0/floatingips/${fip.id}`, undefined, 404, 'FloatingIPNotFound', BETA);
      t.equal(await t.list('floatingips', '', BETA), [], "beta's floating IPs");
      const theirs = await createFip(t, { floating_network_id: ext.id }, BETA);
      await t.fails('PUT', `/v2.0/floatingips/${theirs.id}`, { floatingip: { port_id: vm.id } }, 404, 'PortNotFound', BETA);
    },
  }),
  defineCase({
    id: 'services.floating_ips.service_port',
    title: "a floating IP's external port belongs to no project and cannot be deleted through the ports API (409 ServicePortInUse)",
    needs: NEEDS,
    async run(t) {
      const { ext } = await externalNetwork(t);
      const fip = await createFip(t, { floating_network_id: ext.id });
      const port = (await t.list('ports', `device_id=${fip.id}`, ADMIN))[0];
      t.equal([port?.device_owner, port?.project_id], ['network:floatingip', ''], '[device_owner, project_id] of the external port');
      await t.fails('DELETE', `/v2.0/ports/${port.id}`, undefined, 409, 'ServicePortInUse', ADMIN);
      await t.ok('DELETE', `/v2.0/floatingips/${fip.id}`);
      await t.fails('GET', `/v2.0/ports/${port.id}`, undefined, 404, 'PortNotFound', ADMIN);
    },
  }),
];
