import { defineCase } from '../case.js';
import { ADMIN, type Json } from '../harness.js';

export const bulkCases = [
  defineCase({
    id: 'bulk.networks.create',
    title: 'a bulk create answers 201 with every network, in request order',
    async run(t) {
      const res = await t.call('POST', '/v2.0/networks', { networks: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] });
      t.equal(res.status, 201, 'POST status');
      t.equal(res.body.networks.map((n: Json) => n.name), ['a', 'b', 'c'], 'names in the answer');
      t.equal((await t.list('networks')).length, 3, 'networks listed after');
    },
  }),
  defineCase({
    id: 'bulk.networks.rollback',
    title: 'a bulk network create with one bad item creates nothing',
    async run(t) {
      // the second item passes the API's checks but not the plugin's (MTU above what the segment carries)
      await t.fails('POST', '/v2.0/networks', { networks: [{ name: 'a' }, { name: 'b', mtu: 65000 }, { name: 'c' }] }, 400, 'InvalidInput');
      t.equal(await t.list('networks'), [], 'networks after the failed bulk create');
    },
  }),
  defineCase({
    id: 'bulk.networks.rollback_segments',
    title: 'a rolled back bulk create releases the segments it took',
    needs: ['provider'],
    async run(t) {
      const item = { 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 150 };
      await t.fails('POST', '/v2.0/networks', { networks: [item, { ...item }] }, 409, 'VlanIdInUse', ADMIN);
      t.equal(await t.list('networks', '', ADMIN), [], 'networks after the failed bulk create');
      await t.network(item, ADMIN);
    },
  }),
  defineCase({
    id: 'bulk.subnets.rollback',
    title: 'a bulk subnet create whose second item overlaps the first creates neither',
    async run(t) {
      const net = await t.network();
      const items = [{ network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4 }, { network_id: net.id, cidr: '10.0.0.0/25', ip_version: 4 }];
      await t.fails('POST', '/v2.0/subnets', { subnets: items }, 400, 'InvalidInput');
      t.equal(await t.list('subnets'), [], 'subnets after the failed bulk create');
      t.equal((await t.ok('GET', `/v2.0/networks/${net.id}`)).network.subnets, [], "the network's subnets");
    },
  }),
  defineCase({
    id: 'bulk.ports.create',
    title: 'a bulk port create answers 201 with every port, in order',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      const res = await t.call('POST', '/v2.0/ports', { ports: [{ network_id: net.id, name: 'p0' }, { network_id: net.id, name: 'p1' }] });
      t.equal(res.status, 201, 'POST status');
      t.equal(res.body.ports.map((p: Json) => p.name), ['p0', 'p1'], 'names in the answer');
    },
  }),
  defineCase({
    id: 'bulk.ports.rollback_ip',
    title: 'a bulk port create with a clashing address creates no port and holds no address',
    async run(t) {
      const { net } = await t.networkWithSubnet();
      const items = [{ network_id: net.id, fixed_ips: [{ ip_address: '10.0.0.5' }] }, { network_id: net.id, fixed_ips: [{ ip_address: '10.0.0.5' }] }];
      await t.fails('POST', '/v2.0/ports', { ports: items }, 409, 'IpAddressInUse');
      t.equal(await t.list('ports'), [], 'ports after the failed bulk create');
      const p = await t.port(net.id, { fixed_ips: [{ ip_address: '10.0.0.5' }] });
      t.equal(p.fixed_ips[0].ip_address, '10.0.0.5', 'the address the failed bulk create had taken');
    },
  }),
  defineCase({
    id: 'bulk.ports.rollback_exhaustion',
    title: 'a bulk port create that runs out of addresses creates nothing and frees what it took',
    async run(t) {
      const { net } = await t.networkWithSubnet('10.0.0.0/29');
      // pool .2-.6 holds five; six ports cannot fit
      await t.fails('POST', '/v2.0/ports', { ports: Array.from({ length: 6 }, () => ({ network_id: net.id })) }, 409, 'IpAddressGenerationFailure');
      t.equal(await t.list('ports'), [], 'ports after the failed bulk create');
      const five = (await t.ok('POST', '/v2.0/ports', { ports: Array.from({ length: 5 }, () => ({ network_id: net.id })) })).ports as Json[];
      t.equal(five.length, 5, 'ports created once the pool is whole again');
    },
  }),
  defineCase({
    id: 'bulk.ports.rollback_mac',
    title: 'a bulk port create repeating a MAC is 409 MacAddressInUse and creates nothing',
    async run(t) {
      const net = await t.network();
      const items = [{ network_id: net.id, mac_address: 'fa:16:3e:00:00:aa' }, { network_id: net.id, mac_address: 'fa:16:3e:00:00:aa' }];
      await t.fails('POST', '/v2.0/ports', { ports: items }, 409, 'MacAddressInUse');
      t.equal(await t.list('ports'), [], 'ports after the failed bulk create');
    },
  }),
  defineCase({
    id: 'bulk.validation.all_or_nothing',
    title: 'a bulk create with one invalid item is 400 before anything is created',
    async run(t) {
      await t.fails('POST', '/v2.0/networks', { networks: [{ name: 'ok' }, { name: 'bad', admin_state_up: 'perhaps' }] }, 400, 'HTTPBadRequest');
      t.equal(await t.list('networks'), [], 'networks after the rejected bulk create');
    },
  }),
];
