import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tar from 'tar';
import { ALL_CASES } from '../../src/netcore/conformance/cases/index.js';
import { MIGRATIONS } from '../../src/netcore/db/migrations/index.js';
import type { Case, Report } from '../../src/netcore/report.js';

/** How the fixture's `netbot` behaves for one suite run. */
export type SuiteBehaviour =
  | { mode: 'report'; fail?: string[]; exitCode?: number }
  | { mode: 'malformed' }
  | { mode: 'not-json' }
  | { mode: 'silent' }
  | { mode: 'hang' }
  | { mode: 'flood' }
  | { mode: 'symlink'; target: string }
  | { mode: 'probe' };

/** What a hostile pull request tries from inside the sandbox (each must fail there). */
export interface Probes {
  files: string[];
  env: string[];
  connect: { host: string; port: number }[];
}

export interface FixtureOptions {
  /** Behaviour per suite key (`conformance:sqlite`, `migrations`); default: every case passes. */
  suites?: Record<string, SuiteBehaviour>;
  /** package.json scripts (build defaults to writing lib/built.json). */
  scripts?: Record<string, string>;
  /** A different lockfile (a pull request that changes it); default: the fixture's own. */
  lockfile?: string;
  /** package.json dependencies (the default lockfile has none: npm ci then refuses them). */
  dependencies?: Record<string, string>;
  files?: Record<string, string>;
  /** What the probes try (see `probe` suites, and `postinstall: node probe.mjs install`). */
  probes?: Probes;
}

/** The case ids a real run reports, per suite: conformance's from the suite itself, migrations' per step. */
export function realCases(suite: 'conformance' | 'migrations', group: string): Case[] {
  if (suite === 'conformance') {
    const picked = [...ALL_CASES.slice(0, 23), ALL_CASES.find((c) => c.id.startsWith('ipam.'))!];
    return picked.map((c) => ({ id: `${group}/${c.id}`, title: c.title, group, status: 'passed', duration_ms: 3.2, location: c.location }));
  }
  return MIGRATIONS.map((m) => ({ id: `step/${m.id}`, title: `${m.id} upgrades and keeps rows`, group: 'steps', status: 'passed' as const, duration_ms: 12.5 }));
}

export const FIXTURE_LOCKFILE = JSON.stringify({ name: 'netbot', version: '0.1.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'netbot', version: '0.1.0' } } }, null, 2) + '\n';

/** The fixture's `netbot`: reads the behaviour for the suite it is asked to run and writes a report as netbot does. */
const BIN = `#!/usr/bin/env node
import { existsSync, readFileSync, writeFileSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
const args = process.argv.slice(2);
const json = args[args.indexOf('--json') + 1];
const suite = args[0] === 'migrations' ? 'migrations' : 'conformance';
const key = suite === 'migrations' ? 'migrations' : 'conformance:' + args[args.indexOf('--plugin') + 1];
if (!existsSync(new URL('../lib/built.json', import.meta.url))) { console.error('not built'); process.exit(2); }
const fixture = JSON.parse(readFileSync(new URL('../fixture.json', import.meta.url), 'utf8'));
const behaviour = fixture.suites[key] ?? { mode: 'report' };
const cases = fixture.cases[key] ?? [];
const report = (list) => ({ suite, tool: 'netbot', version: '0.1.0', started_at: new Date().toISOString(), duration_ms: 40,
  summary: { passed: list.filter((c) => c.status === 'passed').length, failed: list.filter((c) => c.status === 'failed').length, skipped: list.filter((c) => c.status === 'skipped').length },
  cases: list });
console.log('running ' + key);
if (behaviour.mode === 'report') {
  const list = cases.map((c) => (behaviour.fail ?? []).includes(c.id) ? { ...c, status: 'failed', message: 'POST /v2.0/ports answered 409: IpAddressInUse\\nexpected 201' } : c);
  writeFileSync(json, JSON.stringify(report(list)));
  process.exit(behaviour.exitCode ?? (list.some((c) => c.status === 'failed') ? 1 : 0));
}
if (behaviour.mode === 'malformed') { writeFileSync(json, JSON.stringify({ suite, tool: 'netbot', cases: [{ id: 1 }] })); process.exit(0); }
if (behaviour.mode === 'not-json') { writeFileSync(json, '{"suite": "conformance", '); process.exit(0); }
if (behaviour.mode === 'silent') process.exit(0);
if (behaviour.mode === 'hang') setInterval(() => {}, 1000);
if (behaviour.mode === 'flood') { const line = 'x'.repeat(1023) + '\\n'; const go = () => { while (process.stdout.write(line)); process.stdout.once('drain', go); }; go(); }
if (behaviour.mode === 'symlink') { symlinkSync(behaviour.target, json); process.exit(0); }
if (behaviour.mode === 'probe') {
  const { probe } = await import('../probe.mjs');
  const results = await probe(fixture.probes);
  const install = new URL('../node_modules/probe-install.json', import.meta.url);
  if (existsSync(install)) results.push(...JSON.parse(readFileSync(install, 'utf8')).map((r) => ({ ...r, id: 'install ' + r.id })));
  else results.push({ id: 'install probes', got: 'the install step did not run the probes' });
  const list = results.map((r) => ({ id: r.id, title: r.id, group: 'escape', status: r.got === undefined ? 'passed' : 'failed', duration_ms: 1, message: r.got === undefined ? 'blocked: ' + r.blocked : 'ESCAPED: ' + r.got }));
  writeFileSync(json, JSON.stringify(report(list)));
  process.exit(0);
}
`;

/** What a hostile pull request runs, in the install step (postinstall), in its suite, or (to prove the probes work) outside. */
const PROBE = `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
const attempt = (id, host, port, first) => new Promise((resolve) => {
  const socket = connect({ host, port, timeout: 2000 });
  socket.on('connect', () => {
    if (!first) { socket.destroy(); return resolve({ id, got: 'connected' }); }
    socket.write(first);
    socket.once('data', (d) => { socket.destroy(); const line = d.toString().split('\\r\\n')[0]; resolve(/ 200 /.test(line) ? { id, got: line } : { id, blocked: line }); });
  });
  socket.on('timeout', () => { socket.destroy(); resolve({ id, blocked: 'timeout' }); });
  socket.on('error', (e) => resolve({ id, blocked: e.code }));
});
export async function probe(probes) {
  const results = [];
  for (const file of probes.files) {
    try { results.push({ id: 'read ' + file, got: readFileSync(file, 'utf8').slice(0, 200) }); }
    catch (e) { results.push({ id: 'read ' + file, blocked: e.code }); }
  }
  for (const name of probes.env) results.push(process.env[name] === undefined ? { id: 'env ' + name, blocked: 'unset' } : { id: 'env ' + name, got: process.env[name] });
  for (const { host, port } of probes.connect) {
    results.push(await attempt('connect ' + host + ':' + port, host, port));
    // Through the install step's registry proxy, when there is one: only the registry is allowed.
    const proxy = process.env.npm_config_https_proxy && new URL(process.env.npm_config_https_proxy);
    if (proxy) results.push(await attempt('tunnel to ' + host + ':' + port, proxy.hostname, Number(proxy.port), 'CONNECT ' + host + ':' + port + ' HTTP/1.1\\r\\nHost: ' + host + '\\r\\n\\r\\n'));
  }
  return results;
}
const fixture = JSON.parse(readFileSync(new URL('./fixture.json', import.meta.url), 'utf8'));
if (process.argv[2] === 'install') {
  mkdirSync('node_modules', { recursive: true });
  writeFileSync('node_modules/probe-install.json', JSON.stringify(await probe(fixture.probes)));
}
if (process.argv[2] === 'print') console.log(JSON.stringify(await probe(fixture.probes)));
`;

/** Builds the fixture's tree in a folder (for the CLI and the real-process tests). */
export function writeFixtureTree(dir: string, opts: FixtureOptions = {}): void {
  const suites = opts.suites ?? {};
  const keys = new Set(['conformance:sqlite', 'conformance:journal', 'migrations', ...Object.keys(suites)]);
  const cases: Record<string, Case[]> = {};
  for (const key of keys) cases[key] = key === 'migrations' ? realCases('migrations', 'steps') : realCases('conformance', key.split(':')[1]!);
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'netbot', version: '0.1.0', type: 'module', bin: { netbot: './bin/netbot.js' }, scripts: { build: 'node build.js', ...opts.scripts }, dependencies: opts.dependencies }, null, 2),
    'package-lock.json': opts.lockfile ?? FIXTURE_LOCKFILE,
    'bin/netbot.js': BIN,
    'build.js': "import { mkdirSync, writeFileSync } from 'node:fs';\nmkdirSync('lib', { recursive: true });\nwriteFileSync('lib/built.json', '{}');\n",
    'fixture.json': JSON.stringify({ suites, cases, probes: opts.probes ?? { files: [], env: [], connect: [] } }),
    'probe.mjs': PROBE,
    'src/netcore/conformance/cases/ipam.ts': '// the cases live here in the real tree\n'.repeat(400),
    'src/netcore/conformance/cases/networks.ts': '// the cases live here in the real tree\n'.repeat(400),
    'src/netcore/conformance/cases/errors.ts': '// the cases live here in the real tree\n'.repeat(400),
    'README.md': '# fixture\n',
    ...opts.files,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** The fixture as GitHub's tarball API serves a commit: gzipped, under an `owner-repo-sha/` folder. */
export async function fixtureTarball(opts: FixtureOptions = {}, prefix = 'Codertocat-Hello-World-0d1a26e'): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'netbot-fixture-'));
  try {
    writeFixtureTree(join(dir, prefix), opts);
    return await tarOf(dir, prefix);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A gzipped tarball of `dir/prefix` (its paths start with `prefix/`). */
export async function tarOf(dir: string, prefix: string, filter?: (path: string) => boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = tar.c({ gzip: true, cwd: dir, portable: true, filter: filter && ((path) => filter(path)) }, [prefix]);
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export const failingCase = (plugin: string) => `${plugin}/${ALL_CASES.find((c) => c.id.startsWith('ipam.'))!.id}`;
export type { Report };
