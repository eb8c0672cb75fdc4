import { randomUUID } from 'node:crypto';
import { defineCase } from '../case.js';
import { STATUSES } from './networks.js';

export const portCases = [
  defineCase({
    id: 'ports.create.defaults',
    title: 'a created port has Neutron\'s fields, one address from the subnet and a MAC',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      const res = await t.call('POST', '/v2.0/ports', { port: { network_id: net.id } });
      t.equal(res.status, 201, 'POST /v2.0/ports status');
      const p = res.body.port;
      t.equal([p.network_id, p.admin_state_up, p.device_id, p.device_owner, p.project_id, p.tenant_id], [net.id, true, '', '', 'alpha', 'alpha'], '[network_id, admin_state_up, device_id, device_owner, project_id, tenant_id]');
      t.check(STATUSES.includes(p.status), `status ${p.status} is not one of ${STATUSES.join(', ')}`);
      t.check(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(p.mac_address), `mac_address ${p.mac_address} is not a lower-case MAC`);
      t.equal(p.fixed_ips.length, 1, 'number of fixed_ips');
      t.equal(p.fixed_ips[0].subnet_id, sub.id, 'fixed_ips[0].subnet_id');
    },
  }),
  defineCase({
    id: 'ports.create.no_subnet',
    title: 'a port on a network without subnets has no fixed IPs',
    async run(t) {
      const net = await t.network();
      t.equal((await t.port(net.id)).fixed_ips, [], 'fixed_ips');
    },
  }),
  defineCase({
    id: 'ports.create.network_not_found',
    title: 'a port on an unknown network is 404 NetworkNotFound',
    async run(t) {
      await t.fails('POST', '/v2.0/ports', { port: { network_id: randomUUID() } }, 404, 'NetworkNotFound');
    },
  }),
  defineCase({
    id: 'ports.lifecycle',
    title: 'a port updates (name, device, admin state), shows, and deletes with 204, then is 404 PortNotFound',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      const p = await t.port(net.id, { name: 'vm0' });
      const device = randomUUID();
      const u = (await t.ok('PUT', `/v2.0/ports/${p.id}`, { port: { name: 'vm1', device_id: device, device_owner: 'compute:nova', admin_state_up: false } })).port;
      t.equal([u.name, u.device_id, u.device_owner, u.admin_state_up, u.mac_address, u.fixed_ips], ['vm1', device, 'compute:nova', false, p.mac_address, p.fixed_ips], 'PUT answer');
      t.equal((await t.ok('GET', `/v2.0/ports/${p.id}`)).port.name, 'vm1', 'name after PUT');
      t.equal((await t.call('DELETE', `/v2.0/ports/${p.id}`)).status, 204, 'DELETE status');
      await t.fails('GET', `/v2.0/ports/${p.id}`, undefined, 404, 'PortNotFound');
      await t.fails('DELETE', `/v2.0/ports/${p.id}`, undefined, 404, 'PortNotFound');
    },
  }),
  defineCase({
    id: 'ports.update.read_only',
    title: 'network_id and mac_address cannot be changed by an update (400)',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      const p = await t.port(net.id);
      const other = await t.network();
      await t.fails('PUT', `/v2.0/ports/${p.id}`, { port: { network_id: other.id } }, 400, 'HTTPBadRequest');
      await t.fails('PUT', `/v2.0/ports/${p.id}`, { port: { mac_address: 'fa:16:3e:00:00:09' } }, 400, 'HTTPBadRequest');
    },
  }),
];
