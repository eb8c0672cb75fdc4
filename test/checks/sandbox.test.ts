import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startRegistryProxy } from '../../src/checks/runner/registry-proxy.js';
import { runPipeline } from '../../src/checks/runner/pipeline.js';
import { runSandboxed, sandboxAvailable } from '../../src/checks/runner/sandbox.js';
import { runnerSettings } from '../../src/checks/runner/settings.js';
import { fixtureTarball, writeFixtureTree, type Probes } from '../../bench/support/checks-fixture.js';

const runs = sandboxAvailable() || process.env.CI ? test : test.skip;

// The app's home as `npm start` lays it out: its .env and key beside the store, and the runner's folder in data/.
const home = mkdtempSync(join(tmpdir(), 'netbot-app-home-'));
const KEY = join(home, 'netbot.private-key.pem');
const ENV_FILE = join(home, '.env');
const STORE = join(home, 'data', 'netbot.sqlite');
const SECRET = 'whsec-sandbox-test-7f3a';
let server: Server;
let port = 0;

beforeAll(async () => {
  mkdirSync(join(home, 'data'), { recursive: true });
  writeFileSync(KEY, '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA-the-apps-key\n');
  writeFileSync(ENV_FILE, `WEBHOOK_SECRET=${SECRET}\n`);
  writeFileSync(STORE, 'SQLite format 3\0 the store');
  process.env.NETBOT_SANDBOX_TEST_SECRET = SECRET;
  // A service of the app's machine (its PostgreSQL, its metadata endpoint) the pull request must not reach.
  server = createServer((socket) => socket.end('hello from the host\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  server.close();
  rmSync(home, { recursive: true, force: true });
  delete process.env.NETBOT_SANDBOX_TEST_SECRET;
});

const probes = (): Probes => ({
  files: [KEY, ENV_FILE, STORE, '/etc/shadow'],
  env: ['NETBOT_SANDBOX_TEST_SECRET', 'WEBHOOK_SECRET', 'PRIVATE_KEY', 'HOME_OF_APP'],
  connect: [{ host: '127.0.0.1', port }],
});

describe('a hostile pull request', () => {
  test('outside a sandbox, its probes read the key file, the .env, the store and the secret, and reach the host (so the test can tell)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netbot-probe-'));
    try {
      writeFixtureTree(dir, { probes: probes() });
      const results = JSON.parse(execFileSync(process.execPath, ['probe.mjs', 'print'], { cwd: dir, env: { ...process.env, PATH: process.env.PATH } }).toString()) as { id: string; got?: string }[];
      const got = Object.fromEntries(results.map((r) => [r.id, r.got]));
      expect(got[`read ${KEY}`]).toContain('the-apps-key');
      expect(got[`read ${ENV_FILE}`]).toContain(SECRET);
      expect(got[`read ${STORE}`]).toContain('the store');
      expect(got['env NETBOT_SANDBOX_TEST_SECRET']).toBe(SECRET);
      expect(got[`connect 127.0.0.1:${port}`]).toBe('connected');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  runs('in the install step (its postinstall script) and in its suite, every probe fails: no key, no .env, no store, no environment, no socket, no tunnel but to the registry', async () => {
    const tarball = await fixtureTarball({
      probes: probes(),
      scripts: { postinstall: 'node probe.mjs install' },
      suites: { 'conformance:sqlite': { mode: 'probe' } },
    });
    const { outcomes } = await runPipeline({
      fetchTarball: async () => tarball,
      defaultBranchHas: async () => false, // its own lockfile: its install scripts run
      scope: '1-99',
      suites: [{ key: 'sqlite', suite: 'conformance', plugin: 'sqlite' }],
      settings: { ...runnerSettings({ NETBOT_CHECKS_DIR: join(home, 'data', 'checks') }), timeoutMs: 30_000 },
      signal: new AbortController().signal,
    });
    const [outcome] = outcomes;
    const cases = outcome!.report!.cases;
    const ids = cases.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([`read ${KEY}`, `install read ${KEY}`, `install tunnel to 127.0.0.1:${port}`, `connect 127.0.0.1:${port}`, 'env NETBOT_SANDBOX_TEST_SECRET']));
    expect(cases.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    expect(cases.find((c) => c.id === `install tunnel to 127.0.0.1:${port}`)!.message).toContain('403');
    expect(outcome!.conclusion).toBe('success');
    expect(JSON.stringify(outcomes)).not.toContain(SECRET);
    expect(JSON.stringify(outcomes)).not.toContain('the-apps-key');
  });

  runs('a process over the memory limit cannot get the memory; one over the CPU-time limit is killed', async () => {
    const mounts: { from: string; to: string }[] = [];
    const hog = await runSandboxed(
      { command: ['node', '-e', 'const a = []; for (let i = 0; i < 20; i++) a.push(Buffer.alloc(64 * 1024 * 1024, 1)); console.log("got it all")'], cwd: '/', mounts },
      { timeoutMs: 20_000, outputBytes: 1 << 20, memoryBytes: 512 * 1024 * 1024 },
    );
    expect(hog.code).not.toBe(0);
    expect(hog.output).not.toContain('got it all');
    const spin = await runSandboxed({ command: ['node', '-e', 'for (;;) {}'], cwd: '/', mounts }, { timeoutMs: 20_000, cpuSeconds: 1, outputBytes: 1 << 20, memoryBytes: 1 << 30 });
    expect(spin.stopped).toBeUndefined(); // the CPU limit killed it, not the wall-clock timeout
    expect(spin.code).not.toBe(0);
    expect(spin.durationMs).toBeLessThan(10_000);
  });
});

describe('the registry proxy (the install step\'s only way out)', () => {
  test('tunnels to the registry host and port, refuses any other host or port, and plain HTTP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netbot-proxy-'));
    const proxy = await startRegistryProxy(join(dir, 'p.sock'), `https://127.0.0.1:${port}/`);
    const ask = (request: string) =>
      new Promise<string>((resolve) => {
        const s = connect(join(dir, 'p.sock'), () => s.write(request));
        let got = '';
        s.on('data', (d) => {
          got += d.toString();
          if (got.includes('hello from the host') || got.startsWith('HTTP/1.1 403')) s.destroy(), resolve(got);
        });
        s.on('close', () => resolve(got));
      });
    try {
      expect(await ask(`CONNECT 127.0.0.1:${port} HTTP/1.1\r\n\r\n`)).toMatch(/^HTTP\/1.1 200 Connection Established\r\n\r\nhello from the host/);
      expect(await ask(`CONNECT 127.0.0.1:${port + 1} HTTP/1.1\r\n\r\n`)).toMatch(/^HTTP\/1.1 403/);
      expect(await ask('CONNECT metadata.internal:443 HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1.1 403/);
      expect(await ask(`GET http://127.0.0.1:${port}/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)).toMatch(/^HTTP\/1.1 403/);
      expect(proxy.refused).toHaveLength(3);
    } finally {
      await proxy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a registry that is not https:// is refused at start', async () => {
    await expect(startRegistryProxy(join(tmpdir(), 'never.sock'), 'http://registry.example/')).rejects.toThrow(/https:\/\//);
  });
});
