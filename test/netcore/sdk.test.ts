import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/netcore/server.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const script = fileURLToPath(new URL('./sdk_client.py', import.meta.url));
const topology = fileURLToPath(new URL('./sdk_topology.py', import.meta.url));

/** The server behind a proxy that names the caller, as keystonemiddleware would: the CLI cannot set headers. */
async function asProject(target: string, project: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const up = request(`${target}${req.url}`, { method: req.method, headers: { ...req.headers, 'x-project-id': project } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

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

  it('a tenant builds a whole topology with openstacksdk and the CLI and tears it down: nothing left, no quota used', async () => {
    const proxy = await asProject(url, 'e2e-tenant');
    try {
      const { stdout } = await run(PYTHON, [topology, url, proxy.url, 'e2e-tenant'], { env: { ...process.env, HOME: '/tmp', OS_CLOUD: '' }, timeout: 240_000 });
      const seen = JSON.parse(stdout.trim().split('\n').pop()!);
      expect(seen.gateway).toEqual([true, true, true]);
      expect(seen.interfaces).toEqual(['10.20.0.1', '2001:db8:20::1']);
      expect(seen.vm).toHaveLength(2); // an IPv4 address and its SLAAC one
      expect(seen.vm_groups).toBe(true);
      expect(seen.floating_ip).toEqual([true, true, seen.vm.find((ip: string) => ip.startsWith('10.20.0.'))]);
      expect(seen.cli_floating_ips).toHaveLength(1);
      expect(seen.cli_router).toBe('e2e-router');
      expect(seen.rules).toEqual(['egress IPv4 None None', 'egress IPv6 None None', 'ingress IPv4 icmp None', 'ingress IPv4 tcp 80', 'ingress IPv6 tcp 443']);
      expect(seen.pool).toEqual([2, true, true]);
      expect(seen.vip).toEqual([true, { type: 'HTTP_COOKIE' }]);
      expect(seen.router_in_use).toBe(true);
      // a fresh project uses nothing; built, what the topology holds counts (6 ports: the VM, two backends, the vip and two
      // router interfaces; 9 rules: the default group's 4, e2e-web's 2 egress and 3 more), and the default group made on first use
      expect(Object.values(seen.usage_before).every((used) => used === 0)).toBe(true);
      expect(seen.usage_built).toMatchObject({ network: 1, subnet: 2, router: 1, floatingip: 1, port: 6, security_group: 2, security_group_rule: 9, pool: 1, member: 2, vip: 1, health_monitor: 1 });
      // torn down: nothing of it left, and no quota used but the default group's
      expect(seen.leftovers).toEqual({ networks: [], subnets: [], ports: [], routers: [], floating_ips: [], security_groups: ['default'], pools: [], members: [], vips: [], health_monitors: [] });
      expect(Object.entries(seen.usage_after).filter(([, used]) => used !== 0)).toEqual([
        ['security_group', 1],
        ['security_group_rule', 4],
      ]);
    } finally {
      proxy.server.close();
    }
  }, 300_000);

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
