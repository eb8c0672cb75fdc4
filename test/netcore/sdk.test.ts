import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/netcore/server.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const script = fileURLToPath(new URL('./sdk_client.py', import.meta.url));

// The Debian packages python3-openstacksdk and python3-openstackclient; CI installs them, so there they must be present.
function clientsInstalled(): boolean {
  return existsSync(PYTHON) && existsSync("/usr/bin/openstack");
}
const installed = clientsInstalled() && (await run(PYTHON, ['-c', 'import openstack']).then(() => true, () => false));
if (!installed && process.env.CI) throw new Error('CI must install the Debian packages python3-openstacksdk and python3-openstackclient');

describe.skipIf(!installed)('real OpenStack clients', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = await buildServer({});
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  it('openstacksdk creates, lists, updates and deletes networks, subnets (v4, v6) and ports', async () => {
    const { stdout } = await run(PYTHON, [script, url], { env: { ...process.env, HOME: '/tmp', OS_CLOUD: '' }, timeout: 60_000 });
    const seen = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(seen.subnets).toEqual(['10.9.0.0/24', '2001:db8:9::/64']);
    expect(seen.port_ips).toEqual(['10.9.0.2', '2001:db8:9:0:f816:3eff:fe33:4455']);
    expect(seen.ports).toEqual(['sdk-port-2']);
    expect(seen.networks).toContain('sdk-net-2');
    expect(seen.stale_update_refused).toBe(true);
    expect(seen.deleted).toBe(true);
    expect(seen.after).not.toContain('sdk-net-2');
  }, 90_000);

  it('the openstack CLI lists networks', async () => {
    await app.inject({ method: 'POST', url: '/v2.0/networks', payload: { network: { name: 'cli-visible' } } });
    const { stdout } = await run('/usr/bin/openstack', ['--os-auth-type', 'none', '--os-endpoint', url, 'network', 'list', '-f', 'json'], {
      env: { ...process.env, HOME: '/tmp' },
      timeout: 60_000,
    });
    const rows = JSON.parse(stdout) as { Name: string; ID: string }[];
    expect(rows.map((r) => r.Name)).toContain('cli-visible');
  }, 90_000);
});
