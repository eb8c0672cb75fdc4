import { describe, expect, it } from 'vitest';
import { ALL_CASES } from '../../../src/netcore/conformance/cases/index.js';
import { runConformance } from '../../../src/netcore/conformance/runner.js';
import { buildMetadataServer } from '../../../src/netcore/metadata/server.js';
import { signInstanceId, verifyInstanceId } from '../../../src/netcore/metadata/sign.js';
import { remoteAddress } from '../../../src/netcore/metadata/sqlite.js';
import { createSqlitePlugin } from '../../../src/netcore/plugins/sqlite/index.js';
import { makeApi } from '../helpers.js';

describe('the metadata lookup', () => {
  it("signs instance ids as Nova's metadata handler checks them (HMAC-SHA256, hex)", () => {
    // computed with Python's hmac.new(secret, instance_id, hashlib.sha256).hexdigest(), as nova/api/metadata/handler.py does
    const instance = '9f1c4c1e-3b0e-4f21-8a57-6a3d1e2f9b10';
    expect(signInstanceId('metadata-secret', instance)).toBe('558b29daa350160517ac56208ccf255e10983cb44af8dfa8e32842015e2087ab');
    expect(verifyInstanceId('metadata-secret', instance, '558b29daa350160517ac56208ccf255e10983cb44af8dfa8e32842015e2087ab')).toBe(true);
    expect(verifyInstanceId('another-secret', instance, signInstanceId('metadata-secret', instance))).toBe(false);
    expect(verifyInstanceId('metadata-secret', instance, 'short')).toBe(false);
  });

  it("reads X-Forwarded-For as Neutron's agent does", () => {
    expect(remoteAddress('10.0.0.5')).toEqual({ address: '10.0.0.5' });
    expect(remoteAddress('::ffff:10.0.0.5')).toEqual({ address: '10.0.0.5' });
    expect(remoteAddress('fe80::f816:3eff:fe33:4455')).toEqual({ address: 'fe80::f816:3eff:fe33:4455', mac: 'fa:16:3e:33:44:55' });
    expect(remoteAddress('2001:db8::f816:3eff:fe33:4455')).toEqual({ address: '2001:db8::f816:3eff:fe33:4455' });
  });

  it('listens apart from the public API, which has no such path, and needs its secret', async () => {
    const api = await makeApi();
    try {
      const metadata = await buildMetadataServer({ plugin: api.app.netcore.plugin, sharedSecret: 's' });
      // whatever the path, the listener answers a lookup: never the public API's resources
      const res = await metadata.inject({ method: 'GET', url: '/v2.0/networks' });
      expect([res.statusCode, res.json().NeutronError.message]).toEqual([400, 'X-Forwarded-For is required: the address of the instance asking']);
      await metadata.close();
      expect((await api.call('GET', '/latest/meta-data/instance-id')).status).toBe(404);
      await expect(buildMetadataServer({ plugin: api.app.netcore.plugin, sharedSecret: '' })).rejects.toThrow(/metadataProxySharedSecret/);
    } finally {
      await api.close();
    }
  });

  it("gives the same answers through any plugin's core API as through the reference plugin's own lookup", async () => {
    const withoutLookup = async (opts: Parameters<typeof createSqlitePlugin>[0]) => Object.defineProperty(await createSqlitePlugin(opts), 'metadata', { value: undefined });
    const cases = ALL_CASES.filter((c) => c.id.startsWith('services.metadata.'));
    const { cases: results } = await runConformance({ plugins: [{ name: 'core-api-lookup', plugin: withoutLookup }], cases });
    expect(results.map((c) => `${c.id} ${c.status} ${c.message ?? ''}`.trim())).toEqual(cases.map((c) => `core-api-lookup/${c.id} passed`));
  });
});
