import { randomUUID } from 'node:crypto';
import { defineCase } from '../case.js';
import { ADMIN, ALPHA } from '../harness.js';

/** Statuses a plugin may report; realisation is the plugin's business, the vocabulary is Neutron's. */
export const STATUSES = ['ACTIVE', 'BUILD', 'DOWN', 'ERROR'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const networkCases = [
  defineCase({
    id: 'networks.create.defaults',
    title: 'a created network has Neutron\'s fields and defaults',
    async run(t) {
      const res = await t.call('POST', '/v2.0/networks', { network: { name: 'blue' } });
      t.equal(res.status, 201, 'POST /v2.0/networks status');
      const n = res.body.network;
      t.check(UUID.test(n.id), `id is not a UUID: ${n.id}`);
      t.equal([n.name, n.admin_state_up, n.shared, n.subnets, n['router:external']], ['blue', true, false, [], false], '[name, admin_state_up, shared, subnets, router:external]');
      t.equal([n.project_id, n.tenant_id], ['alpha', 'alpha'], '[project_id, tenant_id]');
      t.check(STATUSES.includes(n.status), `status ${n.status} is not one of ${STATUSES.join(', ')}`);
      t.check(Number.isInteger(n.mtu) && n.mtu >= 68, `mtu ${n.mtu} is not a valid MTU`);
    },
  }),
  defineCase({
    id: 'networks.show',
    title: 'GET returns the network as created',
    async run(t) {
      const n = await t.network({ name: 'green', admin_state_up: false });
      const shown = (await t.ok('GET', `/v2.0/networks/${n.id}`)).network;
      t.equal([shown.id, shown.name, shown.admin_state_up], [n.id, 'green', false], 'shown [id, name, admin_state_up]');
    },
  }),
  defineCase({
    id: 'networks.show.not_found',
    title: 'an unknown network is 404 NetworkNotFound',
    async run(t) {
      await t.fails('GET', `/v2.0/networks/${randomUUID()}`, undefined, 404, 'NetworkNotFound');
      await t.fails('PUT', `/v2.0/networks/${randomUUID()}`, { network: { name: 'x' } }, 404, 'NetworkNotFound');
      await t.fails('DELETE', `/v2.0/networks/${randomUUID()}`, undefined, 404, 'NetworkNotFound');
    },
  }),
  defineCase({
    id: 'networks.update',
    title: 'an update changes the given fields, keeps the others, and is persistent',
    async run(t) {
      const n = await t.network({ name: 'old', description: 'kept' });
      const updated = (await t.ok('PUT', `/v2.0/networks/${n.id}`, { network: { name: 'new', admin_state_up: false } })).network;
      t.equal([updated.name, updated.admin_state_up, updated.description], ['new', false, 'kept'], 'PUT answer [name, admin_state_up, description]');
      const shown = (await t.ok('GET', `/v2.0/networks/${n.id}`)).network;
      t.equal([shown.name, shown.admin_state_up], ['new', false], 'GET after PUT [name, admin_state_up]');
    },
  }),
  defineCase({
    id: 'networks.update.revision',
    title: 'every update bumps revision_number',
    needs: ['standard-attr-revisions'],
    async run(t) {
      const n = await t.network();
      const u1 = (await t.ok('PUT', `/v2.0/networks/${n.id}`, { network: { name: 'a' } })).network;
      const u2 = (await t.ok('PUT', `/v2.0/networks/${n.id}`, { network: { name: 'b' } })).network;
      t.check(u1.revision_number > n.revision_number && u2.revision_number > u1.revision_number, `revisions ${n.revision_number}, ${u1.revision_number}, ${u2.revision_number} do not increase`);
    },
  }),
  defineCase({
    id: 'networks.update.mtu',
    title: 'mtu is writable, and one above what the segment carries is 400',
    needs: ['net-mtu-writable'],
    async run(t) {
      const n = await t.network();
      const u = (await t.ok('PUT', `/v2.0/networks/${n.id}`, { network: { mtu: 1400 } })).network;
      t.equal(u.mtu, 1400, 'mtu after update');
      await t.fails('PUT', `/v2.0/networks/${n.id}`, { network: { mtu: 65000 } }, 400, 'InvalidInput');
      await t.fails('POST', '/v2.0/networks', { network: { mtu: 65000 } }, 400, 'InvalidInput');
    },
  }),
  defineCase({
    id: 'networks.delete',
    title: 'delete answers 204 and the network, with its subnets, is gone',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      const res = await t.call('DELETE', `/v2.0/networks/${net.id}`);
      t.equal(res.status, 204, 'DELETE status');
      await t.fails('GET', `/v2.0/networks/${net.id}`, undefined, 404, 'NetworkNotFound');
      await t.fails('GET', `/v2.0/subnets/${sub.id}`, undefined, 404, 'SubnetNotFound');
    },
  }),
  defineCase({
    id: 'networks.delete.in_use',
    title: 'deleting a network with a port on it is 409 NetworkInUse and changes nothing',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      const p = await t.port(net.id, { device_owner: 'compute:nova' });
      await t.fails('DELETE', `/v2.0/networks/${net.id}`, undefined, 409, 'NetworkInUse');
      await t.ok('GET', `/v2.0/networks/${net.id}`);
      await t.ok('GET', `/v2.0/ports/${p.id}`);
    },
  }),
  defineCase({
    id: 'networks.delete.dhcp_port_only',
    title: 'a network whose only port is its DHCP port can be deleted, port included',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      const dhcp = await t.port(net.id, { device_owner: 'network:dhcp' });
      t.equal((await t.call('DELETE', `/v2.0/networks/${net.id}`)).status, 204, 'DELETE status');
      await t.fails('GET', `/v2.0/ports/${dhcp.id}`, undefined, 404, 'PortNotFound');
    },
  }),
  defineCase({
    id: 'networks.shared.admin_only',
    title: 'only admin may create or set a shared network (403 PolicyNotAuthorized)',
    async run(t) {
      await t.fails('POST', '/v2.0/networks', { network: { shared: true } }, 403, 'PolicyNotAuthorized');
      const n = await t.network();
      await t.fails('PUT', `/v2.0/networks/${n.id}`, { network: { shared: true } }, 403, 'PolicyNotAuthorized');
      const shared = (await t.ok('PUT', `/v2.0/networks/${n.id}`, { network: { shared: true } }, ADMIN)).network;
      t.equal(shared.shared, true, 'shared after admin update');
    },
  }),
  defineCase({
    id: 'networks.external.visible',
    title: 'an external network is visible to every project',
    needs: ['external-net'],
    async run(t) {
      const ext = await t.network({ 'router:external': true, name: 'public' }, ADMIN);
      t.equal(ext['router:external'], true, 'router:external');
      const seen = await t.list('networks', 'router:external=true', ALPHA);
      t.equal(t.ids(seen), [ext.id], 'external networks alpha sees');
    },
  }),
];
