// netbot receiving a realistic mix of webhooks, beside bare Probot apps receiving the same events in the same
// run: in one process against a nock-mocked GitHub, on SQLite and on PostgreSQL; then as one and two app
// processes serving webhooks over HTTP against a fake GitHub on loopback (PostgreSQL shared by the two).
import { sign } from '@octokit/webhooks-methods';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Probot } from 'probot';
import { createApp } from '../src/index.js';
import { createServices } from '../src/services.js';
import { fakeGitHub } from './support/fake-github.js';
import { FakeGitHub } from './support/github-server.js';
import { benchProbot, example } from './support/probot.js';

const EVENTS = Number(process.env.BENCH_APP_EVENTS ?? 1500);
const HTTP_EVENTS = Number(process.env.BENCH_APP_HTTP_EVENTS ?? 800);
const POSTGRES = process.env.NETBOT_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The examples' Codertocat/Hello-World carries three repository ids over the years: the mix is about one repository. */
const REPO_ID = 186853002;

function mix() {
  const bug = 'The router gateway port keeps its old IP after the subnet is updated.\n\nSteps to reproduce:\n1. create a router\n2. update the subnet\n\nExpected: new gateway IP. Actual: old one.';
  const events = [
    example('issues', 'opened', (p) => ((p.issue.body = bug), (p.issue.comments = 0))),
    example('issues', 'edited', (p) => (p.issue.body = bug)),
    example('issue_comment', 'created', (p) => (p.comment.body = 'Thanks! I can reproduce this on master.')),
    example('issue_comment', 'created', (p) => (p.comment.body = '/claim')),
    example('pull_request', 'opened', (p) => ((p.pull_request.draft = false), (p.pull_request.comments = 0))),
    example('pull_request', 'synchronize'),
    example('pull_request_review', 'submitted'),
    example('push'),
  ];
  for (const { payload } of events) payload.repository.id = REPO_ID;
  return events;
}

/**
 * Event `i` of the run: a fresh copy, as each webhook is a new object (per-event caches must not be flattered),
 * about one of 64 issues and pull requests (a repository's events are not all about one issue: with several
 * processes, events about the same issue wait for each other, by design).
 */
const eventCopies = (count: number) => {
  const events = mix();
  return Array.from({ length: count }, (_, i) => {
    const event = structuredClone(events[i % events.length]!);
    const number = 1 + (Math.floor(i / events.length) % 64);
    const payload = event.payload as { number?: number; issue?: { number: number }; pull_request?: { number: number } };
    if (payload.issue) payload.issue.number = number;
    if (payload.pull_request) payload.pull_request.number = number;
    if (payload.number !== undefined) payload.number = number;
    return event;
  });
};

interface Figures {
  perSecond: number;
  meanMs: number;
  /** CPU time (user + system) per event: unlike wall time, hardly moved by other work on the machine. */
  cpuMs?: number;
}

function line(label: string, f: Figures, extra = '') {
  const cpu = f.cpuMs === undefined ? '' : `  ${f.cpuMs.toFixed(3)} ms CPU/event`;
  console.log(`  ${label.padEnd(46)} ${f.perSecond.toFixed(0).padStart(7)} events/s  ${f.meanMs.toFixed(3)} ms/event${cpu}${extra}`);
}

async function measure(probot: Probot, prefix: string, afterWarmUp: () => void = () => {}): Promise<Figures> {
  const warm = eventCopies(100);
  for (let i = 0; i < warm.length; i++) await probot.receive({ id: `${prefix}-warm-${i}`, ...warm[i]! } as any);
  afterWarmUp();
  const events = eventCopies(EVENTS);
  let failures = 0;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i++) {
    try {
      await probot.receive({ id: `${prefix}-${i}`, ...events[i]! } as any);
    } catch {
      failures++; // counted and shown: figures from failing handlers would flatter the app
    }
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  if (failures) console.log(`  (${prefix}: ${failures} events failed)`);
  return { perSecond: (EVENTS / ms) * 1000, meanMs: ms / EVENTS, cpuMs: (used.user + used.system) / 1000 / EVENTS };
}

/** A bare app that makes, for event i, exactly the GitHub requests netbot made for event i (same routes, same bodies). */
function replayingApp(requests: { method: string; path: string; body: unknown }[][]): (app: Probot) => void {
  return (app) =>
    app.onAny(async (context: any) => {
      const i = Number(String(context.id).split('-').pop());
      for (const r of requests[i] ?? []) {
        await context.octokit.request({ method: r.method, url: r.path, ...(r.body && typeof r.body === 'object' && !Array.isArray(r.body) ? r.body : {}) });
      }
    });
}

async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: POSTGRES, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const name = `netbot_bench_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: POSTGRES });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function inProcess(): Promise<void> {
  const github = fakeGitHub();
  const databases: { drop(): Promise<void> }[] = [];
  try {
    console.log(`in one process, GitHub mocked by nock: ${EVENTS} events (issues opened/edited, comments (one a /claim), PR opened/synchronize, review, push)`);
    const bare = await measure(await benchProbot((app) => app.onAny(async () => {})), 'bare');
    line('bare Probot (no-op handler)', bare);

    const sqlite = await createServices(':memory:');
    // No job worker: the figures are the webhook path's alone.
    const onSqlite = await measure(await benchProbot(createApp({ services: sqlite, worker: false })), 'sqlite', github.reset);
    const perEvent: { method: string; path: string; body: unknown }[][] = [];
    // Which requests each event made: the log, cut where the next event's delivery begins (replayed in order).
    {
      const events = eventCopies(EVENTS);
      github.reset();
      const probot = await benchProbot(createApp({ services: await createServices(':memory:'), worker: false }));
      for (let i = 0; i < 100; i++) await probot.receive({ id: `rec-warm-${i}`, ...eventCopies(100)[i]! } as any);
      github.reset();
      for (let i = 0; i < EVENTS; i++) {
        const from = github.log.length;
        await probot.receive({ id: `rec-${i}`, ...events[i]! } as any).catch(() => {});
        perEvent.push(github.log.slice(from));
      }
    }
    const calls = perEvent.reduce((n, r) => n + r.length, 0) / EVENTS;
    line('netbot on SQLite', onSqlite, `  ${calls.toFixed(2)} GitHub calls/event`);

    const db = await postgresDatabase();
    let onPostgres: Figures | undefined;
    if (db) {
      databases.push(db);
      const services = await createServices(db.url);
      onPostgres = await measure(await benchProbot(createApp({ services, worker: false })), 'postgres');
      line('netbot on PostgreSQL', onPostgres, `  ${calls.toFixed(2)} GitHub calls/event`);
      await services.close();
    } else console.log('  netbot on PostgreSQL: skipped (no PostgreSQL at NETBOT_BENCH_POSTGRES)');

    const same = await measure(await benchProbot(replayingApp(perEvent)), 'same');
    line('bare Probot making the same GitHub calls', same);
    console.log(`  ratio netbot on SQLite / bare Probot making the same calls:      ${(onSqlite.meanMs / same.meanMs).toFixed(2)}x wall, ${(onSqlite.cpuMs! / same.cpuMs!).toFixed(2)}x CPU  (goal: toward 1.3x)`);
    if (onPostgres) console.log(`  ratio netbot on PostgreSQL / bare Probot making the same calls:  ${(onPostgres.meanMs / same.meanMs).toFixed(2)}x wall, ${(onPostgres.cpuMs! / same.cpuMs!).toFixed(2)}x CPU`);
    console.log(`  ratio netbot on SQLite / bare Probot (no-op):                    ${(onSqlite.meanMs / bare.meanMs).toFixed(2)}x`);
  } finally {
    github.stop();
    for (const db of databases) await db.drop();
  }
}

const here = dirname(fileURLToPath(import.meta.url));
const SECRET = 'bench-secret';

/** An app process (support/app-process.js): netbot, or a bare Probot with a no-op handler. */
async function startProcess(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(here, 'support/app-process.js')], { env: { ...process.env, WEBHOOK_SECRET: SECRET, NETBOT_WORKER: 'false', ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((ok, fail) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (l) => (lines.close(), ok(l)));
    child.once('exit', (code) => fail(new Error(`app process exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${(JSON.parse(first) as { port: number }).port}`, child };
}

/** Delivers the mix over HTTP (signed), 16 at a time, round-robin over the processes. */
async function deliverAll(urls: string[], prefix: string, count: number): Promise<Figures> {
  const events = eventCopies(count).map((e) => ({ name: e.name, body: JSON.stringify(e.payload) }));
  const signatures = await Promise.all(events.map((e) => sign(SECRET, e.body)));
  let next = 0;
  let failed = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (next < events.length) {
      const i = next++;
      const res = await fetch(`${urls[i % urls.length]}/api/github/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-event': events[i]!.name, 'x-github-delivery': `${prefix}-${i}`, 'x-hub-signature-256': signatures[i]! },
        body: events[i]!.body,
      });
      await res.text();
      if (res.status >= 300) failed++;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (failed) console.log(`  (${prefix}: ${failed} deliveries failed)`);
  return { perSecond: (count / ms) * 1000, meanMs: ms / count };
}

async function processes(): Promise<void> {
  const github = await new FakeGitHub().start();
  const children: ChildProcess[] = [];
  const databases: { drop(): Promise<void> }[] = [];
  try {
    console.log(`\nas app processes over HTTP (signed webhooks, 16 in flight), GitHub faked on loopback: ${HTTP_EVENTS} events`);
    const run = async (label: string, envs: Record<string, string>[], prefix: string) => {
      const apps = await Promise.all(envs.map((env) => startProcess({ GITHUB_API: github.url, ...env })));
      children.push(...apps.map((a) => a.child));
      await deliverAll(apps.map((a) => a.url), `${prefix}-warm`, 100);
      const before = github.calls.length;
      const figures = await deliverAll(apps.map((a) => a.url), prefix, HTTP_EVENTS);
      const calls = (github.calls.length - before) / HTTP_EVENTS;
      line(label, figures, `  ${calls.toFixed(2)} GitHub calls/event`);
      for (const a of apps) a.child.kill();
      return figures;
    };
    const bare = await run('bare Probot process (no-op handler)', [{ NETBOT_BARE: 'true' }], 'bare');
    const dir = mkdtempSync(join(tmpdir(), 'netbot-bench-'));
    const sqlite = await run('netbot, 1 process on SQLite', [{ NETBOT_DB: join(dir, 'one.sqlite') }], 'sqlite1');
    // A fresh database for each run: a run must not find the last one's comments and labels in place.
    const first = await postgresDatabase();
    const second = first && (await postgresDatabase());
    if (first && second) {
      databases.push(first, second);
      const one = await run('netbot, 1 process on PostgreSQL', [{ DATABASE_URL: first.url }], 'pg1');
      const two = await run('netbot, 2 processes on one PostgreSQL', [{ DATABASE_URL: second.url }, { DATABASE_URL: second.url }], 'pg2');
      console.log(`  2 processes / 1 process on PostgreSQL, events/s:  ${(two.perSecond / one.perSecond).toFixed(2)}x (two cores on this machine)`);
    } else console.log('  PostgreSQL processes: skipped (no PostgreSQL at NETBOT_BENCH_POSTGRES)');
    console.log(`  netbot on SQLite / bare Probot process, ms per event:  ${(sqlite.meanMs / bare.meanMs).toFixed(2)}x`);
  } finally {
    for (const c of children) c.kill();
    await github.stop();
    for (const db of databases) await db.drop();
  }
}

export default async function main(): Promise<void> {
  await inProcess();
  await processes();
}
