// netcore: ports created per second over HTTP, IPAM cost at the 10,000th allocation against the
// first (IPv4 /16 and IPv6 /64), and list latency with filters over 10,000 ports.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Db } from '../src/netcore/db/connection.js';
import { upgradeToHead } from '../src/netcore/db/migrate.js';
import { parseCidr } from '../src/netcore/ipam/address.js';
import { defaultPools, validatePools } from '../src/netcore/ipam/pools.js';
import { IpamStore } from '../src/netcore/ipam/store.js';
import { buildServer } from '../src/netcore/server.js';
import { BENCH_QUOTAS } from './support/bench-quotas.js';

const PORTS = 10_000;
const WINDOW = 500;

async function json(url: string, init?: RequestInit): Promise<any> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', 'x-project-id': 'bench' } });
  if (res.status >= 300) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function httpPorts(dir: string): Promise<void> {
  const app = await buildServer({ dbFile: join(dir, 'http.sqlite'), config: { quotas: BENCH_QUOTAS } });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const net = (await json(`${url}/v2.0/networks`, { method: 'POST', body: JSON.stringify({ network: { name: 'bench' } }) })).network;
    await json(`${url}/v2.0/subnets`, { method: 'POST', body: JSON.stringify({ subnet: { network_id: net.id, cidr: '10.0.0.0/16', ip_version: 4 } }) });
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < PORTS; i = next++) {
        await json(`${url}/v2.0/ports`, { method: 'POST', body: JSON.stringify({ port: { network_id: net.id, name: `p${i}`, device_id: `vm-${i}` } }) });
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 8 }, worker));
    const secs = (performance.now() - t0) / 1000;
    console.log(`create ${PORTS} ports over HTTP (loopback, 8 in flight): ${secs.toFixed(1)} s, ${(PORTS / secs).toFixed(0)} ports/s`);

    const timed = async (label: string, path: string, expectCount: number) => {
      await json(`${url}${path}`); // warm
      const runs = 5;
      const t = performance.now();
      let body: any;
      for (let i = 0; i < runs; i++) body = await json(`${url}${path}`);
      const ms = (performance.now() - t) / runs;
      if (body.ports.length !== expectCount) throw new Error(`${label}: ${body.ports.length} ports, expected ${expectCount}`);
      console.log(`list over ${PORTS} ports, ${label}: ${ms.toFixed(1)} ms`);
    };
    await timed('filter device_id=vm-7777 (1 match)', '/v2.0/ports?device_id=vm-7777', 1);
    await timed('filter fixed_ips=ip_address=10.0.30.10 (1 match)', '/v2.0/ports?fixed_ips=ip_address%3D10.0.30.10', 1);
    await timed('filter name=p9999 (1 match, no index)', '/v2.0/ports?name=p9999', 1);
    await timed('filter network_id, limit=100', `/v2.0/ports?network_id=${net.id}&limit=100`, 100);
    await timed(`filter network_id (all ${PORTS})`, `/v2.0/ports?network_id=${net.id}`, PORTS);
  } finally {
    await app.close();
  }
}

/** Mean microseconds per allocation (one write transaction each, as an API call) over windows of WINDOW. */
function ipamCost(db: Db, cidr: string): { first: number; last: number; firstMedian: number; lastMedian: number } {
  const c = parseCidr(cidr);
  const id = `s-${cidr}`;
  db.prepare(`INSERT INTO subnets (id, project_id, network_id, ip_version, cidr, enable_dhcp, created_at, updated_at) VALUES (?, 'p', 'n', ?, ?, 1, '', '')`).run(id, c.version, cidr);
  const store = new IpamStore(db);
  store.setPools(id, c.version, validatePools(c, defaultPools(c, null), null));
  const record = db.prepare(`INSERT INTO ipallocations (port_id, ip_address, subnet_id, network_id) VALUES ('port', ?, ?, 'n')`);
  const allocate = db.transaction(() => record.run(store.allocateAny(id, c.version), id));
  const times: number[] = [];
  for (let i = 0; i < PORTS; i++) {
    const t = performance.now();
    allocate.immediate();
    times.push(performance.now() - t);
  }
  const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length) * 1000;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] * 1000;
  const head = times.slice(0, WINDOW);
  const tail = times.slice(PORTS - WINDOW);
  return { first: mean(head), last: mean(tail), firstMedian: median(head), lastMedian: median(tail) };
}

function ipamScaling(dir: string): void {
  const db = openDatabase(join(dir, 'ipam.sqlite'));
  upgradeToHead(db);
  db.prepare(`INSERT INTO networks (id, project_id, status, admin_state_up, created_at, updated_at) VALUES ('n', 'p', 'ACTIVE', 1, '', '')`).run();
  db.prepare(`INSERT INTO ports (id, project_id, network_id, mac_address, admin_state_up, status, created_at, updated_at) VALUES ('port', 'p', 'n', 'fa:16:3e:00:00:01', 1, 'DOWN', '', '')`).run();
  ipamCost(db, '192.168.0.0/16'); // warm-up: JIT and page cache
  for (const cidr of ['10.0.0.0/16', '2001:db8::/64']) {
    const { first, last, firstMedian, lastMedian } = ipamCost(db, cidr);
    console.log(
      `IPAM ${cidr}: allocations 1-${WINDOW} mean ${first.toFixed(1)} us (median ${firstMedian.toFixed(1)}), ` +
        `${PORTS - WINDOW + 1}-${PORTS} mean ${last.toFixed(1)} us (median ${lastMedian.toFixed(1)}); ` +
        `ratio ${(last / first).toFixed(2)} by mean, ${(lastMedian / firstMedian).toFixed(2)} by median (target < 1.5)`,
    );
  }
  db.close();
}

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'netcore-bench-'));
  try {
    ipamScaling(dir);
    await httpPorts(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
