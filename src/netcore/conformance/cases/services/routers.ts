import { randomUUID } from 'node:crypto';
import { defineCase } from '../../case.js';
import { ADMIN, BETA, type Harness, type Json } from '../../harness.js';

const NEEDS = ['router'];

export async function router(t: Harness, extra: object = {}, who = undefined as typeof BETA | undefined): Promise<Json> {
  return (await t.ok('POST', '/v2.0/routers', { router: { name: 'r', ...extra } }, who)).router;
}

/** An external network (admin's) with one IPv4 subnet. */
export async function externalNetwork(t: Harness, cidr = '172.24.4.0/24', subnetExtra: object = {}): Promise<{ ext: Json; extSub: Json }> {
  const ext = await t.network({ 'router:external': true }, ADMIN);
  const extSub = await t.subnet(ext.id, cidr, subnetExtra, ADMIN);
  return { ext, extSub };
}

export const addInterface = (t: Harness, routerId: string, body: object, who?: typeof BETA) => t.ok('PUT', `/v2.0/routers/${routerId}/add_router_interface`, body, who);

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
      const added = await addInterface(t, r.id, { subnet_id: sub.id });
      t.equal([added.id, added.subnet_id, added.subnet_ids], [r.id, sub.id, [sub.id]], '[id, subnet_id, subnet_ids] of the interface info');
      const port = (await t.ok('GET', `/v2.0/ports/${added.port_id}`)).port;
      t.equal([port.device_id, port.device_owner, port.fixed_ips[0]?.ip_address], [r.id, 'network:router_interface', '10.0.0.1'], '[device_id, device_owner, address] of the interface port');
      await t.fails('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id }, 400, 'BadRequest');
      await t.ok('PUT', `/v2.0/routers/${r.id}/remove_router_interface`, { subnet_id: sub.id });
      await t.fails('GET', `/v2.0/ports/${added.port_id}`, undefined, 404, 'PortNotFound');
    },
  }),
  defineCase({
    id: 'services.routers.in_use',
    title: 'a router with interfaces is 409 RouterInUse to delete; its subnet and network are 409 SubnetInUse and NetworkInUse',
    needs: NEEDS,
    async run(t) {
      const r = await router(t);
      const { net, sub } = await t.networkWithSubnet();
      await addInterface(t, r.id, { subnet_id: sub.id });
      await t.fails('DELETE', `/v2.0/routers/${r.id}`, undefined, 409, 'RouterInUse');
      await t.fails('DELETE', `/v2.0/subnets/${sub.id}`, undefined, 409, 'SubnetInUse');
      await t.fails('DELETE', `/v2.0/networks/${net.id}`, undefined, 409, 'NetworkInUse');
      await t.ok('PUT', `/v2.0/routers/${r.id}/remove_router_interface`, { subnet_id: sub.id });
      await t.ok('DELETE', `/v2.0/routers/${r.id}`);
      await t.ok('DELETE', `/v2.0/networks/${net.id}`);
    },
  }),
  defineCase({
    id: 'services.routers.gateway',
    title: 'a gateway on an external network gets an address there with SNAT on, and is cleared with null',
    needs: [...NEEDS, 'external-net', 'ext-gw-mode'],
    async run(t) {
      const { ext, extSub } = await externalNetwork(t);
      const r = await router(t, { external_gateway_info: { network_id: ext.id } });
      const gw = r.external_gateway_info;
      t.equal([gw?.network_id, gw?.enable_snat, gw?.external_fixed_ips?.[0]?.subnet_id], [ext.id, true, extSub.id], '[network_id, enable_snat, subnet] of external_gateway_info');
      t.check(String(gw.external_fixed_ips[0].ip_address).startsWith('172.24.4.'), `gateway address ${gw.external_fixed_ips[0].ip_address} is not on the external subnet`);
      // the gateway port is the system's: the tenant does not see it, and it holds the external network
      t.equal(await t.list('ports', `network_id=${ext.id}`), [], "the tenant's view of ports on the external network");
      await t.fails('DELETE', `/v2.0/networks/${ext.id}`, undefined, 409, 'NetworkInUse', ADMIN);
      const cleared = (await t.ok('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: null } })).router;
      t.equal(cleared.external_gateway_info, null, 'external_gateway_info after clearing');
      await t.ok('DELETE', `/v2.0/networks/${ext.id}`, undefined, ADMIN);
    },
  }),
  defineCase({
    id: 'services.routers.gateway_not_external',
    title: 'a gateway on a network that is not external is 400 BadRequest; on an unknown network 404 NetworkNotFound',
    needs: [...NEEDS, 'external-net'],
    async run(t) {
      const net = await t.network();
      await t.fails('POST', '/v2.0/routers', { router: { external_gateway_info: { network_id: net.id } } }, 400, 'BadRequest');
      await t.fails('POST', '/v2.0/routers', { router: { external_gateway_info: { network_id: randomUUID() } } }, 404, 'NetworkNotFound');
      const r = await router(t);
      await t.fails('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: { network_id: net.id } } }, 400, 'BadRequest');
      t.equal(await t.list('routers'), [r], 'routers after the refused creates');
    },
  }),
  defineCase({
    id: 'services.routers.gateway_policy',
    title: 'only admin sets enable_snat or the gateway addresses (403 PolicyNotAuthorized)',
    needs: [...NEEDS, 'external-net', 'ext-gw-mode'],
    async run(t) {
      const { ext } = await externalNetwork(t);
      await t.fails('POST', '/v2.0/routers', { router: { external_gateway_info: { network_id: ext.id, enable_snat: false } } }, 403, 'PolicyNotAuthorized');
      const r = await router(t, { external_gateway_info: { network_id: ext.id } });
      await t.fails('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: { network_id: ext.id, external_fixed_ips: [{ ip_address: '172.24.4.77' }] } } }, 403, 'PolicyNotAuthorized');
      const body = { router: { external_gateway_info: { network_id: ext.id, enable_snat: false, external_fixed_ips: [{ ip_address: '172.24.4.77' }] } } };
      const gw = (await t.ok('PUT', `/v2.0/routers/${r.id}`, body, ADMIN)).router.external_gateway_info;
      t.equal([gw.enable_snat, gw.external_fixed_ips.map((ip: Json) => ip.ip_address)], [false, ['172.24.4.77']], '[enable_snat, addresses] set by admin');
      await t.fails('PUT', `/v2.0/routers/${r.id}`, { router: { external_gateway_info: { network_id: ext.id, external_fixed_ips: [{ ip_address: '172.24.4.1' }] } } }, 400, 'BadRequest', ADMIN);
    },
  }),
  defineCase({
    id: 'services.routers.interface_by_port',
    title: 'a port becomes an interface; a port already attached to a device is 409 PortInUse, one without addresses 400',
    needs: NEEDS,
    async run(t) {
      const r = await router(t);
      const { net, sub } = await t.networkWithSubnet();
      const p = await t.port(net.id);
      const info = await addInterface(t, r.id, { port_id: p.id });
      t.equal([info.port_id, info.subnet_id], [p.id, sub.id], '[port_id, subnet_id] of the interface info');
      const after = (await t.ok('GET', `/v2.0/ports/${p.id}`)).port;
      t.equal([after.device_id, after.device_owner], [r.id, 'network:router_interface'], '[device_id, device_owner] of the attached port');
      const { net: net2 } = await t.networkWithSubnet('10.2.0.0/24');
      const vm = await t.port(net2.id, { device_id: 'vm-1' });
      await t.fails('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { port_id: vm.id }, 409, 'PortInUse');
      const bare = await t.port(net2.id, { fixed_ips: [] });
      await t.fails('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { port_id: bare.id }, 400, 'BadRequest');
    },
  }),
  defineCase({
    id: 'services.routers.interface_errors',
    title: "add_router_interface needs exactly one of subnet_id and port_id (400), a subnet with a gateway (400), and a subnet the caller sees (404)",
    needs: NEEDS,
    async run(t) {
      const r = await router(t);
      const { net, sub } = await t.networkWithSubnet();
      const url = `/v2.0/routers/${r.id}/add_router_interface`;
      await t.fails('PUT', url, {}, 400, 'BadRequest');
      await t.fails('PUT', url, { subnet_id: sub.id, port_id: randomUUID() }, 400, 'BadRequest');
      await t.fails('PUT', url, { subnet_id: 'not-a-uuid' }, 400, 'BadRequest');
      const noGateway = await t.subnet(net.id, '10.9.0.0/24', { gateway_ip: null });
      await t.fails('PUT', url, { subnet_id: noGateway.id }, 400, 'BadRequest');
      const { sub: theirs } = await t.networkWithSubnet('10.7.0.0/24', {}, BETA);
      await t.fails('PUT', url, { subnet_id: theirs.id }, 404, 'SubnetNotFound');
      await t.fails('PUT', url, { subnet_id: randomUUID() }, 404, 'SubnetNotFound');
      t.equal(await t.list('ports', `device_id=${r.id}`), [], 'ports of the router after the refused requests');
    },
  }),
  defineCase({
    id: 'services.routers.overlapping_subnets',
    title: 'a router refuses a subnet overlapping one it is already on (400 BadRequest)',
    needs: NEEDS,
    async run(t) {
      const r = await router(t);
      const { sub } = await t.networkWithSubnet('10.0.0.0/24');
      const { sub: wide } = await t.networkWithSubnet('10.0.0.0/16');
      await addInterface(t, r.id, { subnet_id: sub.id });
      await t.fails('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: wide.id }, 400, 'BadRequest');
      // the same CIDR on another router is fine: projects and routers may overlap
      const other = await router(t);
      await addInterface(t, other.id, { subnet_id: wide.id });
    },
  }),
  defineCase({
    id: 'services.routers.remove_errors',
    title: 'removing an interface the router lacks is 404 (RouterInterfaceNotFound, ...ForSubnet); a port with another subnet named is 400 SubnetMismatchForPort',
    needs: NEEDS,
    async run(t) {
      const r = await router(t);
      const { net, sub } = await t.networkWithSubnet();
      const { sub: other } = await t.networkWithSubnet('10.5.0.0/24');
      const p = await t.port(net.id);
      const url = `/v2.0/routers/${r.id}/remove_router_interface`;
      await t.fails('PUT', url, { port_id: p.id }, 404, 'RouterInterfaceNotFound');
      await t.fails('PUT', url, { subnet_id: sub.id }, 404, 'RouterInterfaceNotFoundForSubnet');
      const info = await addInterface(t, r.id, { subnet_id: sub.id });
      await t.fails('PUT', url, { port_id: info.port_id, subnet_id: other.id }, 400, 'SubnetMismatchForPort');
      const removed = await t.ok('PUT', url, { port_id: info.port_id, subnet_id: sub.id });
      t.equal([removed.port_id, removed.subnet_id], [info.port_id, sub.id], '[port_id, subnet_id] of the removal');
    },
  }),
  defineCase({
    id: 'services.routers.service_ports',
    title: "a router's interface and gateway ports cannot be deleted through the ports API (409 ServicePortInUse)",
    needs: [...NEEDS, 'external-net'],
    async run(t) {
      const { ext } = await externalNetwork(t);
      const r = await router(t, { external_gateway_info: { network_id: ext.id } });
      const { sub } = await t.networkWithSubnet();
      const info = await addInterface(t, r.id, { subnet_id: sub.id });
      await t.fails('DELETE', `/v2.0/ports/${info.port_id}`, undefined, 409, 'ServicePortInUse');
      const gateway = (await t.list('ports', `device_id=${r.id}&device_owner=network:router_gateway`, ADMIN))[0];
      await t.fails('DELETE', `/v2.0/ports/${gateway.id}`, undefined, 409, 'ServicePortInUse', ADMIN);
      t.equal((await t.ok('GET', `/v2.0/ports/${info.port_id}`)).port.device_owner, 'network:router_interface', 'the interface port after the refused delete');
    },
  }),
  defineCase({
    id: 'services.routers.extra_routes',
    title: 'extra routes need a nexthop on a subnet the router is on and not its own address (400 InvalidRoutes); a route pins its interface (409)',
    needs: [...NEEDS, 'extraroute'],
    async run(t) {
      const r = await router(t);
      const { sub } = await t.networkWithSubnet();
      await addInterface(t, r.id, { subnet_id: sub.id });
      const url = `/v2.0/routers/${r.id}`;
      await t.fails('PUT', url, { router: { routes: [{ destination: '192.168.0.0/16', nexthop: '10.99.0.1' }] } }, 400, 'InvalidRoutes');
      await t.fails('PUT', url, { router: { routes: [{ destination: '192.168.0.0/16', nexthop: '10.0.0.1' }] } }, 400, 'InvalidRoutes');
      await t.fails('PUT', url, { router: { routes: [{ destination: '192.168.0.1/16', nexthop: '10.0.0.9' }] } }, 400, 'HTTPBadRequest');
      await t.fails('POST', '/v2.0/routers', { router: { routes: [] } }, 400, 'HTTPBadRequest');
      const routes = [{ destination: '192.168.0.0/16', nexthop: '10.0.0.9' }];
      t.equal((await t.ok('PUT', url, { router: { routes } })).router.routes, routes, 'routes after PUT');
      await t.fails('PUT', `${url}/remove_router_interface`, { subnet_id: sub.id }, 409, 'RouterInterfaceInUseByRoute');
      t.equal((await t.ok('PUT', url, { router: { routes: null } })).router.routes, [], 'routes after clearing with null');
      await t.ok('PUT', `${url}/remove_router_interface`, { subnet_id: sub.id });
    },
  }),
  defineCase({
    id: 'services.routers.routes_limit',
    title: 'more extra routes than max_routes is 400 RoutesExhausted',
    needs: [...NEEDS, 'extraroute'],
    config: { maxRoutes: 2 },
    async run(t) {
      const r = await router(t);
      const { sub } = await t.networkWithSubnet();
      await addInterface(t, r.id, { subnet_id: sub.id });
      const routes = [1, 2, 3].map((i) => ({ destination: `192.168.${i}.0/24`, nexthop: '10.0.0.9' }));
      await t.fails('PUT', `/v2.0/routers/${r.id}`, { router: { routes } }, 400, 'RoutesExhausted');
      t.equal((await t.ok('PUT', `/v2.0/routers/${r.id}`, { router: { routes: routes.slice(0, 2) } })).router.routes.length, 2, 'routes within the limit');
    },
  }),
  defineCase({
    id: 'services.routers.ipv6_prefixes',
    title: "a second IPv6 subnet of a network joins the router's IPv6 port there (one port, two prefixes)",
    needs: NEEDS,
    async run(t) {
      const r = await router(t);
      const net = await t.network();
      const a = await t.subnet(net.id, '2001:db8:1::/64', { ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' });
      const b = await t.subnet(net.id, '2001:db8:2::/64', { ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' });
      const first = await addInterface(t, r.id, { subnet_id: a.id });
      const second = await addInterface(t, r.id, { subnet_id: b.id });
      t.equal(second.port_id, first.port_id, 'the port of the second prefix');
      const port = (await t.ok('GET', `/v2.0/ports/${first.port_id}`)).port;
      t.equal(port.fixed_ips.map((ip: Json) => ip.ip_address).sort(), ['2001:db8:1::1', '2001:db8:2::1'], 'addresses of the router port');
      await t.ok('PUT', `/v2.0/routers/${r.id}/remove_router_interface`, { subnet_id: a.id });
      t.equal((await t.ok('GET', `/v2.0/ports/${first.port_id}`)).port.fixed_ips.map((ip: Json) => ip.ip_address), ['2001:db8:2::1'], 'addresses after removing one prefix');
    },
  }),
  defineCase({
    id: 'services.routers.isolation',
    title: "another project's router is 404 RouterNotFound to show, update, delete or attach to, and absent from lists",
    needs: NEEDS,
    async run(t) {
      const r = await router(t);
      const { sub } = await t.networkWithSubnet('10.8.0.0/24', {}, BETA);
      await t.fails('GET', `/v2.0/routers/${r.id}`, undefined, 404, 'RouterNotFound', BETA);
      await t.fails('PUT', `/v2.0/routers/${r.id}`, { router: { name: 'mine' } }, 404, 'RouterNotFound', BETA);
      await t.fails('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id }, 404, 'RouterNotFound', BETA);
      await t.fails('DELETE', `/v2.0/routers/${r.id}`, undefined, 404, 'RouterNotFound', BETA);
      t.equal(await t.list('routers', '', BETA), [], "beta's routers");
      t.check(t.ids(await t.list('routers', '', ADMIN)).includes(r.id), "admin's list lacks alpha's router");
    },
  }),
  defineCase({
    id: 'services.routers.revisions',
    title: "attaching and detaching an interface bumps the router's revision_number",
    needs: [...NEEDS, 'standard-attr-revisions'],
    async run(t) {
      const r = await router(t);
      const { sub } = await t.networkWithSubnet();
      await addInterface(t, r.id, { subnet_id: sub.id });
      const attached = (await t.ok('GET', `/v2.0/routers/${r.id}`)).router.revision_number;
      t.check(attached > r.revision_number, `revision_number ${attached} did not grow from ${r.revision_number}`);
      await t.ok('PUT', `/v2.0/routers/${r.id}/remove_router_interface`, { subnet_id: sub.id });
      const detached = (await t.ok('GET', `/v2.0/routers/${r.id}`)).router.revision_number;
      t.check(detached > attached, `revision_number ${detached} did not grow from ${attached}`);
    },
  }),
];
