import { defineCase } from '../case.js';
import { ADMIN, ALPHA } from '../harness.js';

const vlan = (id: number, physnet = 'physnet1') => ({ 'provider:network_type': 'vlan', 'provider:physical_network': physnet, 'provider:segmentation_id': id });

export const segmentCases = [
  defineCase({
    id: 'segments.tenant.allocated',
    title: 'tenant networks get distinct segmentation ids from the configured range',
    needs: ['provider'],
    config: { tenantNetworkTypes: ['vxlan'], vniRanges: [[100, 199]] },
    async run(t) {
      const ids = new Set<number>();
      for (let i = 0; i < 5; i++) {
        const n = await t.network();
        const seen = (await t.ok('GET', `/v2.0/networks/${n.id}`, undefined, ADMIN)).network;
        t.equal(seen['provider:network_type'], 'vxlan', 'provider:network_type');
        const id = seen['provider:segmentation_id'];
        t.check(id >= 100 && id <= 199, `segmentation id ${id} is outside 100-199`);
        t.check(!ids.has(id), `segmentation id ${id} was given twice`);
        ids.add(id);
      }
    },
  }),
  defineCase({
    id: 'segments.tenant.exhausted',
    title: 'when the range is used up, a tenant network is 503 NoNetworkAvailable, never a duplicate',
    needs: ['provider'],
    config: { tenantNetworkTypes: ['vxlan'], vniRanges: [[1, 2]] },
    async run(t) {
      await t.network();
      await t.network();
      await t.fails('POST', '/v2.0/networks', { network: { name: 'third' } }, 503, 'NoNetworkAvailable');
      t.equal((await t.list('networks')).length, 2, 'networks after exhaustion');
    },
  }),
  defineCase({
    id: 'segments.tenant.released',
    title: "a deleted network's segment is allocated again",
    needs: ['provider'],
    config: { tenantNetworkTypes: ['vxlan'], vniRanges: [[7, 7]] },
    async run(t) {
      const n = await t.network();
      await t.ok('DELETE', `/v2.0/networks/${n.id}`);
      const again = await t.network();
      t.equal((await t.ok('GET', `/v2.0/networks/${again.id}`, undefined, ADMIN)).network['provider:segmentation_id'], 7, 'segmentation id reused');
    },
  }),
  defineCase({
    id: 'segments.tenant.vlan',
    title: 'with vlan tenant networks, ids come from the physical network\'s range',
    needs: ['provider'],
    config: { tenantNetworkTypes: ['vlan'], networkVlanRanges: { physnet7: [[300, 301]] } },
    async run(t) {
      const a = (await t.network({}, ADMIN)) as Record<string, unknown>;
      const b = (await t.network({}, ADMIN)) as Record<string, unknown>;
      t.equal([a['provider:network_type'], a['provider:physical_network']], ['vlan', 'physnet7'], 'segment type and physnet');
      t.equal([a['provider:segmentation_id'], b['provider:segmentation_id']].sort(), [300, 301], 'vlan ids');
      await t.fails('POST', '/v2.0/networks', { network: {} }, 503, 'NoNetworkAvailable');
    },
  }),
  defineCase({
    id: 'segments.provider.requested',
    title: 'admin gets exactly the provider segment asked for',
    needs: ['provider'],
    async run(t) {
      const n = await t.network(vlan(150), ADMIN);
      t.equal([n['provider:network_type'], n['provider:physical_network'], n['provider:segmentation_id']], ['vlan', 'physnet1', 150], 'provider attributes');
    },
  }),
  defineCase({
    id: 'segments.provider.vlan_in_use',
    title: 'a VLAN id already in use on the physical network is 409 VlanIdInUse',
    needs: ['provider'],
    async run(t) {
      await t.network(vlan(150), ADMIN);
      await t.fails('POST', '/v2.0/networks', { network: vlan(150) }, 409, 'VlanIdInUse', ADMIN);
    },
  }),
  defineCase({
    id: 'segments.provider.tunnel_in_use',
    title: 'a VXLAN id already in use is 409 TunnelIdInUse, and a tenant network never takes it',
    needs: ['provider'],
    config: { tenantNetworkTypes: ['vxlan'], vniRanges: [[40, 41]] },
    async run(t) {
      await t.network({ 'provider:network_type': 'vxlan', 'provider:segmentation_id': 40 }, ADMIN);
      await t.fails('POST', '/v2.0/networks', { network: { 'provider:network_type': 'vxlan', 'provider:segmentation_id': 40 } }, 409, 'TunnelIdInUse', ADMIN);
      const tenant = await t.network();
      t.equal((await t.ok('GET', `/v2.0/networks/${tenant.id}`, undefined, ADMIN)).network['provider:segmentation_id'], 41, "the tenant network's VNI");
    },
  }),
  defineCase({
    id: 'segments.provider.flat_in_use',
    title: 'a second flat network on one physical network is 409 FlatNetworkInUse',
    needs: ['provider'],
    async run(t) {
      const flat = { 'provider:network_type': 'flat', 'provider:physical_network': 'physnet1' };
      await t.network(flat, ADMIN);
      await t.fails('POST', '/v2.0/networks', { network: flat }, 409, 'FlatNetworkInUse', ADMIN);
    },
  }),
  defineCase({
    id: 'segments.provider.admin_only',
    title: 'provider attributes are admin-only (403 PolicyNotAuthorized)',
    needs: ['provider'],
    async run(t) {
      await t.fails('POST', '/v2.0/networks', { network: vlan(150) }, 403, 'PolicyNotAuthorized', ALPHA);
    },
  }),
  defineCase({
    id: 'segments.provider.invalid',
    title: 'a VLAN id out of range, or an unknown physical network, is 400 InvalidInput',
    needs: ['provider'],
    async run(t) {
      await t.fails('POST', '/v2.0/networks', { network: vlan(5000) }, 400, 'InvalidInput', ADMIN);
      await t.fails('POST', '/v2.0/networks', { network: vlan(150, 'nowhere') }, 400, 'InvalidInput', ADMIN);
    },
  }),
];
