import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/netcore/config.js';
import { parseQuotaBody } from '../../../src/netcore/quotas/api.js';
import { errorType, makeApi, type Api, type Who } from '../helpers.js';

const A: Who = { project: 'alpha' };
const ADMIN: Who = { project: 'ops', admin: true };
const RESOURCES = ['network', 'subnet', 'port', 'router', 'floatingip', 'security_group', 'security_group_rule', 'pool', 'vip', 'member', 'health_monitor'];

describe('quotas over HTTP', () => {
  let api: Api;
  beforeEach(async () => {
    api = await makeApi();
  });
  afterEach(() => api.close());

  it("shows one limit per resource the plugin serves, and Neutron's details, default, tenant and project answers", async () => {
    const quota = (await api.ok('GET', '/v2.0/quotas/alpha', undefined, A)).quota;
    expect(Object.keys(quota).sort()).toEqual([...RESOURCES].sort());
    expect(quota).toMatchObject({ network: 100, subnet: 100, port: 500, router: 10, floatingip: 50, security_group: 10, security_group_rule: 100 });
    const details = (await api.ok('GET', '/v2.0/quotas/alpha/details', undefined, A)).quota;
    expect(details.port).toEqual({ limit: 500, used: 0, reserved: 0 });
    expect((await api.ok('GET', '/v2.0/quotas/alpha/default', undefined, A)).quota).toEqual(quota);
    expect(await api.ok('GET', '/v2.0/quotas/project', undefined, A)).toEqual({ project: { project_id: 'alpha' } });
    const post = await api.call('POST', '/v2.0/quotas', { quota: {} }, ADMIN);
    expect([post.status, errorType(post), post.body.NeutronError.message]).toEqual([501, 'HTTPNotImplemented', 'POST requests are not supported on this resource.']);
  });

  it("answers OverQuota with Neutron's message", async () => {
    await api.ok('PUT', '/v2.0/quotas/alpha', { quota: { network: 0 } }, ADMIN);
    const res = await api.call('POST', '/v2.0/networks', { network: {} }, A);
    expect([res.status, res.body]).toEqual([409, { NeutronError: { type: 'OverQuota', message: "Quota exceeded for resources: ['network'].", detail: '' } }]);
  });

  it('counts what a project owns, not what admin makes for others; admin making for a project uses its quota', async () => {
    await api.ok('PUT', '/v2.0/quotas/alpha', { quota: { network: 1 } }, ADMIN);
    await api.network({}, ADMIN);
    await api.network({}, ADMIN);
    await api.network({ project_id: 'alpha' }, ADMIN);
    const res = await api.call('POST', '/v2.0/networks', { network: { project_id: 'alpha' } }, ADMIN);
    expect([res.status, errorType(res)]).toEqual([409, 'OverQuota']);
  });

  it("lets a service's own ports through a full port quota, as Neutron's internal creates do, and counts them", async () => {
    const net = await api.network({}, A);
    const sub = await api.subnet(net.id, '10.0.0.0/24', {}, A);
    await api.ok('PUT', '/v2.0/quotas/alpha', { quota: { port: 0 } }, ADMIN);
    const router = (await api.ok('POST', '/v2.0/routers', { router: {} }, A)).router;
    await api.ok('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: sub.id }, A);
    expect((await api.ok('GET', '/v2.0/quotas/alpha/details', undefined, A)).quota.port).toEqual({ limit: 0, used: 1, reserved: 0 });
  });

  it('reads limits from the body as Neutron does, refusing what it would silently truncate', () => {
    expect(parseQuotaBody({ quota: { network: '5', port: -1, force: true } }, RESOURCES)).toEqual({ limits: { network: 5, port: -1 }, checkLimit: false });
    expect(parseQuotaBody({ quota: { check_limit: true } }, RESOURCES)).toEqual({ limits: {}, checkLimit: true });
    for (const [body, message] of [
      [{ quota: { network: 1.5 } }, "Invalid input for operation: '1.5' is not an integer."],
      [{ quota: { network: 2 ** 31 } }, `Invalid input for network. Reason: '${2 ** 31}' is too large - must be no larger than '${2 ** 31 - 1}'.`],
      [{ quota: { subnetpool: 1 } }, "Unrecognized attribute(s) 'subnetpool'"],
      [{ quotas: {} }, "Unable to find 'quota' in request body"],
    ] as const) {
      expect(() => parseQuotaBody(body, RESOURCES)).toThrow(message);
    }
  });

  it('takes default limits from the config, and refuses a bad one with its path', () => {
    expect(resolveConfig({ quotas: { port: 10 } }).quotas).toMatchObject({ port: 10, network: 100, member: -1 });
    expect(() => resolveConfig({ quotas: { port: -5 } })).toThrow(/quotas\.port/);
    expect(() => resolveConfig({ quotas: { ports: 5 } as never })).toThrow(/quotas/);
  });
});
