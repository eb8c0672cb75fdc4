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

  const post = async (i: number, path: string, body: object) => {
    const res = await fetch(`${servers[i % 2].url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

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
});
