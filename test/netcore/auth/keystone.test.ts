import type { FastifyInstance } from 'fastify';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildServer } from '../../../src/netcore/server.js';
import { startFakeKeystone, type FakeKeystone } from './fake-keystone.js';

const UNAUTHORIZED = { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' };

describe('keystone mode: tokens validated against Keystone v3, cached, and every failure a clear 401 or 503', () => {
  let keystone: FakeKeystone;
  let app: FastifyInstance;
  let admin: string;
  beforeAll(async () => {
    keystone = await startFakeKeystone();
    app = await buildServer({ config: { auth: 'keystone', keystone: keystone.config({ timeoutMs: 300 }) } });
    admin = keystone.issue({ projectId: 'ops', roles: ['admin', 'member', 'reader'] });
  });
  afterEach(() => {
    keystone.misbehave = undefined;
    vi.useRealTimers();
  });
  afterAll(async () => {
    await app.close();
    await keystone.close();
  });

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string>, body?: object) =>
    app.inject({ method, url, headers, ...(body ? { payload: body } : {}) });
  const createNetwork = (name: string, headers: Record<string, string>) => call('POST', '/v2.0/networks', headers, { network: { name } });
  const networkNames = async () => (await call('GET', '/v2.0/networks', { 'x-auth-token': admin })).json().networks.map((n: { name: string }) => n.name);

  it('a member’s token makes the caller its project, whatever identity headers come with it', async () => {
    const token = keystone.issue({ projectId: 'ks-a', roles: ['member', 'reader'] });
    const res = await createNetwork('of-ks-a', { 'x-auth-token': token, 'x-project-id': 'ks-b', 'x-roles': 'admin' });
    expect([res.statusCode, res.json().network.project_id]).toEqual([201, 'ks-a']);
    const foreign = await call('POST', '/v2.0/networks', { 'x-auth-token': token }, { network: { project_id: 'ks-b' } });
    expect(foreign.statusCode).toBe(400);
    const asAdmin = await call('POST', '/v2.0/networks', { 'x-auth-token': admin }, { network: { name: 'for-ks-b', project_id: 'ks-b' } });
    expect(asAdmin.json().network.project_id).toBe('ks-b');
  });

  it('asks Keystone once per token: later requests, and 16 concurrent first ones, come from the cache', async () => {
    const token = keystone.issue({ projectId: 'ks-c', roles: ['member'] });
    const before = keystone.calls.validate;
    const first = await Promise.all(Array.from({ length: 16 }, () => call('GET', '/v2.0/networks', { 'x-auth-token': token })));
    expect(first.map((r) => r.statusCode)).toEqual(Array(16).fill(200));
    for (let i = 0; i < 5; i++) expect((await call('GET', '/v2.0/ports', { 'x-auth-token': token })).statusCode).toBe(200);
    expect(keystone.calls.validate - before).toBe(1);
  });

  it('believes a token until tokenCacheSeconds pass, then asks again: a revoked token is refused from then on', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = keystone.issue({ projectId: 'ks-d', roles: ['member'] });
    expect((await call('GET', '/v2.0/networks', { 'x-auth-token': token })).statusCode).toBe(200);
    keystone.revoke(token);
    // keystonemiddleware's trade-off (token_cache_time, 300 s by default): a revocation is seen when the cache lapses
    expect((await call('GET', '/v2.0/networks', { 'x-auth-token': token })).statusCode).toBe(200);
    vi.setSystemTime(Date.now() + 301_000);
    const res = await call('GET', '/v2.0/networks', { 'x-auth-token': token });
    expect([res.statusCode, res.json().error.detail]).toEqual([401, 'Keystone does not know the token (unknown, expired or revoked)']);
  });

  it('refuses a token past its expires_at, even one it had cached', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = keystone.issue({ projectId: 'ks-e', roles: ['member'], expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect((await call('GET', '/v2.0/networks', { 'x-auth-token': token })).statusCode).toBe(200);
    vi.setSystemTime(Date.now() + 61_000);
    const res = await createNetwork('after-expiry', { 'x-auth-token': token });
    expect([res.statusCode, res.json().error]).toEqual([401, { ...UNAUTHORIZED, detail: 'the token has expired' }]);
    expect(await networkNames()).not.toContain('after-expiry');
  });

  it('logs in again once when Keystone no longer takes its service token', async () => {
    const token = keystone.issue({ projectId: 'ks-f', roles: ['member'] });
    keystone.revokeServiceTokens();
    const logins = keystone.calls.login;
    expect((await call('GET', '/v2.0/networks', { 'x-auth-token': token })).statusCode).toBe(200);
    expect(keystone.calls.login - logins).toBe(1);
  });

  it('a reader’s token reads, and its writes are 403 before any resource runs', async () => {
    const token = keystone.issue({ projectId: 'ks-g', roles: ['reader'] });
    expect((await call('GET', '/v2.0/networks', { 'x-auth-token': token })).statusCode).toBe(200);
    const res = await createNetwork('by-reader', { 'x-auth-token': token });
    expect([res.statusCode, res.json().NeutronError.type, res.json().NeutronError.message]).toEqual([403, 'PolicyNotAuthorized', 'rule:create_network is disallowed by policy']);
    expect(await networkNames()).not.toContain('by-reader');
  });

  describe('401 with Neutron’s body and WWW-Authenticate, without asking Keystone when the token cannot be one', () => {
    for (const [what, headers, detail] of [
      ['no token', {}, 'no X-Auth-Token header'],
      ['a malformed token', { 'x-auth-token': 'not a token; DROP TABLE' }, 'the token is malformed'],
      ['a 9,000-character token', { 'x-auth-token': 'g'.repeat(9000) }, 'the token is longer than 8192 characters'],
    ] as const) {
      it(what, async () => {
        const before = keystone.calls.validate;
        const res = await createNetwork(`with ${what}`, headers);
        expect(res.statusCode).toBe(401);
        expect(res.headers['www-authenticate']).toBe(`Keystone uri="${keystone.url}"`);
        expect(res.json()).toEqual({ error: { ...UNAUTHORIZED, detail } });
        expect(keystone.calls.validate).toBe(before);
        expect(await networkNames()).not.toContain(`with ${what}`);
      });
    }

    it('however the URL is spelled: the matched route decides; only version discovery at / is open', async () => {
      for (const url of ['/v2%2E0/networks', '/%762.0/networks', '/v2.0/networks.json', '/v2.0/', '/v2.0/extensions', '/v2.0/no-such-thing']) {
        const res = await call('GET', url, {});
        expect([url, res.statusCode, res.json().error?.detail]).toEqual([url, 401, 'no X-Auth-Token header']);
      }
      for (const method of ['GET', 'HEAD'] as const) expect((await app.inject({ method, url: '/' })).statusCode).toBe(200);
      expect((await call('GET', '/.json', {})).json().versions[0].id).toBe('v2.0');
    });

    it('a token Keystone does not know, and one scoped to no project', async () => {
      const unknown = await createNetwork('unknown-token', { 'x-auth-token': 'gAAAAABunknown' });
      expect([unknown.statusCode, unknown.json().error.detail]).toEqual([401, 'Keystone does not know the token (unknown, expired or revoked)']);
      const unscoped = await createNetwork('unscoped', { 'x-auth-token': keystone.issue({ roles: [] }) });
      expect([unscoped.statusCode, unscoped.json().error.detail]).toEqual([401, 'the token is not scoped to a project']);
      expect(await networkNames()).not.toContain('unscoped');
    });
  });

  describe('503 when Keystone cannot say who the caller is: never an open door', () => {
    const cases: [string, (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void, string][] = [
      ['answers HTML with a 500', (_q, r) => r.writeHead(500, { 'content-type': 'text/html' }).end('<h1>oops</h1>'), 'Keystone answered 500 to a token validation'],
      ['answers 200 with something that is not JSON', (_q, r) => r.writeHead(200).end('<html>hello</html>'), 'Keystone answered something that is not JSON'],
      ['answers 200 with JSON that is not a token', (_q, r) => r.writeHead(200).end('{"token": {"roles": "admin"}}'), 'Keystone answered something that is not a token'],
      [
        'answers a token whose roles have no names',
        (_q, r) => r.writeHead(200).end(JSON.stringify({ token: { expires_at: '2999-01-01T00:00:00.000000Z', user: { id: 'u' }, project: { id: 'p' }, roles: [{ id: 'x' }] } })),
        'Keystone answered a token with unnamed roles',
      ],
      ['answers over a megabyte', (_q, r) => r.writeHead(200).end('x'.repeat(2 * 1024 * 1024)), "Keystone's answer is over 1048576 bytes"],
      ['refuses the service user (403)', (_q, r) => r.writeHead(403).end('{}'), 'Keystone does not let netcore’s service user validate tokens (it needs the service or admin role)'],
      ['never answers', () => undefined, 'Keystone did not answer within 300 ms'],
      ['sends headers and then hangs', (_q, r) => r.writeHead(200, { 'content-length': '100' }).write('{"tok'), 'Keystone did not answer within 300 ms'],
    ];
    for (const [what, misbehave, detail] of cases) {
      it(`Keystone ${what}`, async () => {
        keystone.misbehave = misbehave;
        const res = await createNetwork(`while Keystone ${what}`, { 'x-auth-token': keystone.issue({ projectId: 'ks-h', roles: ['member'] }) });
        expect([res.statusCode, res.json()]).toEqual([
          503,
          { NeutronError: { type: 'ServiceUnavailable', message: 'The Keystone service is temporarily unavailable.', detail } },
        ]);
        keystone.misbehave = undefined;
        expect(await networkNames()).not.toContain(`while Keystone ${what}`);
      });
    }
  });
});

describe('keystone mode when Keystone itself is out of reach or refuses netcore', () => {
  it('Keystone down (nothing listens): 503; wrong service password: 503; nothing created', async () => {
    const closed: Server = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const down = await buildServer({ config: { auth: 'keystone', keystone: { authUrl: `http://127.0.0.1:${port}/v3`, username: 'n', password: 'p', projectName: 's' } } });
    const res = await down.inject({ method: 'POST', url: '/v2.0/networks', headers: { 'x-auth-token': 'gAAAAAB' }, payload: { network: {} } });
    expect([res.statusCode, res.json().NeutronError.type, res.json().NeutronError.detail]).toEqual([503, 'ServiceUnavailable', 'Keystone could not be reached (ECONNREFUSED)']);
    expect(down.netcore.db.prepare('SELECT count(*) AS n FROM networks').get()).toEqual({ n: 0 });
    await down.close();

    const keystone = await startFakeKeystone();
    const wrong = await buildServer({ config: { auth: 'keystone', keystone: keystone.config({ password: 'wrong' }) } });
    const refused = await wrong.inject({ method: 'GET', url: '/v2.0/networks', headers: { 'x-auth-token': keystone.issue({ projectId: 'p', roles: ['member'] }) } });
    expect([refused.statusCode, refused.json().NeutronError.detail]).toEqual([503, 'Keystone refused netcore’s service credentials']);
    await wrong.close();
    await keystone.close();
  });

  it('a header block over 16 KiB is 431 with Neutron’s body (over a real socket), and WWW-Authenticate names wwwAuthenticateUri', async () => {
    const keystone = await startFakeKeystone();
    const app = await buildServer({ config: { auth: 'keystone', keystone: keystone.config({ wwwAuthenticateUri: 'https://keystone.example.org/v3' }) } });
    const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    const send = (token: string) =>
      new Promise<{ status: number; body: any; auth?: string }>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path: '/v2.0/networks', headers: { 'x-auth-token': token } }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text), auth: res.headers['www-authenticate'] }));
        });
        req.on('error', reject);
        req.end();
      });
    const huge = await send('g'.repeat(20_000));
    expect([huge.status, huge.body]).toEqual([
      431,
      { NeutronError: { type: 'HTTPRequestHeaderFieldsTooLarge', message: 'Request header fields are too large.', detail: '' } },
    ]);
    const bad = await send('bad token');
    expect([bad.status, bad.auth]).toEqual([401, 'Keystone uri="https://keystone.example.org/v3"']);
    expect(keystone.calls.validate).toBe(0);
    await app.close();
    await keystone.close();
  });
});
