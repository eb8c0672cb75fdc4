// Upgrading a folsom database with 1,000,000 ports to head: wall time and peak memory, beside a
// baseline measured in the same run (copying the ports table once). The upgrade runs in a child
// process so its peak RSS is the upgrade's own, not the filling's. BENCH_MIGRATIONS_PORTS overrides
// the size.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/netcore/db/connection.js';
import { upgrade } from '../src/netcore/db/migrate.js';

const PORTS = Number(process.env.BENCH_MIGRATIONS_PORTS ?? 1_000_000);
const CHILD_FLAG = '--netcore-migrations-bench-child';
const PORTS_PER_ROUTER = 100; // every 100th port is a router interface, so 10,000 routers per million ports
const NETWORKS = 1000;
const AT = '2012-09-27T00:00:00.000Z';

interface ChildResult {
  ms: number;
  maxRssMb: number;
  steps: { id: string; ms: number }[];
}

/** A folsom database: networks, subnets, routers and PORTS ports, filled set-based in one transaction. */
function fillFolsom(file: string): number {
  const db = openDatabase(file);
  upgrade(db, { to: 'folsom' });
  const began = performance.now();
  db.transaction(() => {
    db.exec(`
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${NETWORKS - 1})
      INSERT INTO networks (id, project_id, name, status, admin_state_up, created_at, updated_at)
        SELECT printf('net-%04d', i), printf('proj-%03d', i % 100), printf('net %d', i), 'ACTIVE', 1, '${AT}', '${AT}' FROM n;
      INSERT INTO subnets (id, project_id, network_id, ip_version, cidr, gateway_ip, enable_dhcp, created_at, updated_at)
        SELECT replace(id, 'net-', 'sub-'), project_id, id, 4, printf('10.%d.%d.0/22', (rowid >> 6) & 255, (rowid & 63) * 4), NULL, 1, '${AT}', '${AT}' FROM networks;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${Math.ceil(PORTS / PORTS_PER_ROUTER) - 1})
      INSERT INTO routers (id, project_id, name, status, admin_state_up, created_at, updated_at)
        SELECT printf('router-%06d', i), printf('proj-%03d', i % 100), '', 'ACTIVE', 1, '${AT}', '${AT}' FROM n;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${PORTS - 1})
      INSERT INTO ports (id, project_id, network_id, name, mac_address, admin_state_up, status, device_id, device_owner, created_at, updated_at)
        SELECT printf('port-%07d', i), printf('proj-%03d', i % 100), printf('net-%04d', i % ${NETWORKS}), '',
               printf('fa:16:3e:%02x:%02x:%02x', (i >> 16) & 255, (i >> 8) & 255, i & 255), 1, 'ACTIVE',
               CASE WHEN i % ${PORTS_PER_ROUTER} = 0 THEN printf('router-%06d', i / ${PORTS_PER_ROUTER}) ELSE printf('vm-%07d', i) END,
               CASE WHEN i % ${PORTS_PER_ROUTER} = 0 THEN 'network:router_interface' ELSE 'compute:nova' END,
               '${AT}', '${AT}'
        FROM n;
    `);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return performance.now() - began;
}

/** In the child: open the file, upgrade to head, report time and this process's peak RSS. */
function upgradeChild(file: string): void {
  const db = openDatabase(file);
  const steps: ChildResult['steps'] = [];
  const began = performance.now();
  upgrade(db, { onStep: (m, ms) => steps.push({ id: m.id, ms }) });
  const ms = performance.now() - began;
  db.close();
  const result: ChildResult = { ms, maxRssMb: process.resourceUsage().maxRSS / 1024, steps };
  process.send!(result);
}

function runChild(file: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, file], { stdio: 'inherit' });
    let result: ChildResult | undefined;
    child.on('message', (m) => (result = m as ChildResult));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`upgrade child exited with ${code}`))));
  });
}

/** The baseline: one full copy of the ports table (CREATE TABLE AS SELECT), then undone. */
function copyPortsOnce(file: string): number {
  const db = openDatabase(file);
  const began = performance.now();
  db.exec(`CREATE TABLE ports_copy AS SELECT * FROM ports`);
  const ms = performance.now() - began;
  db.exec(`DROP TABLE ports_copy`);
  db.close();
  return ms;
}

export default async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'netcore-migrations-bench-'));
  const file = join(dir, 'folsom.sqlite');
  try {
    const fillMs = fillFolsom(file);
    console.log(`folsom database: ${PORTS.toLocaleString('en')} ports, ${Math.ceil(PORTS / PORTS_PER_ROUTER).toLocaleString('en')} routers, ${NETWORKS} networks; filled in ${(fillMs / 1000).toFixed(2)} s (${(statSync(file).size / 2 ** 20).toFixed(0)} MB)`);
    const up = await runChild(file);
    const check = openDatabase(file);
    const routerPorts = (check.prepare(`SELECT count(*) AS n FROM routerports`).get() as { n: number }).n;
    const ports = (check.prepare(`SELECT count(*) AS n FROM ports`).get() as { n: number }).n;
    check.close();
    const baseline = copyPortsOnce(file);
    console.log(`upgrade folsom -> head       ${(up.ms / 1000).toFixed(2).padStart(7)} s   (target < 30 s)   peak RSS of the upgrading process ${up.maxRssMb.toFixed(0)} MB`);
    for (const s of up.steps) console.log(`  ${s.id.padEnd(36)} ${s.ms.toFixed(0).padStart(7)} ms`);
    console.log(`baseline: copy ports once     ${(baseline / 1000).toFixed(2).padStart(7)} s`);
    console.log(`ratio upgrade / copy ports once: ${(up.ms / baseline).toFixed(2)}x`);
    console.log(`after upgrade: ${ports.toLocaleString('en')} ports kept, ${routerPorts.toLocaleString('en')} routerports filled`);
    if (ports !== PORTS || routerPorts !== Math.ceil(PORTS / PORTS_PER_ROUTER)) throw new Error('the upgraded database lost data');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === CHILD_FLAG) upgradeChild(process.argv[3]!);
