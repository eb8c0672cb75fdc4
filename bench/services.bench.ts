// netcore's services over HTTP on loopback, each beside a baseline measured in the same run:
// - 1,000 tenant topologies built and torn down (network, IPv4 and IPv6 subnets, router with gateway
//   and interface, VM port, floating IP, security group and rule, pool, member, vip, monitor), against
//   as many plain port creates and deletes as the topologies made requests;
// - floating IP associate/disassociate per second, against as many plain port updates;
// - metadata lookups per second with 10,000 ports in 100 projects sharing one CIDR, over the metadata
//   listener, against the same lookups made directly on SQLite (no HTTP) and through the core API.
// BENCH_TOPOLOGIES and BENCH_FIP_OPS override the sizes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildMetadataServer } from '../src/netcore/metadata/server.js';
import { coreMetadata } from '../src/netcore/metadata/lookup.js';
import type { SqlitePlugin } from '../src/netcore/plugins/sqlite/index.js';
import { buildServer } from '../src/netcore/server.js';

const TOPOLOGIES = Number(process.env.BENCH_TOPOLOGIES ?? 1000);
const FIP_OPS = Number(process.env.BENCH_FIP_OPS ?? 2000);
const IN_FLIGHT = 8;
const PROJECTS = 100;
const PORTS_PER_PROJECT = 100;
const LOOKUPS = 10_000;

type Who = { project: string; admin?: boolean };
const ADMIN: Who = { project: 'bench-admin', admin: true };

/** A JSON client of one server that counts its requests. */
function client(base: string) {
  let requests = 0;
  const call = async (method: string, path: string, body: object | undefined, who: Who): Promise<any> => {
    requests++;
    const headers: Record<string, string> = { 'x-project-id': who.project };
    if (who.admin) headers['x-roles'] = 'admin';
    if (body) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, body: body && JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return { call, requests: () => requests };
}

/** Runs `jobs` jobs with IN_FLIGHT at a time; seconds taken. */
async function timed(jobs: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    for (let i = next++; i < jobs; i = next++) await job(i);
  }));
  return (performance.now() - t0) / 1000;
}

async function topologies(dir: string): Promise<void> {
  const app = await buildServer({ dbFile: join(dir, 'topologies.sqlite'), config: { vniRanges: [[1, 100_000]] } });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { call, requests } = client(url);
    const ext = (await call('POST', '/v2.0/networks', { network: { name: 'public', 'router:external': true } }, ADMIN)).network;
    await call('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, cidr: '100.64.0.0/16', ip_version: 4 } }, ADMIN);

    const build = async (i: number) => {
      const who = { project: `tenant-${i}` };
      const post = async (coll: string, one: string, body: object) => (await call('POST', `/v2.0/${coll}`, { [one]: body }, who))[one];
      const net = await post('networks', 'network', { name: `net-${i}` });
      const v4 = await post('subnets', 'subnet', { network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4 });
      const v6 = await post('subnets', 'subnet', { network_id: net.id, cidr: '2001:db8::/64', ip_version: 6, ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' });
      const router = await post('routers', 'router', { external_gateway_info: { network_id: ext.id } });
      await call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: v4.id }, who);
      const sg = await post('security-groups', 'security_group', { name: 'web' });
      await post('security-group-rules', 'security_group_rule', { security_group_id: sg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 80, port_range_max: 80 });
      const vm = await post('ports', 'port', { network_id: net.id, device_id: `vm-${i}`, security_groups: [sg.id] });
      const fip = await post('floatingips', 'floatingip', { floating_network_id: ext.id, port_id: vm.id });
      const pool = await post('lb/pools', 'pool', { subnet_id: v4.id, protocol: 'HTTP', lb_method: 'ROUND_ROBIN' });
      const member = await post('lb/members', 'member', { pool_id: pool.id, address: vm.fixed_ips[0].ip_address, protocol_port: 80 });
      const vip = await post('lb/vips', 'vip', { subnet_id: v4.id, pool_id: pool.id, protocol: 'HTTP', protocol_port: 80 });
      const hm = await post('lb/health_monitors', 'health_monitor', { type: 'HTTP', delay: 5, timeout: 3, max_retries: 3 });
      await call('POST', `/v2.0/lb/pools/${pool.id}/health_monitors`, { health_monitor: { id: hm.id } }, who);
      // and down again, in reverse
      const del = (path: string) => call('DELETE', `/v2.0/${path}`, undefined, who);
      await del(`lb/health_monitors/${hm.id}`);
      await del(`lb/vips/${vip.id}`);
      await del(`lb/members/${member.id}`);
      await del(`lb/pools/${pool.id}`);
      await del(`floatingips/${fip.id}`);
      await del(`ports/${vm.id}`);
      await del(`security-groups/${sg.id}`);
      await call('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: v4.id }, who);
      await del(`routers/${router.id}`);
      await del(`subnets/${v6.id}`);
      await del(`subnets/${v4.id}`);
      await del(`networks/${net.id}`);
    };
    await build(-1); // warm-up
    const before = requests();
    const secs = await timed(TOPOLOGIES, build);
    const made = requests() - before;
    const perTopology = made / TOPOLOGIES;
    const left = app.netcore.db.prepare(`SELECT (SELECT count(*) FROM routers) + (SELECT count(*) FROM floatingips) + (SELECT count(*) FROM pools) + (SELECT count(*) FROM ports) AS n`).get() as { n: number };
    if (left.n !== 0) throw new Error(`${left.n} routers, floating IPs, pools or ports left after the teardowns`);

    // baseline: as many requests, each a plain port create or delete
    const bnet = (await call('POST', '/v2.0/networks', { network: {} }, { project: 'baseline' })).network;
    await call('POST', '/v2.0/subnets', { subnet: { network_id: bnet.id, cidr: '10.0.0.0/16', ip_version: 4 } }, { project: 'baseline' });
    const pairs = Math.round(made / 2);
    const base = await timed(pairs, async () => {
      const p = (await call('POST', '/v2.0/ports', { port: { network_id: bnet.id } }, { project: 'baseline' })).port;
      await call('DELETE', `/v2.0/ports/${p.id}`, undefined, { project: 'baseline' });
    });
    console.log(
      `${TOPOLOGIES} tenant topologies built and torn down (${perTopology.toFixed(0)} requests each, ${IN_FLIGHT} in flight): ${secs.toFixed(1)} s, ` +
        `${(TOPOLOGIES / secs).toFixed(1)} topologies/s, ${(made / secs).toFixed(0)} requests/s`,
    );
    console.log(`  baseline: ${pairs * 2} plain port creates and deletes: ${base.toFixed(1)} s, ${((pairs * 2) / base).toFixed(0)} requests/s; ratio ${(secs / base).toFixed(2)}x`);
  } finally {
    await app.close();
  }
}

async function floatingIps(dir: string): Promise<void> {
  const app = await buildServer({ dbFile: join(dir, 'fips.sqlite') });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { call } = client(url);
    const who = { project: 'fip-tenant' };
    const ext = (await call('POST', '/v2.0/networks', { network: { 'router:external': true } }, ADMIN)).network;
    await call('POST', '/v2.0/subnets', { subnet: { network_id: ext.id, cidr: '100.64.0.0/24', ip_version: 4 } }, ADMIN);
    const net = (await call('POST', '/v2.0/networks', { network: {} }, who)).network;
    const sub = (await call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4 } }, who)).subnet;
    const router = (await call('POST', '/v2.0/routers', { router: { external_gateway_info: { network_id: ext.id } } }, who)).router;
    await call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: sub.id }, who);
    // one floating IP and one VM per worker, so the workers do not contend for one fixed address
    const pairs = await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => ({
        fip: (await call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id } }, who)).floatingip,
        vm: (await call('POST', '/v2.0/ports', { port: { network_id: net.id } }, who)).port,
      })),
    );
    const ops = (label: string, op: (i: number) => Promise<void>) => timed(FIP_OPS, op).then((secs) => ({ label, secs }));
    const assoc = await ops('floating IP associate/disassociate', async (i) => {
      const { fip, vm } = pairs[i % IN_FLIGHT];
      await call('PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: Math.floor(i / IN_FLIGHT) % 2 ? null : vm.id } }, who);
    });
    const base = await ops('port updates', async (i) => {
      const { vm } = pairs[i % IN_FLIGHT];
      await call('PUT', `/v2.0/ports/${vm.id}`, { port: { name: `vm-${i}` } }, who);
    });
    console.log(`floating IP associate/disassociate: ${FIP_OPS} in ${assoc.secs.toFixed(2)} s, ${(FIP_OPS / assoc.secs).toFixed(0)}/s`);
    console.log(`  baseline: ${FIP_OPS} plain port updates: ${(FIP_OPS / base.secs).toFixed(0)}/s; ratio ${(assoc.secs / base.secs).toFixed(2)}x`);
  } finally {
    await app.close();
  }
}

async function metadata(dir: string): Promise<void> {
  const app = await buildServer({ dbFile: join(dir, 'metadata.sqlite'), config: { quotas: { port: -1 } } });
  const plugin = app.netcore.plugin as SqlitePlugin;
  const ctx = (project: string) => ({ projectId: project, isAdmin: false });
  // 100 projects, each with 10.0.0.0/24 behind a router of its own and 100 VM ports: made in-process, it is the lookups that count
  const routers: string[] = [];
  const networks: string[] = [];
  for (let p = 0; p < PROJECTS; p++) {
    const project = `meta-${p}`;
    const [net] = plugin.createNetworks(ctx(project), [{ project_id: project, name: '', description: '', admin_state_up: true, shared: false, 'router:external': false }]);
    const [sub] = plugin.createSubnets(ctx(project), [
      { project_id: project, network_id: net.id, name: '', description: '', ip_version: 4, cidr: '10.0.0.0/24', dns_nameservers: [], host_routes: [], enable_dhcp: true, ipv6_ra_mode: null, ipv6_address_mode: null },
    ]);
    const [router] = plugin.l3.createRouters(ctx(project), [{ project_id: project, name: '', description: '', admin_state_up: true }]);
    plugin.l3.addRouterInterface(ctx(project), router.id, { subnet_id: sub.id });
    plugin.createPorts(
      ctx(project),
      Array.from({ length: PORTS_PER_PROJECT }, (_, i) => ({ project_id: project, network_id: net.id, name: '', description: '', admin_state_up: true, device_id: `vm-${p}-${i}`, device_owner: 'compute:nova' })),
    );
    routers.push(router.id);
    networks.push(net.id);
  }
  // every project holds 10.0.0.2 .. 10.0.0.101: the same addresses, 100 times over
  const query = (i: number) => ({ address: `10.0.0.${2 + ((i * 7) % PORTS_PER_PROJECT)}`, routerId: routers[(i * 13) % PROJECTS] });
  const expected = (i: number) => `vm-${(i * 13) % PROJECTS}-${(i * 7) % PORTS_PER_PROJECT}`;
  const server = await buildMetadataServer({ plugin, sharedSecret: 'bench' });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  const apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const viaHttp = await timed(LOOKUPS, async (i) => {
      const q = query(i);
      const res = await fetch(`${url}/latest/meta-data/instance-id`, { headers: { 'x-forwarded-for': q.address, 'x-neutron-router-id': q.routerId } });
      const body = (await res.json()) as { instance_id?: string };
      if (body.instance_id !== expected(i)) throw new Error(`lookup ${i}: ${JSON.stringify(body)}`);
    });
    // the public API's nearest request: the ports with the address on the router's network (one request, the network known)
    const viaApi = await timed(LOOKUPS, async (i) => {
      const q = query(i);
      const res = await fetch(`${apiUrl}/v2.0/ports?network_id=${networks[(i * 13) % PROJECTS]}&fixed_ips=ip_address%3D${q.address}`, { headers: { 'x-project-id': 'bench-admin', 'x-roles': 'admin' } });
      const body = (await res.json()) as { ports: { device_id: string }[] };
      if (body.ports[0]?.device_id !== expected(i)) throw new Error(`API lookup ${i}: ${JSON.stringify(body)}`);
    });
    const direct = (lookup: (q: ReturnType<typeof query>) => unknown) => {
      const t0 = performance.now();
      for (let i = 0; i < LOOKUPS; i++) if ((lookup(query(i)) as { instance_id: string }).instance_id !== expected(i)) throw new Error(`direct lookup ${i}`);
      return (performance.now() - t0) / 1000;
    };
    const sqlite = direct((q) => plugin.metadata.findInstance(q));
    // the plan SQLite picks by itself for the address lookup: the address index first, every project holding it
    const addressFirst = app.netcore.db.prepare(
      `SELECT p.device_id AS instance_id FROM subnets s JOIN ipallocations a ON a.subnet_id = s.id AND a.ip_address = ? JOIN ports p ON p.id = a.port_id
       WHERE s.network_id IN (SELECT value FROM json_each(?))`,
    );
    const routerNetworks = app.netcore.db.prepare(`SELECT DISTINCT p.network_id FROM routerports rp JOIN ports p ON p.id = rp.port_id WHERE rp.router_id = ? AND rp.port_type = 'network:router_interface'`);
    const naive = direct((q) => addressFirst.get(q.address, JSON.stringify((routerNetworks.all(q.routerId) as { network_id: string }[]).map((r) => r.network_id))));
    const core = coreMetadata(plugin);
    const t0 = performance.now();
    for (let i = 0; i < LOOKUPS; i++) if ((await core.findInstance(query(i))).instance_id !== expected(i)) throw new Error(`core lookup ${i}`);
    const viaCore = (performance.now() - t0) / 1000;
    const ports = (app.netcore.db.prepare('SELECT count(*) AS n FROM ports').get() as { n: number }).n;
    console.log(`metadata lookups over the listener (${ports} ports, ${PROJECTS} projects on one CIDR, ${IN_FLIGHT} in flight): ${(LOOKUPS / viaHttp).toFixed(0)}/s`);
    console.log(`  baseline: the public API's port query for each (network known, one request): ${(LOOKUPS / viaApi).toFixed(0)}/s (ratio ${(viaHttp / viaApi).toFixed(2)}x)`);
    console.log(`  baseline: the same lookups directly on SQLite: ${(LOOKUPS / sqlite).toFixed(0)}/s (ratio ${(viaHttp / sqlite).toFixed(1)}x); through the core API in-process: ${(LOOKUPS / viaCore).toFixed(0)}/s`);
    console.log(`  the address index first (SQLite's own plan, every project holding the address): ${(LOOKUPS / naive).toFixed(0)}/s, ${(naive / sqlite).toFixed(1)}x slower than the lookup's plan`);
  } finally {
    await server.close();
    await app.close();
  }
}

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'netcore-services-bench-'));
  try {
    await metadata(dir);
    await floatingIps(dir);
    await topologies(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
