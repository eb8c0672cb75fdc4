import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildServer } from '../../../src/netcore/server.js';

// A real Keystone (Debian's python3-keystone, Zed, under uWSGI; see keystone/start.sh), started once
// for this file on free ports, with netcore registered in its catalog as the network service.
const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const PYTHON = '/usr/bin/python3';
const OPENSTACK = '/usr/bin/openstack';
const PACKAGES = ['/usr/bin/keystone-wsgi-public', '/usr/bin/uwsgi', OPENSTACK, PYTHON];
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_') && !['PYTHONPATH', 'PYTHONHOME', 'VIRTUAL_ENV'].includes(k)));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const runDir = mkdtempSync(join(tmpdir(), 'netcore-keystone-'));
const netcorePort = await freePort();
let env: Record<string, string> = {};
let failure = '';
if (PACKAGES.every(existsSync)) {
  try {
    const { stdout } = await run('bash', [join(here, 'keystone/start.sh')], {
      env: { ...cleanEnv(), RUN_DIR: runDir, PORT: String(await freePort()), NETWORK_URL: `http://127.0.0.1:${netcorePort}` },
      timeout: 120_000,
    });
    env = Object.fromEntries([...stdout.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
  } catch (err) {
    failure = `keystone/start.sh failed: ${(err as { stderr?: string }).stderr?.slice(-2000) ?? err}`;
  }
} else failure = `missing ${PACKAGES.filter((p) => !existsSync(p)).join(', ')} (Debian: python3-keystone uwsgi-core uwsgi-plugin-python3 python3-openstackclient)`;
if (failure && process.env.CI) throw new Error(`CI must run a real Keystone: ${failure}`);
if (failure) rmSync(runDir, { recursive: true, force: true });

describe.skipIf(failure !== '')('keystone mode against a real Keystone', () => {
  const AUTH = env.OS_AUTH_URL;
  let app: FastifyInstance;
  let url: string;
  let admin: string;
  const projects: Record<string, string> = {};

  /** A project-scoped token for a user, by password. */
  async function token(user: string, password: string, project = user): Promise<string> {
    const scope = { project: { name: project, domain: { name: 'Default' } } };
    const res = await fetch(`${AUTH}/auth/tokens?nocatalog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: user, domain: { name: 'Default' }, password } } }, scope } }),
    });
    if (res.status !== 201) throw new Error(`token for ${user}: ${res.status} ${await res.text()}`);
    return res.headers.get('x-subject-token')!;
  }
  async function keystone(method: string, path: string, body?: object, subject?: string): Promise<any> {
    const res = await fetch(`${AUTH}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-auth-token': admin, ...(subject ? { 'x-subject-token': subject } : {}) },
      body: body && JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  }
  /** A member user in its own project (password `<name>-secret`). */
  async function member(name: string): Promise<void> {
    const project = (await keystone('POST', '/projects', { project: { name, domain_id: 'default' } })).project;
    const user = (await keystone('POST', '/users', { user: { name, password: `${name}-secret`, domain_id: 'default', default_project_id: project.id } })).user;
    const role = (await keystone('GET', '/roles?name=member')).roles[0];
    await keystone('PUT', `/projects/${project.id}/users/${user.id}/roles/${role.id}`);
  }
  const netcore = async (method: string, path: string, tok: string, body?: object) => {
    const res = await fetch(`${url}${path}`, { method, headers: { 'x-auth-token': tok, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    admin = await token('admin', 'admin-secret');
    await member('demo2');
    await member('doomed');
    for (const p of (await keystone('GET', '/projects')).projects as { id: string; name: string }[]) projects[p.name] = p.id;
    app = await buildServer({
      config: { auth: 'keystone', keystone: { authUrl: AUTH, username: 'network', password: 'service-secret', projectName: 'service' } },
    });
    url = await app.listen({ port: netcorePort, host: '127.0.0.1' });
  }, 60_000);
  afterEach(() => vi.useRealTimers());
  afterAll(async () => {
    await app?.close();
    await run('bash', [join(here, 'keystone/stop.sh')], { env: { ...cleanEnv(), RUN_DIR: runDir } }).catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
  });

  it('openstacksdk with password auth finds netcore in the catalog; two members of two projects each see only their own', async () => {
    const { stdout } = await run(PYTHON, [join(here, 'keystone_sdk.py'), AUTH], { env: { ...cleanEnv(), HOME: tmpdir() }, timeout: 90_000 });
    const { made, seen } = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(made.demo.endpoint.replace(/\/$/, '')).toBe(url);
    expect([made.demo.project, made.demo2.project]).toEqual([projects.demo, projects.demo2]);
    expect([made.demo.ip, made.demo2.ip]).toEqual(['10.77.0.2', '10.77.0.2']);
    expect(seen.demo).toEqual({ networks: ['sdk-demo'], ports: ['sdk-demo'], other_network: 'not found', other_port_update: 'not found' });
    expect(seen.demo2).toEqual({ networks: ['sdk-demo2'], ports: ['sdk-demo2'], other_network: 'not found', other_port_update: 'not found' });
    expect(seen.admin.networks).toEqual(expect.arrayContaining(['sdk-demo', 'sdk-demo2']));
    expect(seen.after).not.toContain('sdk-demo');
  }, 120_000);

  it('the openstack CLI with password auth works unchanged', async () => {
    const cli = (user: string, ...args: string[]) =>
      run(OPENSTACK, [
        '--os-auth-url', AUTH, '--os-identity-api-version', '3', '--os-region-name', 'RegionOne',
        '--os-username', user, '--os-password', `${user}-secret`, '--os-project-name', user,
        '--os-user-domain-name', 'Default', '--os-project-domain-name', 'Default', ...args, '-f', 'json',
      ], { env: { ...cleanEnv(), HOME: tmpdir() }, timeout: 90_000 }).then((r) => JSON.parse(r.stdout));
    const made = await cli('demo', 'network', 'create', 'cli-demo');
    expect(made.project_id).toBe(projects.demo);
    const [mine, theirs] = await Promise.all([cli('demo', 'network', 'list'), cli('demo2', 'network', 'list')]);
    expect(mine.map((n: { Name: string }) => n.Name)).toContain('cli-demo');
    expect(theirs.map((n: { Name: string }) => n.Name)).not.toContain('cli-demo');
  }, 120_000);

  it('isolation: another project’s network, subnet and port are 404 to show, change and delete; admin sees all; a reader only reads', async () => {
    const demo = await token('demo', 'demo-secret');
    const demo2 = await token('demo2', 'demo2-secret');
    const viewer = await token('viewer', 'viewer-secret');
    const net = (await netcore('POST', '/v2.0/networks', demo, { network: { name: 'iso' } })).body.network;
    const sub = (await netcore('POST', '/v2.0/subnets', demo, { subnet: { network_id: net.id, cidr: '10.88.0.0/24', ip_version: 4 } })).body.subnet;
    const port = (await netcore('POST', '/v2.0/ports', demo, { port: { network_id: net.id } })).body.port;
    expect(net.project_id).toBe(projects.demo);
    for (const [coll, one, id, notFound] of [
      ['networks', 'network', net.id, 'NetworkNotFound'],
      ['subnets', 'subnet', sub.id, 'SubnetNotFound'],
      ['ports', 'port', port.id, 'PortNotFound'],
    ]) {
      for (const [method, body] of [['GET'], ['PUT', { [one]: { name: 'x' } }], ['DELETE']] as const) {
        const r = await netcore(method, `/v2.0/${coll}/${id}`, demo2, body);
        expect([coll, method, r.status, r.body.NeutronError.type]).toEqual([coll, method, 404, notFound]);
        // a reader's write is refused before any lookup: the same 403 for another project's id as for one that does not exist
        for (const target of [id, '00000000-0000-0000-0000-000000000000']) {
          const v = await netcore(method, `/v2.0/${coll}/${target}`, viewer, body);
          expect([coll, method, v.status, v.body.NeutronError.type]).toEqual([coll, method, method === 'GET' ? 404 : 403, method === 'GET' ? notFound : 'PolicyNotAuthorized']);
        }
      }
      for (const tok of [demo2, viewer]) expect((await netcore('GET', `/v2.0/${coll}`, tok)).body[coll]).toEqual([]);
      expect((await netcore('GET', `/v2.0/${coll}/${id}`, admin)).status).toBe(200);
    }
    const foreign = await netcore('POST', '/v2.0/networks', demo2, { network: { project_id: projects.demo } });
    expect([foreign.status, foreign.body.NeutronError.type]).toEqual([400, 'HTTPBadRequest']);
  });

  it('a reader reads its project; its every write is 403 and changes nothing', async () => {
    const net = (await netcore('POST', '/v2.0/networks', admin, { network: { name: 'viewers', project_id: projects.viewer } })).body.network;
    const viewer = await token('viewer', 'viewer-secret');
    expect((await netcore('GET', '/v2.0/networks', viewer)).body.networks.map((n: { id: string }) => n.id)).toEqual([net.id]);
    for (const [method, path, body] of [
      ['POST', '/v2.0/networks', { network: { name: 'by-viewer' } }],
      ['PUT', `/v2.0/networks/${net.id}`, { network: { name: 'renamed' } }],
      ['DELETE', `/v2.0/networks/${net.id}`],
      ['POST', '/v2.0/ports', { port: { network_id: net.id } }],
    ] as const) {
      const r = await netcore(method, path, viewer, body);
      expect([method, path, r.status, r.body.NeutronError.type]).toEqual([method, path, 403, 'PolicyNotAuthorized']);
    }
    expect((await netcore('GET', '/v2.0/networks', viewer)).body.networks.map((n: { name: string }) => n.name)).toEqual(['viewers']);
  });

  it('an expired token is 401, cached or not', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const cached = await token('demo', 'demo-secret');
    const fresh = await token('demo', 'demo-secret');
    expect((await netcore('GET', '/v2.0/networks', cached)).status).toBe(200);
    vi.setSystemTime(Date.now() + 2 * 3600_000); // Keystone's tokens last an hour
    for (const tok of [cached, fresh]) {
      const r = await netcore('POST', '/v2.0/networks', tok, { network: { name: 'expired' } });
      expect([r.status, r.body.error.detail]).toEqual([401, 'the token has expired']);
    }
  });

  it('a revoked token is 401: at once when netcore never saw it, after tokenCacheSeconds when it had', async () => {
    const unseen = await token('demo', 'demo-secret');
    await keystone('DELETE', '/auth/tokens', undefined, unseen);
    const r = await netcore('GET', '/v2.0/networks', unseen);
    expect([r.status, r.body.error.detail]).toEqual([401, 'Keystone does not know the token (unknown, expired or revoked)']);

    vi.useFakeTimers({ toFake: ['Date'] });
    const seen = await token('demo', 'demo-secret');
    expect((await netcore('GET', '/v2.0/networks', seen)).status).toBe(200);
    await keystone('DELETE', '/auth/tokens', undefined, seen);
    expect((await netcore('GET', '/v2.0/networks', seen)).status).toBe(200);
    vi.setSystemTime(Date.now() + 301_000);
    expect((await netcore('GET', '/v2.0/networks', seen)).status).toBe(401);
  });

  it('a token for a project disabled since is 401, and creates nothing', async () => {
    const tok = await token('doomed', 'doomed-secret');
    await keystone('PATCH', `/projects/${projects.doomed}`, { project: { enabled: false } });
    const r = await netcore('POST', '/v2.0/networks', tok, { network: { name: 'doomed-net' } });
    expect([r.status, r.body.error.code]).toEqual([401, 401]);
    const all = (await netcore('GET', '/v2.0/networks', admin)).body.networks.map((n: { name: string }) => n.name);
    expect(all).not.toContain('doomed-net');
  });
});
