import { defineCase } from '../../case.js';
import { ADMIN, BETA, type Harness, type Json } from '../../harness.js';

const NEEDS = ['quotas'];
const DETAILS = ['quotas', 'quota_details'];

const setQuota = (t: Harness, project: string, quota: object) => t.ok('PUT', `/v2.0/quotas/${project}`, { quota }, ADMIN).then((b) => b.quota);
const usage = async (t: Harness, project = 'alpha'): Promise<Record<string, number>> => {
  const details = (await t.ok('GET', `/v2.0/quotas/${project}/details`, undefined, ADMIN)).quota as Record<string, { used: number }>;
  return Object.fromEntries(Object.entries(details).map(([k, v]) => [k, v.used]));
};

export const quotaCases = [
  defineCase({
    id: 'services.quotas.defaults',
    title: "a project's quota is the configured default until admin sets one; /default shows the defaults",
    needs: NEEDS,
    config: { quotas: { network: 7, port: 70 } },
    async run(t) {
      const q = (await t.ok('GET', '/v2.0/quotas/alpha')).quota;
      t.equal([q.network, q.port, q.subnet], [7, 70, 100], "[network, port, subnet] of alpha's quota");
      t.equal((await t.ok('GET', '/v2.0/quotas/alpha/default')).quota, q, 'the defaults');
      t.equal((await t.ok('GET', '/v2.0/quotas', undefined, ADMIN)).quotas, [], 'projects with a quota of their own');
    },
  }),
  defineCase({
    id: 'services.quotas.over_quota',
    title: 'a create past the limit is 409 OverQuota naming the resource, and a bulk that would pass it creates nothing',
    needs: NEEDS,
    async run(t) {
      await setQuota(t, 'alpha', { network: 2 });
      await t.network();
      const res = await t.fails('POST', '/v2.0/networks', { networks: [{ name: 'a' }, { name: 'b' }] }, 409, 'OverQuota');
      t.check(String(res.body.NeutronError.message).includes("['network']"), `the message does not name the resource: ${res.body.NeutronError.message}`);
      t.equal((await t.list('networks')).length, 1, 'networks after the refused bulk');
      await t.network();
      await t.fails('POST', '/v2.0/networks', { network: {} }, 409, 'OverQuota');
    },
  }),
  defineCase({
    id: 'services.quotas.usage',
    title: "details count each resource a project has, its router's interface ports included, and a delete gives the quota back",
    needs: DETAILS,
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      const p = await t.port(net.id);
      const before = await usage(t);
      t.equal([before.network, before.subnet, before.port, before.security_group, before.security_group_rule], [1, 1, 1, 1, 4], '[network, subnet, port, security_group, security_group_rule] used (the default group and its rules included)');
      if ('router' in before) {
        const r = (await t.ok('POST', '/v2.0/routers', { router: {} })).router;
        await t.ok('PUT', `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id });
        const withRouter = await usage(t);
        t.equal([withRouter.router, withRouter.port], [1, 2], '[router, port] used with an interface');
        await t.ok('PUT', `/v2.0/routers/${r.id}/remove_router_interface`, { subnet_id: sub.id });
        await t.ok('DELETE', `/v2.0/routers/${r.id}`);
      }
      await t.ok('DELETE', `/v2.0/ports/${p.id}`);
      t.equal((await usage(t)).port, 0, 'ports used after the delete');
      const details = (await t.ok('GET', '/v2.0/quotas/alpha/details')).quota;
      t.equal(details.network, { limit: 100, used: 1, reserved: 0 }, "alpha's own view of its network line");
    },
  }),
  defineCase({
    id: 'services.quotas.per_project',
    title: "one project's limit and usage do not touch another's",
    needs: DETAILS,
    async run(t) {
      await setQuota(t, 'alpha', { network: 1 });
      await t.network();
      await t.network({}, BETA);
      await t.network({}, BETA);
      t.equal([(await usage(t, 'alpha')).network, (await usage(t, 'beta')).network], [1, 2], 'networks used by alpha and beta');
      t.equal((await t.ok('GET', '/v2.0/quotas/beta', undefined, BETA)).quota.network, 100, "beta's network limit");
      await t.fails('POST', '/v2.0/networks', { network: {} }, 409, 'OverQuota');
    },
  }),
  defineCase({
    id: 'services.quotas.policy',
    title: "a project reads its own quota only (403 for another's) and never sets, resets or lists them (403)",
    needs: NEEDS,
    async run(t) {
      await t.ok('GET', '/v2.0/quotas/alpha');
      await t.fails('GET', '/v2.0/quotas/beta', undefined, 403, 'PolicyNotAuthorized');
      await t.fails('GET', '/v2.0/quotas/beta/default', undefined, 403, 'PolicyNotAuthorized');
      await t.fails('PUT', '/v2.0/quotas/alpha', { quota: { network: 1000 } }, 403, 'PolicyNotAuthorized');
      await t.fails('DELETE', '/v2.0/quotas/alpha', undefined, 403, 'PolicyNotAuthorized');
      await t.fails('GET', '/v2.0/quotas', undefined, 403, 'PolicyNotAuthorized');
      t.equal((await t.ok('GET', '/v2.0/quotas/tenant')).tenant, { tenant_id: 'alpha' }, 'the quota API\'s own project');
      t.equal((await t.ok('GET', '/v2.0/quotas/alpha')).quota.network, 100, "alpha's network limit after the refusals");
    },
  }),
  defineCase({
    id: 'services.quotas.set_and_reset',
    title: 'admin sets limits (-1 unlimited), sees them listed, and resets them to the defaults',
    needs: NEEDS,
    async run(t) {
      const set = await setQuota(t, 'alpha', { network: -1, port: 5 });
      t.equal([set.network, set.port, set.subnet], [-1, 5, 100], '[network, port, subnet] after PUT');
      const listed = (await t.ok('GET', '/v2.0/quotas', undefined, ADMIN)).quotas as Json[];
      t.equal(listed.map((q) => [q.project_id, q.tenant_id, q.port]), [['alpha', 'alpha', 5]], 'projects with a quota of their own');
      t.equal((await t.call('DELETE', '/v2.0/quotas/alpha', undefined, ADMIN)).status, 204, 'DELETE status');
      t.equal((await t.ok('GET', '/v2.0/quotas/alpha')).quota.port, 500, 'port limit after the reset');
    },
  }),
  defineCase({
    id: 'services.quotas.validation',
    title: 'a limit for an unknown resource, below -1 or not an integer is 400 and changes nothing; check_limit refuses a limit under usage',
    needs: NEEDS,
    async run(t) {
      const put = (quota: object, status: number, type: string) => t.fails('PUT', '/v2.0/quotas/alpha', { quota }, status, type, ADMIN);
      await put({ networks: 1 }, 400, 'HTTPBadRequest');
      await put({ network: -2 }, 400, 'HTTPBadRequest');
      await put({ network: 'many' }, 400, 'InvalidInput');
      await put({ network: 1, port: 'x' }, 400, 'InvalidInput');
      t.equal((await t.ok('GET', '/v2.0/quotas/alpha')).quota.network, 100, 'network limit after the refused updates');
      await t.network();
      await t.network();
      await put({ network: 1, check_limit: true }, 400, 'HTTPBadRequest');
      t.equal((await setQuota(t, 'alpha', { network: 1 })).network, 1, 'a limit under usage without check_limit');
    },
  }),
  defineCase({
    id: 'services.quotas.security_groups',
    title: 'the default group counts toward the group quota; a group past it is 409 OverQuota, as are its rules past theirs',
    needs: [...NEEDS, 'security-group'],
    async run(t) {
      await setQuota(t, 'alpha', { security_group: 2, security_group_rule: 7 });
      await t.list('security-groups');
      const sg = (await t.ok('POST', '/v2.0/security-groups', { security_group: { name: 'web' } })).security_group;
      await t.fails('POST', '/v2.0/security-groups', { security_group: { name: 'db' } }, 409, 'OverQuota');
      await t.ok('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg.id, direction: 'ingress', protocol: 'tcp' } });
      await t.fails('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg.id, direction: 'ingress', protocol: 'udp' } }, 409, 'OverQuota');
    },
  }),
  defineCase({
    id: 'services.quotas.l3',
    title: 'routers and floating IPs have quotas of their own',
    needs: [...NEEDS, 'router', 'external-net'],
    async run(t) {
      await setQuota(t, 'alpha', { router: 1, floatingip: 1 });
      await t.ok('POST', '/v2.0/routers', { router: {} });
      await t.fails('POST', '/v2.0/routers', { router: {} }, 409, 'OverQuota');
      const ext = await t.network({ 'router:external': true }, ADMIN);
      await t.subnet(ext.id, '172.24.4.0/24', {}, ADMIN);
      await t.ok('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } });
      const res = await t.fails('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } }, 409, 'OverQuota');
      t.check(String(res.body.NeutronError.message).includes("['floatingip']"), `the message does not name floatingip: ${res.body.NeutronError.message}`);
    },
  }),
  defineCase({
    id: 'services.quotas.concurrent',
    title: 'creates racing for the last places of a quota: exactly the limit succeed, the rest are 409 OverQuota',
    needs: DETAILS,
    async run(t) {
      await setQuota(t, 'alpha', { network: 5 });
      const replies = await Promise.all(Array.from({ length: 20 }, () => t.call('POST', '/v2.0/networks', { network: {} })));
      t.equal(replies.filter((r) => r.status === 201).length, 5, 'creates that succeeded');
      t.check(replies.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body?.NeutronError?.type === 'OverQuota'), 'a refused create was not 409 OverQuota');
      t.equal((await usage(t)).network, 5, 'networks used');
    },
  }),
];
