import { defineCase } from '../case.js';

export const errorCases = [
  defineCase({
    id: 'errors.malformed_body',
    title: 'a body that is not JSON is 400 with a NeutronError body',
    async run(t) {
      await t.fails('POST', '/v2.0/networks', '{"network": {', 400, 'HTTPBadRequest');
    },
  }),
  defineCase({
    id: 'errors.missing_resource_key',
    title: "a body without the resource's key is 400",
    async run(t) {
      await t.fails('POST', '/v2.0/networks', { net: {} }, 400, 'HTTPBadRequest');
      await t.fails('POST', '/v2.0/networks', { networks: [] }, 400, 'HTTPBadRequest');
    },
  }),
  defineCase({
    id: 'errors.unknown_attribute',
    title: 'an unknown attribute is 400',
    async run(t) {
      await t.fails('POST', '/v2.0/networks', { network: { colour: 'blue' } }, 400, 'HTTPBadRequest');
      const n = await t.network();
      await t.fails('PUT', `/v2.0/networks/${n.id}`, { network: { colour: 'blue' } }, 400, 'HTTPBadRequest');
    },
  }),
  defineCase({
    id: 'errors.read_only_attribute',
    title: 'setting a read-only attribute (id, status, subnets) is 400',
    async run(t) {
      await t.fails('POST', '/v2.0/networks', { network: { status: 'ACTIVE' } }, 400, 'HTTPBadRequest');
      const n = await t.network();
      await t.fails('PUT', `/v2.0/networks/${n.id}`, { network: { id: n.id } }, 400, 'HTTPBadRequest');
      await t.fails('PUT', `/v2.0/networks/${n.id}`, { network: { subnets: [] } }, 400, 'HTTPBadRequest');
    },
  }),
  defineCase({
    id: 'errors.bad_values',
    title: 'wrongly typed values (boolean, UUID, IP version, missing required) are 400',
    async run(t) {
      await t.fails('POST', '/v2.0/networks', { network: { admin_state_up: 'perhaps' } }, 400, 'HTTPBadRequest');
      await t.fails('POST', '/v2.0/ports', { port: { network_id: 'not-a-uuid' } }, 400, 'HTTPBadRequest');
      await t.fails('POST', '/v2.0/ports', { port: {} }, 400, 'HTTPBadRequest');
      const n = await t.network();
      await t.fails('POST', '/v2.0/subnets', { subnet: { network_id: n.id, cidr: '10.0.0.0/24', ip_version: 5 } }, 400, 'HTTPBadRequest');
    },
  }),
  defineCase({
    id: 'errors.unknown_path',
    title: 'an unknown resource path is 404',
    async run(t) {
      await t.fails('GET', '/v2.0/wormholes', undefined, 404, undefined);
    },
  }),
  defineCase({
    id: 'errors.body_too_large',
    title: 'a body over max_request_body_size is 413',
    config: { maxRequestBodySize: 2048 },
    async run(t) {
      await t.fails('POST', '/v2.0/networks', { network: { name: 'x', description: 'y'.repeat(4096) } }, 413, undefined);
    },
  }),
  defineCase({
    id: 'errors.null_resource',
    title: 'a null resource in an update is 400 with a NeutronError body',
    async run(t) {
      const net = await t.network();
      const res = await t.call('PUT', `/v2.0/networks/${net.id}`, { network: null });
      t.check(res.status === 400 && typeof res.body?.NeutronError?.type === 'string', `PUT with a null resource answered ${res.status} ${JSON.stringify(res.body)}`);
    },
  }),
];

export const discoveryCases = [
  defineCase({
    id: 'api.versions',
    title: 'version discovery at / lists v2.0 as CURRENT',
    async run(t) {
      const body = await t.ok('GET', '/');
      t.check(body.versions?.some((v: { id: string; status: string }) => v.id === 'v2.0' && v.status === 'CURRENT'), `versions: ${JSON.stringify(body.versions)}`);
    },
  }),
  defineCase({
    id: 'api.extensions.declared',
    title: 'every extension the plugin declares is listed and can be shown',
    async run(t) {
      const listed = ((await t.ok('GET', '/v2.0/extensions')).extensions as { alias: string }[]).map((e) => e.alias);
      const plugin = t.app.netcore.plugin.extensions;
      const missing = plugin.filter((x) => !listed.includes(x));
      t.equal(missing, [], 'declared extensions missing from GET /v2.0/extensions');
      for (const alias of plugin) await t.ok('GET', `/v2.0/extensions/${alias}`);
      await t.fails('GET', '/v2.0/extensions/no-such-extension', undefined, 404, undefined);
    },
  }),
];
