import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorType, makeApi, type Api } from './helpers.js';

describe('list filters, fields, sorting and pagination', () => {
  let api: Api;
  let nets: any[];
  beforeAll(async () => {
    api = await makeApi();
    nets = (await api.ok('POST', '/v2.0/networks', { networks: ['e', 'b', 'd', 'a', 'c'].map((name, i) => ({ name, admin_state_up: i % 2 === 0 })) })).networks;
  });
  afterAll(() => api.close());
  const names = (body: any, coll = 'networks') => body[coll].map((x: { name: string }) => x.name);

  it('filters by any field, repeated values OR-ed, fields AND-ed', async () => {
    expect(names(await api.ok('GET', '/v2.0/networks?name=a'))).toEqual(['a']);
    expect(names(await api.ok('GET', '/v2.0/networks?name=a&name=b&sort_key=name')).sort()).toEqual(['a', 'b']);
    expect(names(await api.ok('GET', '/v2.0/networks?admin_state_up=false&sort_key=name'))).toEqual(['a', 'b']);
    expect(names(await api.ok('GET', '/v2.0/networks?admin_state_up=True&name=a'))).toEqual([]);
    expect(names(await api.ok('GET', `/v2.0/networks?id=${nets[0].id}`))).toEqual(['e']);
    expect(names(await api.ok('GET', '/v2.0/networks?tenant_id=p1&provider:network_type=vxlan')).length).toBe(5);
    const bad = await api.call('GET', '/v2.0/networks?colour=red');
    expect([bad.status, errorType(bad)]).toEqual([400, 'HTTPBadRequest']);
  });

  it('changed_since (standard-attr-timestamp) keeps what was updated at or after the time, on every resource', async () => {
    const t = nets[0].updated_at as string; // whole seconds, 'Z'
    const later = new Date(Date.parse(t) + 3600_000).toISOString();
    expect(names(await api.ok('GET', `/v2.0/networks?changed_since=${t}`)).length).toBe(5);
    expect(names(await api.ok('GET', `/v2.0/networks?changed_since=${encodeURIComponent(later)}`))).toEqual([]);
    // an offset is a time zone: one hour ahead of UTC is the same instant an hour earlier in UTC
    const shifted = t.replace('Z', '').replace(/T(\d{2})/, (_, h) => `T${String((Number(h) + 1) % 24).padStart(2, '0')}`) + '+01:00';
    if (Number(t.slice(11, 13)) < 23) expect(names(await api.ok('GET', `/v2.0/networks?changed_since=${encodeURIComponent(shifted)}`)).length).toBe(5);
    for (const coll of ['subnets', 'ports']) expect((await api.call('GET', `/v2.0/${coll}?changed_since=${later}`)).status).toBe(200);
    const bad = await api.call('GET', '/v2.0/networks?changed_since=yesterday');
    expect([bad.status, errorType(bad)]).toEqual([400, 'InvalidInput']);
  });

  it('ANDs tenant_id and project_id filters, and takes an empty marker as none', async () => {
    expect(names(await api.ok('GET', '/v2.0/networks?tenant_id=p1&project_id=p1')).length).toBe(5);
    expect(names(await api.ok('GET', '/v2.0/networks?tenant_id=other&project_id=p1'))).toEqual([]);
    expect(names(await api.ok('GET', '/v2.0/networks?project_id=p1&tenant_id=other'))).toEqual([]);
    expect(names(await api.ok('GET', '/v2.0/networks?sort_key=name&limit=2&marker='))).toEqual(['a', 'b']);
  });

  it('returns only the requested fields', async () => {
    const { networks } = await api.ok('GET', '/v2.0/networks?fields=id&fields=name&name=a');
    expect(Object.keys(networks[0]).sort()).toEqual(['id', 'name']);
    const one = await api.ok('GET', `/v2.0/networks/${nets[0].id}?fields=status`);
    expect(one.network).toEqual({ status: 'ACTIVE' });
  });

  it('sorts by keys and directions', async () => {
    expect(names(await api.ok('GET', '/v2.0/networks?sort_key=name&sort_dir=desc'))).toEqual(['e', 'd', 'c', 'b', 'a']);
    const bad = await api.call('GET', '/v2.0/networks?sort_key=subnets');
    expect([bad.status, errorType(bad)]).toEqual([400, 'HTTPBadRequest']);
  });

  it('pages with limit and marker, following next and previous links', async () => {
    const p1 = await api.ok('GET', '/v2.0/networks?sort_key=name&limit=2');
    expect(names(p1)).toEqual(['a', 'b']);
    expect(p1.networks_links.map((l: { rel: string }) => l.rel)).toEqual(['next']);
    const next = new URL(p1.networks_links[0].href);
    const p2 = await api.ok('GET', `${next.pathname}${next.search}`);
    expect(names(p2)).toEqual(['c', 'd']);
    expect(p2.networks_links.map((l: { rel: string }) => l.rel).sort()).toEqual(['next', 'previous']);
    const prev = new URL(p2.networks_links.find((l: { rel: string }) => l.rel === 'previous').href);
    expect(names(await api.ok('GET', `${prev.pathname}${prev.search}`))).toEqual(['a', 'b']);
    const last = new URL(p2.networks_links.find((l: { rel: string }) => l.rel === 'next').href);
    const p3 = await api.ok('GET', `${last.pathname}${last.search}`);
    expect(names(p3)).toEqual(['e']);
    expect(p3.networks_links.map((l: { rel: string }) => l.rel)).toEqual(['previous']);
    const d = nets.find((n) => n.name === 'd');
    expect(names(await api.ok('GET', `/v2.0/networks?sort_key=name&limit=2&marker=${d.id}&page_reverse=True`))).toEqual(['b', 'c']);
    const missing = await api.call('GET', '/v2.0/networks?limit=2&marker=00000000-0000-0000-0000-000000000000');
    expect([missing.status, errorType(missing)]).toEqual([404, 'NetworkNotFound']);
  });

  it('filters ports by fixed_ips and subnets by network', async () => {
    const net = nets[0];
    const s = await api.subnet(net.id, '10.0.0.0/24');
    const p = await api.port(net.id, { fixed_ips: [{ ip_address: '10.0.0.77' }] });
    await api.port(net.id);
    const byIp = await api.ok('GET', '/v2.0/ports?fixed_ips=ip_address%3D10.0.0.77');
    expect(byIp.ports.map((x: { id: string }) => x.id)).toEqual([p.id]);
    const bySubnet = await api.ok('GET', `/v2.0/ports?fixed_ips=subnet_id%3D${s.id}`);
    expect(bySubnet.ports.length).toBe(2);
    expect((await api.ok('GET', `/v2.0/subnets?network_id=${net.id}`)).subnets.map((x: { id: string }) => x.id)).toEqual([s.id]);
    expect(names(await api.ok('GET', `/v2.0/networks?subnets=${s.id}`))).toEqual(['e']);
    expect((await api.ok('GET', '/v2.0/subnets?ip_version=6')).subnets).toEqual([]);
  });
});
