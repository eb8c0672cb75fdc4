import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeApi } from './helpers.js';

describe('two servers on one database file', () => {
  it('never give out the same address, MAC or segment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netcore-'));
    const file = join(dir, 'netcore.sqlite');
    const config = { vniRanges: [[1, 40]] as [number, number][] };
    const one = await makeApi({ dbFile: file, config });
    const two = await makeApi({ dbFile: file, config });
    try {
      const net = await one.network({ shared: false });
      await two.subnet(net.id, '10.0.0.0/26'); // 61 pool addresses for 80 requests
      const servers = [one, two];
      const ports = await Promise.all(
        Array.from({ length: 80 }, (_, i) => servers[i % 2].call('POST', '/v2.0/ports', { port: { network_id: net.id } })),
      );
      const made = ports.filter((r) => r.status === 201).map((r) => r.body.port);
      expect(made.length).toBe(61);
      expect(ports.filter((r) => r.status === 409).every((r) => r.body.NeutronError.type === 'IpAddressGenerationFailure')).toBe(true);
      const ips = made.map((p) => p.fixed_ips[0].ip_address);
      expect(new Set(ips).size).toBe(ips.length);
      expect(new Set(made.map((p) => p.mac_address)).size).toBe(made.length);

      const nets = await Promise.all(Array.from({ length: 45 }, (_, i) => servers[i % 2].call('POST', '/v2.0/networks', { network: {} })));
      const vnis = nets.filter((r) => r.status === 201).map((r) => r.body.network['provider:segmentation_id']);
      expect(vnis.length).toBe(39); // 40 VNIs, one already used by `net`
      expect(new Set([...vnis, net['provider:segmentation_id']]).size).toBe(40);
      expect(nets.filter((r) => r.status !== 201).every((r) => r.status === 503)).toBe(true);
      // each sees the other's writes
      expect((await two.ok('GET', '/v2.0/ports')).ports.length).toBe(61);
    } finally {
      await one.close();
      await two.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
