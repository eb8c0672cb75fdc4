import { describe, expect, it } from 'vitest';
import { errorType, makeApi, type Who } from './helpers.js';

const ADMIN: Who = { project: 'ops', admin: true };

describe('segments', () => {
  it('gives tenant networks distinct VNIs and runs out with NoNetworkAvailable (503)', async () => {
    const api = await makeApi({ config: { vniRanges: [[10, 12]] } });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await api.network())['provider:segmentation_id']);
    expect(ids).toEqual([10, 11, 12]);
    const res = await api.call('POST', '/v2.0/networks', { network: {} });
    expect([res.status, errorType(res)]).toEqual([503, 'NoNetworkAvailable']);
    await api.close();
  });
});

describe('provider networks (admin)', () => {
  it('takes a requested VNI, VLAN or GRE key once, and refuses a second taker', async () => {
    const api = await makeApi({ config: { vniRanges: [[1, 5]] } });
    const vx = await api.network({ 'provider:network_type': 'vxlan', 'provider:segmentation_id': 4000 }, ADMIN);
    expect(vx).toMatchObject({ 'provider:network_type': 'vxlan', 'provider:segmentation_id': 4000, mtu: 1450 });
    const again = await api.call('POST', '/v2.0/networks', { network: { 'provider:network_type': 'vxlan', 'provider:segmentation_id': 4000 } }, ADMIN);
    expect([again.status, errorType(again)]).toEqual([409, 'TunnelIdInUse']);
    const vlan = await api.network({ 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 42 }, ADMIN);
    expect(vlan).toMatchObject({ 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 42, mtu: 1500 });
    const vlanAgain = await api.call(
      'POST',
      '/v2.0/networks',
      { network: { 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 42 } },
      ADMIN,
    );
    expect([vlanAgain.status, errorType(vlanAgain)]).toEqual([409, 'VlanIdInUse']);
    const autoVlan = await api.network({ 'provider:network_type': 'vlan' }, ADMIN);
    expect(autoVlan['provider:segmentation_id']).toBe(100);
    const gre = await api.network({ 'provider:network_type': 'gre' }, ADMIN);
    expect(gre).toMatchObject({ 'provider:segmentation_id': 1, mtu: 1458 });
    const flat = await api.network({ 'provider:network_type': 'flat', 'provider:physical_network': 'ext' }, ADMIN);
    expect(flat['provider:segmentation_id']).toBeNull();
    const flatAgain = await api.call('POST', '/v2.0/networks', { network: { 'provider:network_type': 'flat', 'provider:physical_network': 'ext' } }, ADMIN);
    expect([flatAgain.status, errorType(flatAgain)]).toEqual([409, 'FlatNetworkInUse']);
    for (const bad of [
      { 'provider:network_type': 'vlan', 'provider:physical_network': 'physnet1', 'provider:segmentation_id': 5000 },
      { 'provider:network_type': 'vlan', 'provider:physical_network': 'nowhere' },
      { 'provider:network_type': 'vxlan', 'provider:physical_network': 'physnet1' },
      { 'provider:segmentation_id': 3 },
      { 'provider:network_type': 'token-ring' },
    ]) {
      const res = await api.call('POST', '/v2.0/networks', { network: bad }, ADMIN);
      expect([JSON.stringify(bad), res.status]).toEqual([JSON.stringify(bad), 400]);
    }
    await api.close();
  });

  it('reuses a segment once its network is deleted, and never hands out one an admin took', async () => {
    const api = await makeApi({ config: { vniRanges: [[1, 3]] } });
    await api.network({ 'provider:network_type': 'vxlan', 'provider:segmentation_id': 2 }, ADMIN);
    const a = await api.network();
    const b = await api.network();
    expect([a['provider:segmentation_id'], b['provider:segmentation_id']]).toEqual([1, 3]);
    await api.ok('DELETE', `/v2.0/networks/${a.id}`);
    expect((await api.network())['provider:segmentation_id']).toBe(1);
    await api.close();
  });

  it('falls through tenant network types and ranges in order', async () => {
    const api = await makeApi({ config: { tenantNetworkTypes: ['vlan', 'vxlan'], networkVlanRanges: { p1: [[7, 7]], p2: [[9, 9]] }, vniRanges: [[50, 50]] } });
    const got = [];
    for (let i = 0; i < 3; i++) {
      const n = await api.network();
      got.push([n['provider:network_type'], n['provider:physical_network'], n['provider:segmentation_id']]);
    }
    expect(got).toEqual([
      ['vlan', 'p1', 7],
      ['vlan', 'p2', 9],
      ['vxlan', null, 50],
    ]);
    expect((await api.call('POST', '/v2.0/networks', { network: {} })).status).toBe(503);
    await api.close();
  });
});
