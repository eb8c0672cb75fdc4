import { defineCase } from '../../case.js';
import type { Harness, Json } from '../../harness.js';

const NEEDS = ['lbaas'];

async function pool(t: Harness): Promise<{ pool: Json; sub: Json }> {
  const { sub } = await t.networkWithSubnet();
  const body = { pool: { name: 'web', subnet_id: sub.id, protocol: 'HTTP', lb_method: 'ROUND_ROBIN' } };
  return { pool: (await t.ok('POST', '/v2.0/lb/pools', body)).pool, sub };
}

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
];
