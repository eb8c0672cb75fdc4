import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/netcore/server.js';

// What keystonemiddleware passes on once it has validated a token.
const confirmed = (project: string, roles = 'member,reader') => ({
  'x-identity-status': 'Confirmed',
  'x-project-id': project,
  'x-roles': roles,
  'x-user-id': `user-of-${project}`,
});

describe('trusted-proxy mode: identity headers believed only from the configured proxies', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildServer({ config: { auth: 'trusted-proxy', trustedProxies: ['10.1.2.3', '192.168.50.0/24', 'fd00::/64'] } });
  });
  afterAll(() => app.close());

  const call = (remoteAddress: string, headers: Record<string, string>, method: 'GET' | 'POST' = 'GET', body?: object) =>
    app.inject({ method, url: '/v2.0/networks', remoteAddress, headers, ...(body ? { payload: body } : {}) });
  const names = async () => (await call('10.1.2.3', confirmed('ops', 'admin'))).json().networks.map((n: { name: string }) => n.name);

  it('from a trusted address (an address, a CIDR, IPv6, IPv4-mapped IPv6) the headers make the caller', async () => {
    const made = await call('192.168.50.7', confirmed('tp-a'), 'POST', { network: { name: 'via-proxy' } });
    expect([made.statusCode, made.json().network.project_id]).toEqual([201, 'tp-a']);
    for (const from of ['10.1.2.3', '::ffff:10.1.2.3', 'fd00::1']) {
      const list = await call(from, confirmed('tp-a'));
      expect([from, list.statusCode, list.json().networks.map((n: { name: string }) => n.name)]).toEqual([from, 200, ['via-proxy']]);
    }
    const admin = await call('10.1.2.3', confirmed('ops', 'admin'));
    expect(admin.json().networks.length).toBe(1);
  });

  it('the same headers from any other address are a 401, and nothing is created', async () => {
    for (const from of ['127.0.0.1', '10.1.2.4', '192.168.51.1', 'fd00:0:0:1::1', '::1']) {
      // X-Forwarded-For names a trusted proxy: it is a header like the others, believed no more
      const res = await call(from, { ...confirmed('tp-b', 'admin'), 'x-forwarded-for': '10.1.2.3' }, 'POST', { network: { name: `from-${from}` } });
      expect([from, res.statusCode, res.json()]).toEqual([
        from,
        401,
        { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.', detail: `${from} is not a trusted proxy` } },
      ]);
    }
    expect((await names()).filter((n: string) => n.startsWith('from-'))).toEqual([]);
  });

  it('a trusted proxy that did not confirm an identity, or names no project, gets a 401', async () => {
    const invalid = await call('10.1.2.3', { ...confirmed('tp-c'), 'x-identity-status': 'Invalid' }, 'POST', { network: { name: 'unconfirmed' } });
    expect([invalid.statusCode, invalid.json().error.detail]).toEqual([401, 'the proxy did not confirm an identity (X-Identity-Status)']);
    const { 'x-project-id': _, ...noProject } = confirmed('tp-c');
    const none = await call('10.1.2.3', noProject);
    expect([none.statusCode, none.json().error.detail]).toEqual([401, 'the identity names no project (X-Project-Id)']);
    expect(await names()).not.toContain('unconfirmed');
  });

  it('a reader behind the proxy reads only', async () => {
    expect((await call('10.1.2.3', confirmed('tp-d', 'reader'))).statusCode).toBe(200);
    const res = await call('10.1.2.3', confirmed('tp-d', 'reader'), 'POST', { network: { name: 'by-reader' } });
    expect([res.statusCode, res.json().NeutronError.type]).toEqual([403, 'PolicyNotAuthorized']);
  });
});
