import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
// Inside the repository so the compiled code resolves node_modules.
const out = join(root, 'node_modules/.cache/netcore-process-test');

/** Compiles netcore alone and starts it in a child process on a free port; resolves with its URL. */
function startServer(dbFile: string): Promise<{ url: string; child: ChildProcess }> {
  const code = `
    const { buildServer } = await import(${JSON.stringify(join(out, 'src/netcore/server.js'))});
    const app = await buildServer({ dbFile: ${JSON.stringify(dbFile)}, config: { vniRanges: [[1, 30]] } });
    console.log(await app.listen({ port: 0, host: '127.0.0.1' }));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    child.stdout!.once('data', (d: Buffer) => ok({ url: d.toString().trim(), child }));
    child.once('exit', (c) => fail(new Error(`server exited with ${c}`)));
  });
}

describe('two server processes on one database file', () => {
  let dir: string;
  let servers: { url: string; child: ChildProcess }[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netcore-proc-'));
    const tsconfig = join(dir, 'tsconfig.json');
    writeFileSync(tsconfig, JSON.stringify({ extends: join(root, 'tsconfig.json'), compilerOptions: { outDir: out, rootDir: root, sourceMap: false }, include: [join(root, 'src/netcore')] }));
    await promisify(execFile)(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig]).catch(() => undefined); // emits despite type errors elsewhere
    const file = join(dir, 'netcore.sqlite');
    servers = [await startServer(file)];
    servers.push(await startServer(file));
  }, 120_000);
  afterAll(() => {
    for (const s of servers) s.child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = async (i: number, method: string, path: string, body: object | undefined, headers: Record<string, string> = {}) => {
    const res = await fetch(`${servers[i % 2].url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body && JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const post = (i: number, path: string, body: object) => send(i, 'POST', path, body);

  it('never hand out the same address or segment', async () => {
    const net = (await post(0, '/v2.0/networks', { network: {} })).body.network;
    await post(1, '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.0.0.0/25', ip_version: 4 } });
    const ports = await Promise.all(Array.from({ length: 150 }, (_, i) => post(i, '/v2.0/ports', { port: { network_id: net.id } })));
    const ips = ports.filter((r) => r.status === 201).map((r) => r.body.port.fixed_ips[0].ip_address);
    expect(ips.length).toBe(125);
    expect(new Set(ips).size).toBe(125);
    expect(ports.filter((r) => r.status !== 201).map((r) => r.body.NeutronError.type)).toEqual(Array(25).fill('IpAddressGenerationFailure'));
    const nets = await Promise.all(Array.from({ length: 35 }, (_, i) => post(i, '/v2.0/networks', { network: {} })));
    const vnis = nets.filter((r) => r.status === 201).map((r) => r.body.network['provider:segmentation_id']);
    expect(new Set([...vnis, net['provider:segmentation_id']]).size).toBe(30);
    expect(vnis.length).toBe(29);
  }, 60_000);

  it("keep a project's usage exact when creates race for the last places of its quota", async () => {
    const admin = { 'x-project-id': 'ops', 'x-roles': 'admin' };
    const tenant = { 'x-project-id': 'racer' };
    // the test before used every VNI: give three back
    const spare = (await send(0, 'GET', '/v2.0/networks', undefined, admin)).body.networks.filter((n: any) => n.subnets.length === 0).slice(0, 3);
    for (const n of spare) expect((await fetch(`${servers[0].url}/v2.0/networks/${n.id}`, { method: 'DELETE', headers: admin })).status).toBe(204);
    expect((await send(0, 'PUT', '/v2.0/quotas/racer', { quota: { port: 20, network: 3 } }, admin)).status).toBe(200);
    const net = (await send(1, 'POST', '/v2.0/networks', { network: {} }, tenant)).body.network;
    await send(0, 'POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.1.0.0/24', ip_version: 4 } }, tenant);
    const [ports, nets] = await Promise.all([
      Promise.all(Array.from({ length: 60 }, (_, i) => send(i, 'POST', '/v2.0/ports', { port: { network_id: net.id } }, tenant))),
      Promise.all(Array.from({ length: 10 }, (_, i) => send(i, 'POST', '/v2.0/networks', { network: {} }, tenant))),
    ]);
    expect(ports.filter((r) => r.status === 201)).toHaveLength(20);
    expect(ports.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.body.NeutronError.type}`)).toEqual(Array(40).fill('409 OverQuota'));
    expect(nets.filter((r) => r.status === 201)).toHaveLength(2);
    const usage = (await send(1, 'GET', '/v2.0/quotas/racer/details', undefined, tenant)).body.quota;
    expect([usage.port.used, usage.network.used]).toEqual([20, 3]);
  }, 60_000);
});
