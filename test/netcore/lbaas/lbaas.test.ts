import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalPluginFactory, RecordingController, type JournalPlugin } from '../../../src/netcore/plugins/journal/index.js';
import { errorType, makeApi, type Api, type Who } from '../helpers.js';

const A: Who = { project: 'alpha' };

// LBaaS v1 as Havana's API reference documents it (docs.openstack.org's "Networking API v2.0,
// LBaaS extension" pages): the attributes each resource shows, the association's empty answer.
describe('LBaaS v1 over HTTP', () => {
  let api: Api;
  let net: any, sub: any;
  beforeEach(async () => {
    api = await makeApi();
    net = await api.network({}, A);
    sub = await api.subnet(net.id, '10.0.0.0/24', {}, A);
  });
  afterEach(() => api.close());

  const create = async (coll: string, one: string, body: object) => (await api.ok('POST', `/v2.0/lb/${coll}`, { [one]: body }, A))[one];
  const pool = (extra: object = {}) => create('pools', 'pool', { name: 'web', subnet_id: sub.id, protocol: 'HTTP', lb_method: 'ROUND_ROBIN', ...extra });

  it("shows Havana's attributes for pools, members, vips and monitors", async () => {
    const p = await pool({ description: 'front' });
    expect(Object.keys(p).sort()).toEqual(
      ['admin_state_up', 'description', 'health_monitors', 'health_monitors_status', 'id', 'lb_method', 'members', 'name', 'project_id', 'protocol', 'provider', 'status', 'status_description', 'subnet_id', 'tenant_id', 'vip_id'].sort(),
    );
    const m = await create('members', 'member', { pool_id: p.id, address: '10.0.0.4', protocol_port: '80' });
    expect(Object.keys(m).sort()).toEqual(['address', 'admin_state_up', 'id', 'pool_id', 'project_id', 'protocol_port', 'status', 'status_description', 'tenant_id', 'weight'].sort());
    expect(m.protocol_port).toBe(80);
    const v = await create('vips', 'vip', { name: 'NewVip', subnet_id: sub.id, pool_id: p.id, protocol: 'HTTP', protocol_port: '80' });
    expect(Object.keys(v).sort()).toEqual(
      ['address', 'admin_state_up', 'connection_limit', 'description', 'id', 'name', 'pool_id', 'port_id', 'project_id', 'protocol', 'protocol_port', 'status', 'status_description', 'subnet_id', 'tenant_id'].sort(),
    );
    expect(v).toMatchObject({ connection_limit: -1, address: '10.0.0.2', subnet_id: sub.id, status: 'ACTIVE' });
    const hm = await create('health_monitors', 'health_monitor', { type: 'HTTP', delay: 5, timeout: 3, max_retries: 3 });
    expect(Object.keys(hm).sort()).toEqual(['admin_state_up', 'delay', 'expected_codes', 'http_method', 'id', 'max_retries', 'pools', 'project_id', 'tenant_id', 'timeout', 'type', 'url_path'].sort());
    const vipPort = (await api.ok('GET', `/v2.0/ports/${v.port_id}`, undefined, A)).port;
    expect([vipPort.name, vipPort.device_id, vipPort.device_owner, vipPort.admin_state_up]).toEqual([`vip-${v.id}`, v.id, 'neutron:LOADBALANCER', false]);
  });

  it('shows a pool-monitor association and the pool stats, and refuses a malformed association', async () => {
    const p = await pool();
    const hm = await create('health_monitors', 'health_monitor', { type: 'TCP', delay: 5, timeout: 3, max_retries: 3 });
    await api.ok('POST', `/v2.0/lb/pools/${p.id}/health_monitors`, { health_monitor: { id: hm.id } }, A);
    expect((await api.ok('GET', `/v2.0/lb/pools/${p.id}/health_monitors/${hm.id}`, undefined, A)).health_monitor).toEqual({
      pool_id: p.id,
      monitor_id: hm.id,
      status: 'ACTIVE',
      status_description: null,
      tenant_id: 'alpha',
    });
    expect((await api.ok('GET', `/v2.0/lb/pools/${p.id}`, undefined, A)).pool.health_monitors_status).toEqual([{ monitor_id: hm.id, status: 'ACTIVE', status_description: null }]);
    expect((await api.ok('GET', `/v2.0/lb/pools/${p.id}/stats`, undefined, A)).stats).toEqual({ bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0 });
    for (const body of [{}, { health_monitor: { id: 'x' } }]) {
      const res = await api.call('POST', `/v2.0/lb/pools/${p.id}/health_monitors`, body, A);
      expect([res.status, errorType(res)]).toEqual([400, 'HTTPBadRequest']);
    }
  });

  it('associates monitors given at pool create and update, replacing them', async () => {
    const a = await create('health_monitors', 'health_monitor', { type: 'PING', delay: 5, timeout: 3, max_retries: 3 });
    const b = await create('health_monitors', 'health_monitor', { type: 'PING', delay: 5, timeout: 3, max_retries: 3 });
    const p = await pool({ health_monitors: [a.id] });
    expect(p.health_monitors).toEqual([a.id]);
    expect((await api.ok('PUT', `/v2.0/lb/pools/${p.id}`, { pool: { health_monitors: [b.id] } }, A)).pool.health_monitors).toEqual([b.id]);
    const unknown = await api.call('PUT', `/v2.0/lb/pools/${p.id}`, { pool: { health_monitors: ['0b8e1b1c-7f9e-4a3e-9d1c-2b1a1b1c1d1e'] } }, A);
    expect([unknown.status, errorType(unknown)]).toEqual([404, 'HealthMonitorNotFound']);
  });

  it("keeps a pool's subnet and network (409) and filters members by pool", async () => {
    const p = await pool();
    const q = await pool({ name: 'other', protocol: 'TCP' });
    await create('members', 'member', { pool_id: p.id, address: '10.0.0.4', protocol_port: 80 });
    await create('members', 'member', { pool_id: q.id, address: '10.0.0.4', protocol_port: 80 });
    expect((await api.ok('GET', `/v2.0/lb/members?pool_id=${q.id}`, undefined, A)).members.map((m: any) => m.pool_id)).toEqual([q.id]);
    const subnet = await api.call('DELETE', `/v2.0/subnets/${sub.id}`, undefined, A);
    expect([subnet.status, errorType(subnet)]).toEqual([409, 'SubnetInUse']);
    const network = await api.call('DELETE', `/v2.0/networks/${net.id}`, undefined, A);
    expect([network.status, errorType(network)]).toEqual([409, 'NetworkInUse']);
    await api.ok('DELETE', `/v2.0/lb/pools/${p.id}`, undefined, A);
    await api.ok('DELETE', `/v2.0/lb/pools/${q.id}`, undefined, A);
    await api.ok('DELETE', `/v2.0/networks/${net.id}`, undefined, A);
  });

  it('creates pools in bulk, all or none', async () => {
    const made = await api.ok('POST', '/v2.0/lb/pools', { pools: [{ subnet_id: sub.id, protocol: 'HTTP', lb_method: 'ROUND_ROBIN' }, { subnet_id: sub.id, protocol: 'TCP', lb_method: 'SOURCE_IP' }] }, A);
    expect(made.pools.map((p: any) => p.protocol)).toEqual(['HTTP', 'TCP']);
    const bad = await api.call('POST', '/v2.0/lb/pools', { pools: [{ subnet_id: sub.id, protocol: 'HTTP', lb_method: 'ROUND_ROBIN' }, { subnet_id: '0b8e1b1c-7f9e-4a3e-9d1c-2b1a1b1c1d1e', protocol: 'HTTP', lb_method: 'ROUND_ROBIN' }] }, A);
    expect([bad.status, errorType(bad)]).toEqual([404, 'SubnetNotFound']);
    expect((await api.ok('GET', '/v2.0/lb/pools', undefined, A)).pools).toHaveLength(2);
  });

  it('journals pools, members, vips (and their ports) and monitors through the journal plugin', async () => {
    const ctl = new RecordingController();
    const j = await makeApi({ plugin: journalPluginFactory(ctl), config: { pluginOptions: { sync: 'manual' } } });
    try {
      const plugin = j.app.netcore.plugin as JournalPlugin;
      const n = await j.network({}, A);
      const s = await j.subnet(n.id, '10.0.0.0/24', {}, A);
      const before = plugin.journal.entries().length;
      const p = (await j.ok('POST', '/v2.0/lb/pools', { pool: { subnet_id: s.id, protocol: 'HTTP', lb_method: 'ROUND_ROBIN' } }, A)).pool;
      const m = (await j.ok('POST', '/v2.0/lb/members', { member: { pool_id: p.id, address: '10.0.0.9', protocol_port: 80 } }, A)).member;
      const v = (await j.ok('POST', '/v2.0/lb/vips', { vip: { subnet_id: s.id, pool_id: p.id, protocol: 'HTTP', protocol_port: 80 } }, A)).vip;
      const hm = (await j.ok('POST', '/v2.0/lb/health_monitors', { health_monitor: { type: 'PING', delay: 5, timeout: 3, max_retries: 3 } }, A)).health_monitor;
      await j.ok('POST', `/v2.0/lb/pools/${p.id}/health_monitors`, { health_monitor: { id: hm.id } }, A);
      expect(plugin.journal.entries().slice(before).map((e) => `${e.operation} ${e.object_type} ${e.depends_on.join(',')}`)).toEqual([
        'create pool ',
        `create member ${p.id}`,
        `create port ${n.id},${s.id}`,
        `create vip ${p.id}`,
        'create health_monitor ',
        'update pool ',
      ]);
      await plugin.sync.drain();
      expect(ctl.objects.get(v.id)).toMatchObject({ port_id: v.port_id, pool_id: p.id });
      expect(ctl.objects.get(m.id)).toMatchObject({ address: '10.0.0.9' });
    } finally {
      await j.close();
    }
  });
});
