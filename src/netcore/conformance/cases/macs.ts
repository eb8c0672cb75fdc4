import { defineCase } from '../case.js';
import type { Json } from '../harness.js';

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;

export const macCases = [
  defineCase({
    id: 'macs.generated.base',
    title: 'generated MACs are unicast and carry the default base fa:16:3e',
    async run(t) {
      const net = await t.network();
      const p = await t.port(net.id);
      t.check(MAC.test(p.mac_address) && p.mac_address.startsWith('fa:16:3e:'), `mac_address ${p.mac_address} is not under fa:16:3e`);
    },
  }),
  defineCase({
    id: 'macs.generated.configured_base',
    title: 'generated MACs follow the configured base_mac',
    config: { baseMac: 'fa:16:3f:00:00:00' },
    async run(t) {
      const net = await t.network();
      const p = await t.port(net.id);
      t.check(p.mac_address.startsWith('fa:16:3f:'), `mac_address ${p.mac_address} ignores base_mac fa:16:3f:00:00:00`);
    },
  }),
  defineCase({
    id: 'macs.generated.unique',
    title: '50 generated MACs on one network are all different',
    async run(t) {
      const net = await t.network();
      const ports = (await t.ok('POST', '/v2.0/ports', { ports: Array.from({ length: 50 }, () => ({ network_id: net.id })) })).ports as Json[];
      t.equal(new Set(ports.map((p) => p.mac_address)).size, 50, 'distinct MACs');
    },
  }),
  defineCase({
    id: 'macs.requested',
    title: 'a requested MAC is used, normalised to lower case',
    async run(t) {
      const net = await t.network();
      const p = await t.port(net.id, { mac_address: 'FA:16:3E:AA:BB:CC' });
      t.equal(p.mac_address, 'fa:16:3e:aa:bb:cc', 'mac_address');
    },
  }),
  defineCase({
    id: 'macs.duplicate',
    title: 'a MAC already on the network is 409 MacAddressInUse',
    async run(t) {
      const net = await t.network();
      await t.port(net.id, { mac_address: 'fa:16:3e:aa:bb:cc' });
      await t.fails('POST', '/v2.0/ports', { port: { network_id: net.id, mac_address: 'fa:16:3e:aa:bb:cc' } }, 409, 'MacAddressInUse');
    },
  }),
  defineCase({
    id: 'macs.other_network',
    title: 'the same MAC on another network is allowed',
    async run(t) {
      const a = await t.network();
      const b = await t.network();
      await t.port(a.id, { mac_address: 'fa:16:3e:aa:bb:cc' });
      t.equal((await t.port(b.id, { mac_address: 'fa:16:3e:aa:bb:cc' })).mac_address, 'fa:16:3e:aa:bb:cc', 'mac_address on the second network');
    },
  }),
  defineCase({
    id: 'macs.reuse_after_delete',
    title: 'a MAC is free again once its port is deleted',
    async run(t) {
      const net = await t.network();
      const p = await t.port(net.id, { mac_address: 'fa:16:3e:aa:bb:cc' });
      await t.ok('DELETE', `/v2.0/ports/${p.id}`);
      await t.port(net.id, { mac_address: 'fa:16:3e:aa:bb:cc' });
    },
  }),
  defineCase({
    id: 'macs.invalid',
    title: 'a malformed or multicast MAC is 400',
    async run(t) {
      const net = await t.network();
      for (const mac of ['zz:16:3e:aa:bb:cc', 'fa:16:3e:aa:bb', '01:00:5e:00:00:01']) {
        await t.fails('POST', '/v2.0/ports', { port: { network_id: net.id, mac_address: mac } }, 400, 'HTTPBadRequest');
      }
    },
  }),
];
