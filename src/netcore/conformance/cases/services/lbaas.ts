import { randomUUID } from 'node:crypto';
import { defineCase } from '../../case.js';
import { ADMIN, BETA, type Harness, type Json } from '../../harness.js';

// LBaaS v1 as Havana documented it (the Neutron used for side-by-side checks no longer has it).
const NEEDS = ['lbaas'];

async function pool(t: Harness, extra: object = {}): Promise<{ pool: Json; sub: Json; net: Json }> {
  const { net, sub } = await t.networkWithSubnet();
  const body = { pool: { name: 'web', subnet_id: sub.id, protocol: 'HTTP', lb_method: 'ROUND_ROBIN', ...extra } };
  return { pool: (await t.ok('POST', '/v2.0/lb/pools', body)).pool, sub, net };
}
const member = (t: Harness, poolId: string, address: string, port = 80) => t.ok('POST', '/v2.0/lb/members', { member: { pool_id: poolId, address, protocol_port: port } }).then((b) => b.member);
const vipBody = (poolId: string, subnetId: string, extra: object = {}) => ({ vip: { name: 'v', subnet_id: subnetId, pool_id: poolId, protocol: 'HTTP', protocol_port: 80, ...extra } });
const monitor = (t: Harness, extra: object = {}) => t.ok('POST', '/v2.0/lb/health_monitors', { health_monitor: { type: 'HTTP', delay: 5, timeout: 3, max_retries: 3, ...extra } }).then((b) => b.health_monitor);

export const lbaasCases = [
  defineCase({
    id: 'services.lbaas.pools',
    title: 'a pool is created, updated and deleted; a bad lb_method is 400',
    needs: NEEDS,
    async run(t) {
      const { pool: p, sub } = await pool(t);
      t.equal([p.protocol, p.lb_method, p.subnet_id], ['HTTP', 'ROUND_ROBIN', sub.id], '[protocol, lb_method, subnet_id]');
      t.equal((await t.ok('PUT', `/v2.0/lb/pools/${p.id}`, { pool: { lb_method: 'LEAST_CONNECTIONS' } })).pool.lb_method, 'LEAST_CONNECTIONS', 'lb_method after PUT');
      await t.fails('POST', '/v2.0/lb/pools', { pool: { subnet_id: sub.id, protocol: 'HTTP', lb_method: 'RANDOMLY' } }, 400, undefined);
      t.equal((await t.call('DELETE', `/v2.0/lb/pools/${p.id}`)).status, 204, 'DELETE status');
      await t.fails('GET', `/v2.0/lb/pools/${p.id}`, undefined, 404, 'PoolNotFound');
    },
  }),
  defineCase({
    id: 'services.lbaas.pool_validation',
    title: 'a pool needs a protocol of TCP, HTTP or HTTPS, a known lb_method and a subnet the project sees (404 SubnetNotFound); protocol and subnet are fixed',
    needs: NEEDS,
    async run(t) {
      const { pool: p, sub } = await pool(t);
      const base = { subnet_id: sub.id, protocol: 'TCP', lb_method: 'SOURCE_IP' };
      await t.fails('POST', '/v2.0/lb/pools', { pool: { ...base, protocol: 'UDP' } }, 400, 'HTTPBadRequest');
      await t.fails('POST', '/v2.0/lb/pools', { pool: { ...base, lb_method: undefined } }, 400, 'HTTPBadRequest');
      await t.fails('POST', '/v2.0/lb/pools', { pool: { ...base, subnet_id: randomUUID() } }, 404, 'SubnetNotFound');
      const { sub: theirs } = await t.networkWithSubnet('10.9.0.0/24', {}, BETA);
      await t.fails('POST', '/v2.0/lb/pools', { pool: { ...base, subnet_id: theirs.id } }, 404, 'SubnetNotFound');
      await t.fails('PUT', `/v2.0/lb/pools/${p.id}`, { pool: { protocol: 'TCP' } }, 400, 'HTTPBadRequest');
      t.equal(t.ids(await t.list('lb/pools')), [p.id], 'pools after the refused requests');
      const tcp = (await t.ok('POST', '/v2.0/lb/pools', { pool: base })).pool;
      t.equal([tcp.provider, tcp.status, tcp.members, tcp.vip_id, tcp.admin_state_up], ['haproxy', 'ACTIVE', [], null, true], '[provider, status, members, vip_id, admin_state_up] of a new pool');
    },
  }),
  defineCase({
    id: 'services.lbaas.members',
    title: 'members join a pool; the same address and port twice is 409 MemberExists',
    needs: NEEDS,
    async run(t) {
      const { pool: p } = await pool(t);
      const body = { member: { pool_id: p.id, address: '10.0.0.5', protocol_port: 80 } };
      const m = (await t.ok('POST', '/v2.0/lb/members', body)).member;
      t.equal([m.pool_id, m.address, m.protocol_port], [p.id, '10.0.0.5', 80], 'member fields');
      await t.fails('POST', '/v2.0/lb/members', body, 409, 'MemberExists');
      await t.ok('DELETE', `/v2.0/lb/members/${m.id}`);
    },
  }),
  defineCase({
    id: 'services.lbaas.member_rules',
    title: "a member's address and port are unique per pool, not across pools; weight is 0-256; its pool must be the project's (404)",
    needs: NEEDS,
    async run(t) {
      const { pool: a } = await pool(t);
      const b = (await t.ok('POST', '/v2.0/lb/pools', { pool: { subnet_id: a.subnet_id, protocol: 'TCP', lb_method: 'ROUND_ROBIN' } })).pool;
      const m = await member(t, a.id, '10.0.0.5');
      await member(t, b.id, '10.0.0.5');
      await member(t, a.id, '10.0.0.5', 8080);
      t.equal(m.weight, 1, 'default weight');
      await t.fails('POST', '/v2.0/lb/members', { member: { pool_id: a.id, address: '10.0.0.6', protocol_port: 80, weight: 257 } }, 400, 'HTTPBadRequest');
      await t.fails('POST', '/v2.0/lb/members', { member: { pool_id: a.id, address: '10.0.0.300', protocol_port: 80 } }, 400, 'HTTPBadRequest');
      await t.fails('POST', '/v2.0/lb/members', { member: { pool_id: randomUUID(), address: '10.0.0.6', protocol_port: 80 } }, 404, 'PoolNotFound');
      // moving a member into a pool that has its address and port is the same conflict
      await t.fails('PUT', `/v2.0/lb/members/${m.id}`, { member: { pool_id: b.id } }, 409, 'MemberExists');
      t.equal((await t.ok('PUT', `/v2.0/lb/members/${m.id}`, { member: { weight: 5 } })).member.weight, 5, 'weight after PUT');
      t.equal((await t.ok('GET', `/v2.0/lb/pools/${a.id}`)).pool.members.length, 2, "pool a's members");
    },
  }),
  defineCase({
    id: 'services.lbaas.vips',
    title: 'a VIP takes an address on its subnet; a pool with a VIP is 409 PoolInUse to delete',
    needs: NEEDS,
    async run(t) {
      const { pool: p, sub } = await pool(t);
      const vip = (await t.ok('POST', '/v2.0/lb/vips', { vip: { name: 'v', subnet_id: sub.id, pool_id: p.id, protocol: 'HTTP', protocol_port: 80 } })).vip;
      t.check(String(vip.address).startsWith('10.0.0.'), `vip address ${vip.address} is not on the subnet`);
      await t.fails('DELETE', `/v2.0/lb/pools/${p.id}`, undefined, 409, 'PoolInUse');
      await t.ok('DELETE', `/v2.0/lb/vips/${vip.id}`);
      await t.ok('DELETE', `/v2.0/lb/pools/${p.id}`);
    },
  }),
  defineCase({
    id: 'services.lbaas.vip_port',
    title: "a vip's address is a port of its own (the address asked for, or one from the pool), released with the vip; the port cannot be deleted from under it",
    needs: NEEDS,
    async run(t) {
      const { pool: p, sub, net } = await pool(t);
      const vip = (await t.ok('POST', '/v2.0/lb/vips', vipBody(p.id, sub.id, { address: '10.0.0.50' }))).vip;
      const port = (await t.ok('GET', `/v2.0/ports/${vip.port_id}`)).port;
      t.equal([vip.address, vip.subnet_id, port.fixed_ips[0].ip_address, port.project_id], ['10.0.0.50', sub.id, '10.0.0.50', 'alpha'], '[address, subnet_id, port address, port project]');
      await t.fails('DELETE', `/v2.0/ports/${vip.port_id}`, undefined, 409, 'ServicePortInUse');
      await t.fails('DELETE', `/v2.0/subnets/${sub.id}`, undefined, 409, 'SubnetInUse');
      await t.ok('DELETE', `/v2.0/lb/vips/${vip.id}`);
      await t.fails('GET', `/v2.0/ports/${vip.port_id}`, undefined, 404, 'PortNotFound');
      t.equal((await t.port(net.id, { fixed_ips: [{ ip_address: '10.0.0.50' }] })).fixed_ips[0].ip_address, '10.0.0.50', 'the address after the vip went');
    },
  }),
  defineCase({
    id: 'services.lbaas.vip_rules',
    title: "a vip's protocol is its pool's (400 ProtocolMismatch), one per pool (409 VipExists), on a pool the project sees (404); an address in use is 409",
    needs: NEEDS,
    async run(t) {
      const { pool: p, sub, net } = await pool(t);
      await t.fails('POST', '/v2.0/lb/vips', vipBody(p.id, sub.id, { protocol: 'TCP' }), 400, 'ProtocolMismatch');
      await t.fails('POST', '/v2.0/lb/vips', vipBody(randomUUID(), sub.id), 404, 'PoolNotFound');
      await t.fails('POST', '/v2.0/lb/vips', vipBody(p.id, sub.id, { protocol_port: 70000 }), 400, 'HTTPBadRequest');
      const taken = await t.port(net.id);
      await t.fails('POST', '/v2.0/lb/vips', vipBody(p.id, sub.id, { address: taken.fixed_ips[0].ip_address }), 409, undefined);
      await t.ok('POST', '/v2.0/lb/vips', vipBody(p.id, sub.id));
      await t.fails('POST', '/v2.0/lb/vips', vipBody(p.id, sub.id, { name: 'second' }), 409, 'VipExists');
      t.equal((await t.list('lb/vips')).length, 1, 'vips after the refused creates');
      t.equal((await t.list('ports', `network_id=${net.id}`)).length, 2, 'ports on the network (one taken, one vip)');
    },
  }),
  defineCase({
    id: 'services.lbaas.session_persistence',
    title: 'session persistence is SOURCE_IP, HTTP_COOKIE or APP_COOKIE, a cookie name for APP_COOKIE only (400), changed and cleared by update',
    needs: NEEDS,
    async run(t) {
      const { pool: p, sub } = await pool(t);
      const url = '/v2.0/lb/vips';
      await t.fails('POST', url, vipBody(p.id, sub.id, { session_persistence: { type: 'APP_COOKIE' } }), 400, undefined);
      await t.fails('POST', url, vipBody(p.id, sub.id, { session_persistence: { type: 'SOURCE_IP', cookie_name: 'x' } }), 400, undefined);
      await t.fails('POST', url, vipBody(p.id, sub.id, { session_persistence: { type: 'URL' } }), 400, 'HTTPBadRequest');
      const vip = (await t.ok('POST', url, vipBody(p.id, sub.id, { session_persistence: { type: 'APP_COOKIE', cookie_name: 'JSESSIONID' } }))).vip;
      t.equal(vip.session_persistence, { type: 'APP_COOKIE', cookie_name: 'JSESSIONID' }, 'session_persistence at create');
      t.equal((await t.ok('PUT', `${url}/${vip.id}`, { vip: { session_persistence: { type: 'HTTP_COOKIE' } } })).vip.session_persistence, { type: 'HTTP_COOKIE' }, 'after PUT');
      const cleared = (await t.ok('PUT', `${url}/${vip.id}`, { vip: { session_persistence: null } })).vip;
      t.check(!('session_persistence' in cleared), `session_persistence after clearing: ${JSON.stringify(cleared.session_persistence)}`);
    },
  }),
  defineCase({
    id: 'services.lbaas.vip_move',
    title: 'a vip moves to another pool of its protocol; the old pool is free again, the new one shows the vip',
    needs: NEEDS,
    async run(t) {
      const { pool: a, sub } = await pool(t);
      const b = (await t.ok('POST', '/v2.0/lb/pools', { pool: { subnet_id: sub.id, protocol: 'HTTP', lb_method: 'ROUND_ROBIN' } })).pool;
      const tcp = (await t.ok('POST', '/v2.0/lb/pools', { pool: { subnet_id: sub.id, protocol: 'TCP', lb_method: 'ROUND_ROBIN' } })).pool;
      const vip = (await t.ok('POST', '/v2.0/lb/vips', vipBody(a.id, sub.id))).vip;
      t.equal((await t.ok('GET', `/v2.0/lb/pools/${a.id}`)).pool.vip_id, vip.id, "pool a's vip_id");
      await t.fails('PUT', `/v2.0/lb/vips/${vip.id}`, { vip: { pool_id: tcp.id } }, 400, 'ProtocolMismatch');
      t.equal((await t.ok('PUT', `/v2.0/lb/vips/${vip.id}`, { vip: { pool_id: b.id } })).vip.pool_id, b.id, 'pool_id after PUT');
      t.equal([(await t.ok('GET', `/v2.0/lb/pools/${a.id}`)).pool.vip_id, (await t.ok('GET', `/v2.0/lb/pools/${b.id}`)).pool.vip_id], [null, vip.id], '[vip_id of a, vip_id of b]');
      await t.ok('DELETE', `/v2.0/lb/pools/${a.id}`);
    },
  }),
  defineCase({
    id: 'services.lbaas.health_monitors',
    title: 'a health monitor is created and associated with a pool',
    needs: NEEDS,
    async run(t) {
      const { pool: p } = await pool(t);
      const hm = (await t.ok('POST', '/v2.0/lb/health_monitors', { health_monitor: { type: 'HTTP', delay: 5, timeout: 3, max_retries: 3 } })).health_monitor;
      await t.ok('POST', `/v2.0/lb/pools/${p.id}/health_monitors`, { health_monitor: { id: hm.id } });
      t.check((await t.ok('GET', `/v2.0/lb/pools/${p.id}`)).pool.health_monitors.includes(hm.id), "the pool's health_monitors lack the monitor");
    },
  }),
  defineCase({
    id: 'services.lbaas.monitor_rules',
    title: "a monitor's type is PING, TCP, HTTP or HTTPS and max_retries 1-10 (400); HTTP ones default to GET / 200, others show no HTTP fields",
    needs: NEEDS,
    async run(t) {
      const http = await monitor(t);
      t.equal([http.http_method, http.url_path, http.expected_codes, http.admin_state_up], ['GET', '/', '200', true], 'HTTP defaults');
      const ping = await monitor(t, { type: 'PING' });
      t.check(!('url_path' in ping) && !('http_method' in ping), `a PING monitor shows HTTP fields: ${JSON.stringify(ping)}`);
      const body = { type: 'HTTP', delay: 5, timeout: 3, max_retries: 3 };
      await t.fails('POST', '/v2.0/lb/health_monitors', { health_monitor: { ...body, type: 'UDP' } }, 400, 'HTTPBadRequest');
      await t.fails('POST', '/v2.0/lb/health_monitors', { health_monitor: { ...body, max_retries: 11 } }, 400, 'HTTPBadRequest');
      await t.fails('POST', '/v2.0/lb/health_monitors', { health_monitor: { ...body, expected_codes: '2xx' } }, 400, 'HTTPBadRequest');
      await t.fails('POST', '/v2.0/lb/health_monitors', { health_monitor: { ...body, delay: -1 } }, 400, 'HTTPBadRequest');
      t.equal((await monitor(t, { expected_codes: '200-204' })).expected_codes, '200-204', 'a range of expected codes');
      t.equal((await t.ok('PUT', `/v2.0/lb/health_monitors/${http.id}`, { health_monitor: { delay: 10, url_path: '/health' } })).health_monitor.url_path, '/health', 'url_path after PUT');
      await t.fails('PUT', `/v2.0/lb/health_monitors/${http.id}`, { health_monitor: { type: 'TCP' } }, 400, 'HTTPBadRequest');
    },
  }),
  defineCase({
    id: 'services.lbaas.monitor_association',
    title: 'associating twice is 409, an unknown monitor 404; the association shows on both sides, is disassociated (then 404), and goes with its monitor',
    needs: NEEDS,
    async run(t) {
      const { pool: p } = await pool(t);
      const hm = await monitor(t);
      const url = `/v2.0/lb/pools/${p.id}/health_monitors`;
      const res = await t.call('POST', url, { health_monitor: { id: hm.id } });
      t.equal([res.status, res.body], [201, { health_monitor: {} }], 'the association answer');
      await t.fails('POST', url, { health_monitor: { id: hm.id } }, 409, 'PoolMonitorAssociationExists');
      await t.fails('POST', url, { health_monitor: { id: randomUUID() } }, 404, 'HealthMonitorNotFound');
      t.equal((await t.ok('GET', `/v2.0/lb/health_monitors/${hm.id}`)).health_monitor.pools.map((x: Json) => x.pool_id), [p.id], "the monitor's pools");
      t.equal((await t.ok('GET', `${url}/${hm.id}`)).health_monitor.monitor_id, hm.id, 'the association shown');
      t.equal((await t.call('DELETE', `${url}/${hm.id}`)).status, 204, 'disassociate status');
      await t.fails('DELETE', `${url}/${hm.id}`, undefined, 404, 'PoolMonitorAssociationNotFound');
      await t.ok('POST', url, { health_monitor: { id: hm.id } });
      await t.ok('DELETE', `/v2.0/lb/health_monitors/${hm.id}`);
      t.equal((await t.ok('GET', `/v2.0/lb/pools/${p.id}`)).pool.health_monitors, [], "the pool's monitors after the monitor went");
    },
  }),
  defineCase({
    id: 'services.lbaas.pool_deleted',
    title: 'deleting a pool deletes its members and its monitor associations (the monitors stay)',
    needs: NEEDS,
    async run(t) {
      const { pool: p } = await pool(t);
      const m = await member(t, p.id, '10.0.0.7');
      const hm = await monitor(t);
      await t.ok('POST', `/v2.0/lb/pools/${p.id}/health_monitors`, { health_monitor: { id: hm.id } });
      await t.ok('DELETE', `/v2.0/lb/pools/${p.id}`);
      await t.fails('GET', `/v2.0/lb/members/${m.id}`, undefined, 404, 'MemberNotFound');
      t.equal((await t.ok('GET', `/v2.0/lb/health_monitors/${hm.id}`)).health_monitor.pools, [], "the monitor's pools after the pool went");
    },
  }),
  defineCase({
    id: 'services.lbaas.isolation',
    title: "another project's pools, members, vips and monitors are 404 and absent from its lists",
    needs: NEEDS,
    async run(t) {
      const { pool: p, sub } = await pool(t);
      const m = await member(t, p.id, '10.0.0.8');
      const vip = (await t.ok('POST', '/v2.0/lb/vips', vipBody(p.id, sub.id))).vip;
      const hm = await monitor(t);
      for (const [coll, id, type] of [
        ['pools', p.id, 'PoolNotFound'],
        ['members', m.id, 'MemberNotFound'],
        ['vips', vip.id, 'VipNotFound'],
        ['health_monitors', hm.id, 'HealthMonitorNotFound'],
      ] as const) {
        await t.fails('GET', `/v2.0/lb/${coll}/${id}`, undefined, 404, type, BETA);
        await t.fails('DELETE', `/v2.0/lb/${coll}/${id}`, undefined, 404, type, BETA);
        t.equal(await t.list(`lb/${coll}`, '', BETA), [], `beta's ${coll}`);
        t.check(t.ids(await t.list(`lb/${coll}`, '', ADMIN)).includes(id), `admin's ${coll} lack alpha's`);
      }
      await t.fails('POST', `/v2.0/lb/pools/${p.id}/health_monitors`, { health_monitor: { id: hm.id } }, 404, 'PoolNotFound', BETA);
      await t.fails('POST', '/v2.0/lb/members', { member: { pool_id: p.id, address: '10.0.0.9', protocol_port: 80 } }, 404, 'PoolNotFound', BETA);
    },
  }),
  defineCase({
    id: 'services.lbaas.quotas',
    title: 'pools, vips, members and health monitors have quotas of their own (409 OverQuota)',
    needs: [...NEEDS, 'quotas'],
    async run(t) {
      await t.ok('PUT', '/v2.0/quotas/alpha', { quota: { pool: 1, member: 1, health_monitor: 1 } }, ADMIN);
      const { pool: p, sub } = await pool(t);
      await t.fails('POST', '/v2.0/lb/pools', { pool: { subnet_id: sub.id, protocol: 'TCP', lb_method: 'ROUND_ROBIN' } }, 409, 'OverQuota');
      await member(t, p.id, '10.0.0.5');
      await t.fails('POST', '/v2.0/lb/members', { member: { pool_id: p.id, address: '10.0.0.6', protocol_port: 80 } }, 409, 'OverQuota');
      await monitor(t);
      await t.fails('POST', '/v2.0/lb/health_monitors', { health_monitor: { type: 'PING', delay: 5, timeout: 3, max_retries: 3 } }, 409, 'OverQuota');
      const details = (await t.ok('GET', '/v2.0/quotas/alpha/details')).quota;
      t.equal([details.pool.used, details.member.used, details.health_monitor.used, details.vip.used], [1, 1, 1, 0], '[pool, member, health_monitor, vip] used');
    },
  }),
];
