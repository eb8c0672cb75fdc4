import { defineCase } from '../case.js';
import { ADMIN, ALPHA, BETA, GAMMA, type Harness, type Json } from '../harness.js';

/** Alpha's private network with a subnet and a port. */
async function alphaResources(t: Harness): Promise<{ net: Json; sub: Json; port: Json }> {
  const { net, sub } = await t.networkWithSubnet('10.0.0.0/24', {}, ALPHA);
  return { net, sub, port: await t.port(net.id, {}, ALPHA) };
}

/** A network of alpha's that admin has shared, with a subnet. */
async function sharedNetwork(t: Harness): Promise<{ net: Json; sub: Json }> {
  const net = await t.network({ shared: true, tenant_id: 'alpha', name: 'shared' }, ADMIN);
  const sub = await t.subnet(net.id, '10.9.0.0/24', {}, ALPHA);
  return { net, sub };
}

export const isolationCases = [
  defineCase({
    id: 'isolation.networks.invisible',
    title: "another project's private network is 404 to show, update and delete, and absent from lists",
    async run(t) {
      const { net } = await alphaResources(t);
      await t.fails('GET', `/v2.0/networks/${net.id}`, undefined, 404, 'NetworkNotFound', BETA);
      await t.fails('PUT', `/v2.0/networks/${net.id}`, { network: { name: 'stolen' } }, 404, 'NetworkNotFound', BETA);
      await t.fails('DELETE', `/v2.0/networks/${net.id}`, undefined, 404, 'NetworkNotFound', BETA);
      t.equal(await t.list('networks', '', BETA), [], "beta's network list");
      t.equal(await t.list('networks', `id=${net.id}`, BETA), [], "beta's list filtered by alpha's id");
      t.equal((await t.ok('GET', `/v2.0/networks/${net.id}`, undefined, ALPHA)).network.name, 'net', 'name after the attempts');
    },
  }),
  defineCase({
    id: 'isolation.subnets.invisible',
    title: "another project's subnet is 404 and absent from lists",
    async run(t) {
      const { sub } = await alphaResources(t);
      await t.fails('GET', `/v2.0/subnets/${sub.id}`, undefined, 404, 'SubnetNotFound', BETA);
      await t.fails('PUT', `/v2.0/subnets/${sub.id}`, { subnet: { name: 'x' } }, 404, 'SubnetNotFound', BETA);
      await t.fails('DELETE', `/v2.0/subnets/${sub.id}`, undefined, 404, 'SubnetNotFound', BETA);
      t.equal(await t.list('subnets', '', BETA), [], "beta's subnet list");
    },
  }),
  defineCase({
    id: 'isolation.ports.invisible',
    title: "another project's port is 404 and absent from lists, even filtered by address",
    async run(t) {
      const { port } = await alphaResources(t);
      await t.fails('GET', `/v2.0/ports/${port.id}`, undefined, 404, 'PortNotFound', BETA);
      await t.fails('PUT', `/v2.0/ports/${port.id}`, { port: { name: 'x' } }, 404, 'PortNotFound', BETA);
      await t.fails('DELETE', `/v2.0/ports/${port.id}`, undefined, 404, 'PortNotFound', BETA);
      t.equal(await t.list('ports', '', BETA), [], "beta's port list");
      t.equal(await t.list('ports', `fixed_ips=${encodeURIComponent(`ip_address=${port.fixed_ips[0].ip_address}`)}`, BETA), [], "beta's list filtered by alpha's address");
    },
  }),
  defineCase({
    id: 'isolation.create_on_foreign_network',
    title: "a port or subnet on another project's private network is 404 NetworkNotFound",
    async run(t) {
      const { net } = await alphaResources(t);
      await t.fails('POST', '/v2.0/ports', { port: { network_id: net.id } }, 404, 'NetworkNotFound', BETA);
      await t.fails('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.1.0.0/24', ip_version: 4 } }, 404, 'NetworkNotFound', BETA);
      t.equal((await t.list('ports', `network_id=${net.id}`, ALPHA)).length, 1, "ports on alpha's network");
    },
  }),
  defineCase({
    id: 'isolation.admin_sees_all',
    title: 'admin sees and manages every project\'s resources',
    async run(t) {
      const a = await alphaResources(t);
      const b = await t.network({}, BETA);
      const all = t.ids(await t.list('networks', '', ADMIN));
      t.check(all.includes(a.net.id) && all.includes(b.id), `admin's list ${all.join(', ')} lacks a project's network`);
      t.equal((await t.ok('GET', `/v2.0/ports/${a.port.id}`, undefined, ADMIN)).port.id, a.port.id, "admin's view of alpha's port");
      await t.ok('DELETE', `/v2.0/networks/${b.id}`, undefined, ADMIN);
    },
  }),
  defineCase({
    id: 'isolation.create_for_other_project',
    title: 'only admin may create a resource for another project (400, as Neutron)',
    async run(t) {
      await t.fails('POST', '/v2.0/networks', { network: { tenant_id: 'beta' } }, 400, 'HTTPBadRequest', ALPHA);
      t.equal(t.ids(await t.list('networks', '', BETA)), [], "beta's network list after alpha's refused create");
      const n = await t.network({ project_id: 'beta' }, ADMIN);
      t.equal([n.project_id, n.tenant_id], ['beta', 'beta'], 'owner of the network admin made for beta');
      t.equal(t.ids(await t.list('networks', '', BETA)), [n.id], "beta's network list");
    },
  }),
  defineCase({
    id: 'isolation.shared.visible',
    title: 'a shared network and its subnets are visible to every project',
    async run(t) {
      const { net, sub } = await sharedNetwork(t);
      t.equal((await t.ok('GET', `/v2.0/networks/${net.id}`, undefined, BETA)).network.shared, true, 'shared, as beta sees it');
      t.equal(t.ids(await t.list('networks', '', BETA)), [net.id], "beta's network list");
      t.equal(t.ids(await t.list('subnets', '', BETA)), [sub.id], "beta's subnet list");
      t.equal(t.ids(await t.list('networks', 'shared=true', GAMMA)), [net.id], "gamma's shared networks");
    },
  }),
  defineCase({
    id: 'isolation.shared.ports',
    title: "projects attach ports to a shared network, and see only their own ports on it",
    async run(t) {
      const { net } = await sharedNetwork(t);
      const pb = await t.port(net.id, {}, BETA);
      const pg = await t.port(net.id, {}, GAMMA);
      t.equal(pb.project_id, 'beta', "owner of beta's port");
      t.equal(t.ids(await t.list('ports', '', BETA)), [pb.id], "beta's port list");
      await t.fails('GET', `/v2.0/ports/${pg.id}`, undefined, 404, 'PortNotFound', BETA);
      t.check(pb.fixed_ips[0].ip_address !== pg.fixed_ips[0].ip_address, 'two projects got the same address on the shared network');
    },
  }),
  defineCase({
    id: 'isolation.shared.not_owner',
    title: "a shared network's users may not change it, add subnets, or pick addresses (403)",
    async run(t) {
      const { net, sub } = await sharedNetwork(t);
      await t.fails('PUT', `/v2.0/networks/${net.id}`, { network: { name: 'mine' } }, 403, 'PolicyNotAuthorized', BETA);
      await t.fails('DELETE', `/v2.0/networks/${net.id}`, undefined, 403, 'PolicyNotAuthorized', BETA);
      await t.fails('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.8.0.0/24', ip_version: 4 } }, 403, 'PolicyNotAuthorized', BETA);
      await t.fails('POST', '/v2.0/ports', { port: { network_id: net.id, fixed_ips: [{ subnet_id: sub.id, ip_address: '10.9.0.9' }] } }, 403, 'PolicyNotAuthorized', BETA);
    },
  }),
  defineCase({
    id: 'isolation.shared.unshare_in_use',
    title: 'unsharing a network other projects have ports on is 409 InvalidSharedSetting',
    async run(t) {
      const { net } = await sharedNetwork(t);
      await t.port(net.id, {}, BETA);
      await t.fails('PUT', `/v2.0/networks/${net.id}`, { network: { shared: false } }, 409, 'InvalidSharedSetting', ADMIN);
      t.equal((await t.ok('GET', `/v2.0/networks/${net.id}`, undefined, BETA)).network.shared, true, 'shared after the refused update');
    },
  }),
  defineCase({
    id: 'isolation.project_from_body',
    title: 'without a project header, the body\'s tenant_id names the project',
    async run(t) {
      const res = await t.app.inject({ method: 'POST', url: '/v2.0/networks', payload: { network: { name: 'b', tenant_id: 'beta' } } });
      t.equal(res.statusCode, 201, 'POST status');
      t.equal(JSON.parse(res.body).network.project_id, 'beta', 'project_id');
      t.equal((await t.list('networks', '', BETA)).length, 1, "beta's networks");
      t.equal(await t.list('networks', '', ALPHA), [], "alpha's networks");
    },
  }),
];
