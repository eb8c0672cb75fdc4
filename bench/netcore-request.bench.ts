// netcore's request path: port create over HTTP against the same SQLite work done directly (the
// floor), 16 concurrent clients with a real load generator, keystone mode with a warm token cache
// against noauth, and Neutron's own Python client (../shared/neutron/bench_ports.py) against netcore.
import autocannon from 'autocannon';
import { execFile, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '../src/netcore/db/connection.js';
import { buildServer } from '../src/netcore/server.js';
import { BENCH_QUOTAS } from './support/bench-quotas.js';
import { startFakeKeystone } from '../test/netcore/auth/fake-keystone.js';
import { keepAliveClient } from './support/http-json.js';
import { portFloor } from './support/port-floor.js';
import { stubNeutron } from './support/stub-neutron.js';

const ROUNDS = 10;
const PER_ROUND = 500;
const WARMUP = 500;
const CONCURRENCY = 16;
const LOAD_SECONDS = 5;
/** Neutron Zed (Debian, noauth, SQLite, one API worker) under the same bench_ports.py, measured by hand: see docs/netcore.md. */
const NEUTRON = { date: '2026-11-30', portsPerSecond: 6.4 };
const BENCH_PORTS = process.env.NEUTRON_BENCH_PORTS ?? '/work/shared/neutron/bench_ports.py';
const PYTHON = '/usr/bin/python3';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const perSecond = (n: number, ms: number) => (n * 1000) / ms;

type Client = ReturnType<typeof keepAliveClient>;

/** A server on a fresh file with one network and a /16 subnet; `headers` make the caller that project's member. */
async function serve(dir: string, name: string, config: object = {}) {
  const app = await buildServer({ dbFile: join(dir, `${name}.sqlite`), config: { quotas: BENCH_QUOTAS, ...config } });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

async function setUpNetwork(client: Client) {
  const net = (await client.call('POST', '/v2.0/networks', { network: { name: 'bench' } })).network;
  await client.call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.0.0.0/16', ip_version: 4 } });
  return net.id as string;
}

async function timeCreates(client: Client, networkId: string, count: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < count; i++) await client.call('POST', '/v2.0/ports', { port: { network_id: networkId, name: `p${i}` } });
  return performance.now() - t;
}

/**
 * Sequential creates over HTTP and the floor, in alternating rounds on databases that grow alike, so
 * both see the same table sizes and the same machine load; the ratio is the median of the rounds'.
 */
async function sequentialAgainstFloor(dir: string): Promise<void> {
  const { app, url } = await serve(dir, 'seq');
  const client = keepAliveClient(url, { 'x-project-id': 'bench' });
  const db = openDatabase(join(dir, 'floor.sqlite'));
  try {
    const networkId = await setUpNetwork(client);
    const floorServer = await buildServer({ db, config: { quotas: BENCH_QUOTAS } });
    const floorNet = (await floorServer.inject({ method: 'POST', url: '/v2.0/networks', headers: { 'x-project-id': 'bench' }, payload: { network: { name: 'floor' } } })).json().network;
    await floorServer.inject({ method: 'POST', url: '/v2.0/subnets', headers: { 'x-project-id': 'bench' }, payload: { subnet: { network_id: floorNet.id, cidr: '10.0.0.0/16', ip_version: 4 } } });
    await floorServer.close();
    const floor = portFloor(db, floorNet.id, 'bench');
    const timeFloor = (count: number) => {
      const t = performance.now();
      for (let i = 0; i < count; i++) floor();
      return performance.now() - t;
    };
    await timeCreates(client, networkId, WARMUP);
    timeFloor(WARMUP);
    const http: number[] = [];
    const direct: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // ABBA: which goes first alternates, so a drift in the machine's load favours neither
      if (r % 2 === 0) http.push(await timeCreates(client, networkId, PER_ROUND));
      direct.push(timeFloor(PER_ROUND));
      if (r % 2 === 1) http.push(await timeCreates(client, networkId, PER_ROUND));
    }
    const ratio = median(http.map((h, i) => h / direct[i]));
    const httpRate = perSecond(PER_ROUND, median(http));
    const floorRate = perSecond(PER_ROUND, median(direct));
    console.log(
      `sequential port create over HTTP (Node http keep-alive client, in-process, ${ROUNDS}x${PER_ROUND} after ${WARMUP}): ` +
        `${httpRate.toFixed(0)} ports/s (${((1000 * median(http)) / PER_ROUND).toFixed(0)} us each; goal >= 3000/s)`,
    );
    console.log(
      `  floor, the same statements straight on SQLite in one BEGIN IMMEDIATE each: ${floorRate.toFixed(0)} ports/s ` +
        `(${((1000 * median(direct)) / PER_ROUND).toFixed(0)} us each); HTTP/floor ${ratio.toFixed(2)}x (median of rounds; goal <= 3x)`,
    );
  } finally {
    client.close();
    await app.close();
    db.close();
  }
}

/** Keystone mode with every token already validated against noauth, alternating rounds. */
async function keystoneWarm(dir: string): Promise<void> {
  const keystone = await startFakeKeystone();
  const noauth = await serve(dir, 'noauth');
  const ks = await serve(dir, 'keystone', { auth: 'keystone', keystone: keystone.config() });
  const token = keystone.issue({ projectId: 'bench', roles: ['member', 'reader'] });
  const plain = keepAliveClient(noauth.url, { 'x-project-id': 'bench' });
  const authed = keepAliveClient(ks.url, { 'x-auth-token': token });
  try {
    const plainNet = await setUpNetwork(plain);
    const authedNet = await setUpNetwork(authed); // validates the token once: the cache is warm from here
    await timeCreates(plain, plainNet, WARMUP);
    await timeCreates(authed, authedNet, WARMUP);
    const before = keystone.calls.validate + keystone.calls.login;
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < 2 * ROUNDS; r++) {
      if (r % 2 === 0) a.push(await timeCreates(plain, plainNet, PER_ROUND / 2));
      b.push(await timeCreates(authed, authedNet, PER_ROUND / 2));
      if (r % 2 === 1) a.push(await timeCreates(plain, plainNet, PER_ROUND / 2));
    }
    const calls = keystone.calls.validate + keystone.calls.login - before;
    const slower = (median(b.map((x, i) => x / a[i])) - 1) * 100;
    console.log(
      `keystone mode, warm token cache: ${perSecond(PER_ROUND / 2, median(b)).toFixed(0)} ports/s against noauth ` +
        `${perSecond(PER_ROUND / 2, median(a)).toFixed(0)} ports/s; paired rounds: ${Math.abs(slower).toFixed(1)} % ${slower >= 0 ? 'slower' : 'faster'} (goal: at most 10 % slower); ` +
        `${calls} calls to Keystone while measuring`,
    );
  } finally {
    plain.close();
    authed.close();
    await noauth.app.close();
    await ks.app.close();
    await keystone.close();
  }
}

function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

const describe = (r: autocannon.Result) =>
  `${r.requests.average.toFixed(0)} req/s, latency p50 ${r.latency.p50} ms p99 ${r.latency.p99} ms, ${r.non2xx + r.errors} failed`;

/** autocannon against a server in its own process (each gets a core), 16 connections against 1. */
async function concurrent(dir: string): Promise<void> {
  const child = fork(fileURLToPath(new URL('./support/netcore-server.js', import.meta.url)), [join(dir, 'load.sqlite')]);
  const { url } = await new Promise<{ url: string }>((resolve) => child.once('message', (m) => resolve(m as { url: string })));
  const client = keepAliveClient(url, { 'x-project-id': 'bench' });
  try {
    const networkId = await setUpNetwork(client);
    const headers = { 'content-type': 'application/json', 'x-project-id': 'bench' };
    const body = JSON.stringify({ port: { network_id: networkId, name: 'load' } });
    const create = (connections: number) => load({ url: `${url}/v2.0/ports`, method: 'POST', headers, body, connections, duration: LOAD_SECONDS });
    await create(CONCURRENCY); // warm-up and table growth
    const one = await create(1);
    const many = await create(CONCURRENCY);
    console.log(`port create, autocannon, ${CONCURRENCY} connections: ${describe(many)}`);
    console.log(`  the same with 1 connection: ${describe(one)}`);

    const ids: string[] = (await client.call('GET', `/v2.0/ports?network_id=${networkId}&limit=1000&fields=id`)).ports.map((p: { id: string }) => p.id);
    let next = 0;
    const get = (connections: number) =>
      load({
        url,
        headers,
        connections,
        duration: LOAD_SECONDS,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v2.0/ports/${ids[next++ % ids.length]}` }) }],
      });
    await get(CONCURRENCY);
    const getOne = await get(1);
    const getMany = await get(CONCURRENCY);
    console.log(`GET /v2.0/ports/{id}, autocannon, ${CONCURRENCY} connections: ${describe(getMany)}`);
    console.log(`  the same with 1 connection: ${describe(getOne)}`);
  } finally {
    client.close();
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/** Neutron's Python benchmark client against netcore, beside the figure it gave for Neutron. */
async function pythonClient(dir: string): Promise<void> {
  const run = promisify(execFile);
  const ready = existsSync(PYTHON) && existsSync(BENCH_PORTS) && (await run(PYTHON, ['-c', 'import requests']).then(() => true, () => false));
  if (!ready) {
    console.log(`bench_ports.py: skipped (needs ${PYTHON} with requests and ${BENCH_PORTS}; set NEUTRON_BENCH_PORTS)`);
    return;
  }
  const measure = async (url: string) => {
    const { stdout } = await run(PYTHON, [BENCH_PORTS, '--url', url], { timeout: 300_000 });
    return JSON.parse(stdout.split('\n').find((l) => l.startsWith('RESULT '))!.slice('RESULT '.length));
  };
  const stub = await stubNeutron();
  const ceiling = await measure(stub.url).finally(() => stub.app.close());
  const { app, url } = await serve(dir, 'python');
  try {
    const result = await measure(url);
    console.log(
      `bench_ports.py (Python requests, sequential, ${result.count} ports): netcore ${result.ports_per_s} ports/s, ` +
        `p50 ${result.create_ms_p50} ms, p95 ${result.create_ms_p95} ms; Neutron ${NEUTRON.portsPerSecond} ports/s (${NEUTRON.date}): ` +
        `${(result.ports_per_s / NEUTRON.portsPerSecond).toFixed(0)}x (goal >= 100x)`,
    );
    console.log(`  the client's own ceiling, against a server that does nothing: ${ceiling.ports_per_s} ports/s (p50 ${ceiling.create_ms_p50} ms)`);
  } finally {
    await app.close();
  }
}

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'netcore-request-bench-'));
  try {
    await sequentialAgainstFloor(dir);
    await keystoneWarm(dir);
    await concurrent(dir);
    await pythonClient(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
