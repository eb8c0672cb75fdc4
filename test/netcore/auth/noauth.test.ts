import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNeutronHttp } from '../../../src/netcore/api/http.js';
import { registerAuth } from '../../../src/netcore/auth/index.js';
import { resolveConfig } from '../../../src/netcore/config.js';
import { registerResource } from '../../../src/netcore/api/resource.js';
import { standardAttrs } from '../../../src/netcore/api/standard.js';
import type { RequestContext } from '../../../src/netcore/plugins/plugin.js';
import { errorType, makeApi, type Api } from '../helpers.js';

// A client with no identity headers at all: openstacksdk with auth_type none, curl.
const send = (api: Api, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: object, headers: Record<string, string> = {}) =>
  api.app.inject({ method, url, headers, ...(body ? { payload: body } : {}) });

describe('noauth: Neutron’s semantics, the caller never taken from a body', () => {
  let api: Api;
  beforeAll(async () => {
    api = await makeApi();
  });
  afterAll(() => api.close());

  it('a caller without X-Project-Id is an admin: it creates for the project its body names, then sees, lists and deletes it', async () => {
    // the defect: the body's project_id used to become the caller, so the next request (project "default") got 404s
    const net = (await send(api, 'POST', '/v2.0/networks', { network: { name: 'plain', project_id: 'proj-a' } })).json().network;
    expect(net.project_id).toBe('proj-a');
    await send(api, 'POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.40.0.0/24', ip_version: 4, project_id: 'proj-a' } });
    const dhcp = (await send(api, 'POST', '/v2.0/ports', { port: { network_id: net.id, device_owner: 'network:dhcp', project_id: 'proj-a' } })).json().port;
    const port = (await send(api, 'POST', '/v2.0/ports', { port: { network_id: net.id, project_id: 'proj-a' } })).json().port;
    expect([dhcp.project_id, port.project_id]).toEqual(['proj-a', 'proj-a']);

    expect((await send(api, 'GET', `/v2.0/ports/${port.id}`)).statusCode).toBe(200);
    const listed = (await send(api, 'GET', `/v2.0/ports?network_id=${net.id}`)).json().ports.map((p: { id: string }) => p.id);
    expect(listed.sort()).toEqual([dhcp.id, port.id].sort());
    expect((await send(api, 'DELETE', `/v2.0/ports/${port.id}`)).statusCode).toBe(204);
    // a network with only its DHCP port goes, DHCP port and all, for the caller that made it
    expect((await send(api, 'DELETE', `/v2.0/networks/${net.id}`)).statusCode).toBe(204);
    expect((await send(api, 'GET', `/v2.0/ports/${dhcp.id}`)).statusCode).toBe(404);
  });

  it('without a project in the body, what it creates is the default project’s; its lists show every project', async () => {
    const mine = (await send(api, 'POST', '/v2.0/networks', { network: { name: 'no-project' } })).json().network;
    expect(mine.project_id).toBe('default');
    await api.network({ name: 'of-p1' }, { project: 'p1' });
    const owners = (await send(api, 'GET', '/v2.0/networks')).json().networks.map((n: { project_id: string }) => n.project_id);
    expect(owners).toEqual(expect.arrayContaining(['default', 'p1']));
  });

  it('with X-Project-Id the caller is that project: another project’s resources are 404 and absent from lists; X-Roles: admin sees them', async () => {
    const net = await api.network({ name: 'of-p2' }, { project: 'p2' });
    const asP3 = await send(api, 'GET', `/v2.0/networks/${net.id}`, undefined, { 'x-project-id': 'p3' });
    expect([asP3.statusCode, asP3.json().NeutronError.type]).toEqual([404, 'NetworkNotFound']);
    expect((await send(api, 'GET', '/v2.0/networks', undefined, { 'x-project-id': 'p3' })).json().networks).toEqual([]);
    // X-Tenant-Id (the older name keystonemiddleware also sets) works alike
    expect((await send(api, 'GET', `/v2.0/networks/${net.id}`, undefined, { 'x-tenant-id': 'p2' })).statusCode).toBe(200);
    const admin = await send(api, 'GET', `/v2.0/networks/${net.id}`, undefined, { 'x-project-id': 'p3', 'x-roles': 'Member, ADMIN' });
    expect(admin.statusCode).toBe(200);
  });

  it('a reader (X-Roles: reader) reads its project but every write is 403 PolicyNotAuthorized, as Neutron’s policies, and changes nothing', async () => {
    const reader = { 'x-project-id': 'p4', 'x-roles': 'reader' };
    const net = await api.network({ name: 'readable' }, { project: 'p4' });
    expect((await send(api, 'GET', `/v2.0/networks/${net.id}`, undefined, reader)).statusCode).toBe(200);
    expect((await send(api, 'GET', '/v2.0/networks', undefined, reader)).json().networks.map((n: { id: string }) => n.id)).toEqual([net.id]);
    for (const [method, url, body, policy] of [
      ['POST', '/v2.0/networks', { network: { name: 'nope' } }, 'create_network'],
      ['PUT', `/v2.0/networks/${net.id}`, { network: { name: 'renamed' } }, 'update_network'],
      ['DELETE', `/v2.0/networks/${net.id}`, undefined, 'delete_network'],
      ['POST', '/v2.0/ports', { port: { network_id: net.id } }, 'create_port'],
    ] as const) {
      const res = await send(api, method, url, body, reader);
      expect([method, url, res.statusCode, res.json().NeutronError]).toEqual([
        method,
        url,
        403,
        { type: 'PolicyNotAuthorized', message: `rule:${policy} is disallowed by policy`, detail: '' },
      ]);
    }
    const after = (await api.ok('GET', '/v2.0/networks', undefined, { project: 'p4' })).networks;
    expect(after.map((n: { name: string }) => n.name)).toEqual(['readable']);
    expect((await api.ok('GET', '/v2.0/ports', undefined, { project: 'p4' })).ports).toEqual([]);
    // member and admin roles (which imply reader in Keystone) write as before
    expect((await send(api, 'PUT', `/v2.0/networks/${net.id}`, { network: { name: 'renamed' } }, { ...reader, 'x-roles': 'reader,member' })).statusCode).toBe(200);
  });

  it('version discovery at / needs no identity; /v2.0/ and the extension list are API requests like the rest', async () => {
    expect((await send(api, 'GET', '/')).statusCode).toBe(200);
    expect((await send(api, 'GET', '/v2.0/extensions', undefined, { 'x-project-id': 'p5', 'x-roles': 'reader' })).statusCode).toBe(200);
  });
});

describe('a resource registered through registerResource gets the caller and the reader rule with no code of its own', () => {
  const seen: RequestContext[] = [];
  const app = Fastify();
  beforeAll(async () => {
    registerNeutronHttp(app);
    registerAuth(app, resolveConfig({}));
    const widget = { id: 'w1', project_id: 'p1', revision_number: 0, name: 'w' };
    registerResource(
      app,
      {
        singular: 'widget',
        collection: 'widgets',
        attrs: standardAttrs(),
        create: async (ctx, items) => (seen.push(ctx), items.map((i) => ({ ...widget, ...i }))),
        get: async (ctx) => (seen.push(ctx), widget),
        list: async (ctx) => (seen.push(ctx), [widget]),
        update: async (ctx) => (seen.push(ctx), widget),
        remove: async (ctx) => void seen.push(ctx),
      },
      { paginationMaxLimit: 0 },
    );
    await app.ready();
  });
  afterAll(() => app.close());

  it('sees the header’s project (never the body’s) and refuses a reader’s write before the resource runs', async () => {
    const made = await app.inject({ method: 'POST', url: '/v2.0/widgets', headers: { 'x-project-id': 'p1' }, payload: { widget: { name: 'x', project_id: 'p1' } } });
    expect(made.statusCode).toBe(201);
    expect(seen.at(-1)).toMatchObject({ projectId: 'p1', isAdmin: false, isReader: false, authenticated: false });
    const before = seen.length;
    const refused = await app.inject({ method: 'DELETE', url: '/v2.0/widgets/w1', headers: { 'x-project-id': 'p1', 'x-roles': 'reader' } });
    expect([refused.statusCode, refused.json().NeutronError.message]).toEqual([403, 'rule:delete_widget is disallowed by policy']);
    expect(seen.length).toBe(before);
    const foreign = await app.inject({ method: 'POST', url: '/v2.0/widgets', headers: { 'x-project-id': 'p1' }, payload: { widget: { project_id: 'p2' } } });
    expect([foreign.statusCode, errorType({ body: foreign.json() })]).toEqual([400, 'HTTPBadRequest']);
    expect(seen.length).toBe(before);
  });
});
