// checks: from a pull_request event to its last check run completed, for the fixture with two plugins (the
// fixture's netbot writes realistic reports), cold (first install of its lockfile) and warm (cached), beside what
// the build and the suites themselves took in the same run; and the app's own overhead per run (all but install,
// build and suites: the handler, GitHub calls, the queue, fetch and unpack, the cache, the reports).
// The app runs in process with its real worker loop, GitHub is nock-mocked, the suites run in bubblewrap.
import nock from 'nock';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { observeRunJobs } from '../src/checks/index.js';
import type { RunJobResult } from '../src/checks/job.js';
import { lockfileIds } from '../src/checks/runner/cache.js';
import { sandboxAvailable } from '../src/checks/runner/sandbox.js';
import { registerCoreHandlers } from '../src/core/handlers.js';
import { createServices, ROOMS } from '../src/services.js';
import { failingCase, FIXTURE_LOCKFILE, fixtureTarball } from './support/checks-fixture.js';
import { benchProbot, example } from './support/probot.js';

const WARM_RUNS = Number(process.env.BENCH_CHECKS_RUNS ?? 5);
const RUNS_PER_EVENT = 2; // conformance (sqlite), conformance (journal); the migration test is skipped by the plan

interface Measure {
  eventToDoneMs: number;
  job: RunJobResult;
  /** What the suites say they took (their reports' duration_ms). */
  reportedMs: number;
}

export default async function main(): Promise<void> {
  if (!sandboxAvailable()) {
    console.log('bubblewrap is not available here: the checks bench needs it (apt-get install bubblewrap)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'netbot-checks-bench-'));
  process.env.NETBOT_CHECKS_DIR = dir;
  const tarball = await fixtureTarball({ suites: { 'conformance:journal': { mode: 'report', fail: [failingCase('journal')] } } });
  const blob = lockfileIds(FIXTURE_LOCKFILE).blob;
  let completions = 0;
  let onCompletion: (() => void) | undefined;
  const calls = new Map<string, number>();
  const count = (route: string) => calls.set(route, (calls.get(route) ?? 0) + 1);
  nock.disableNetConnect();
  nock('https://api.github.com')
    .persist()
    .post(/\/app\/installations\/\d+\/access_tokens/)
    .reply(200, { token: 'bench-token', expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {} })
    .get(/\/contents\/\.github%2Fnetbot\.yml/)
    .reply(200, 'checks:\n  plugins: [sqlite, journal]\n', { 'content-type': 'application/vnd.github.v3.raw; charset=utf-8' })
    .get(/\/pulls\/\d+\/files/)
    .reply(() => (count('GET files'), [200, [{ filename: 'src/netcore/ipam/pools.ts', status: 'modified' }]]))
    .get(/\/tarball\//)
    .reply(() => (count('GET tarball'), [200, tarball, { 'content-type': 'application/x-gzip' }]))
    .get(/\/contents\/package-lock\.json/)
    .reply(() => (count('GET lockfile'), [200, { type: 'file', sha: blob }]))
    .post(/\/check-runs$/)
    .reply((_uri, body: any) => (count('POST check-runs'), [201, { id: 9000 + Math.floor(Math.random() * 1e6), name: body.name }]))
    .patch(/\/check-runs\/\d+$/)
    .reply((_uri, body: any) => {
      count('PATCH check-runs');
      if (body.conclusion) {
        completions++;
        onCompletion?.();
      }
      return [200, { id: 1 }];
    });

  const services = await createServices(':memory:');
  const checks = ROOMS.find((r) => r.name === 'checks')!;
  const probot = await benchProbot((app, options) => {
    services.octokitFor = async (id) => (await app.auth(id)) as any;
    registerCoreHandlers(app, services);
    checks.register(app, services, options);
  });
  let lastJob: RunJobResult | undefined;
  observeRunJobs(services, (result) => void (lastJob = result));
  services.runner.start({ pollMs: 1000 }); // the app's own worker loop: an enqueue wakes it

  let seq = 0;
  async function measure(): Promise<Measure> {
    const sha = (++seq).toString(16).padStart(40, 'a');
    const target = completions + RUNS_PER_EVENT;
    const done = new Promise<void>((resolve) => (onCompletion = () => completions >= target && resolve()));
    const event = example('pull_request', 'opened', (p) => {
      p.number = p.pull_request.number = 100 + seq;
      p.pull_request.head.sha = sha;
      p.pull_request.author_association = 'MEMBER';
    });
    const t0 = performance.now();
    await probot.receive({ id: `bench-${seq}`, ...event } as any);
    await done;
    const eventToDoneMs = performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 50)); // the job's own end (after its last write)
    const job = lastJob!;
    return { eventToDoneMs, job, reportedMs: job.outcomes.reduce((n, o) => n + (o.report?.duration_ms ?? 0), 0) };
  }

  const line = (label: string, m: Measure) => {
    const t = m.job.times;
    const work = t.installMs + t.buildMs + t.suitesMs;
    const overhead = m.eventToDoneMs - work;
    return `${label}: event -> last check completed ${ms(m.eventToDoneMs)}; install ${t.installCached ? 'cached' : ms(t.installMs)}, build ${ms(t.buildMs)}, suites ${ms(t.suitesMs)} (their reports say ${ms(m.reportedMs)}); ` +
      `over build + suites ${ms(m.eventToDoneMs - t.buildMs - t.suitesMs)}; app overhead ${ms(overhead)} (${ms(overhead / RUNS_PER_EVENT)} per check run)`;
  };

  try {
    const cold = await measure();
    console.log(line('cold (first install of the lockfile)', cold));
    const warm: Measure[] = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push(await measure());
    warm.sort((a, b) => a.eventToDoneMs - b.eventToDoneMs);
    const median = warm[Math.floor(warm.length / 2)]!;
    console.log(line(`warm (lockfile cached), median of ${WARM_RUNS}`, median));
    const overheads = warm.map((m) => m.eventToDoneMs - m.job.times.installMs - m.job.times.buildMs - m.job.times.suitesMs).sort((a, b) => a - b);
    const excess = warm.map((m) => m.eventToDoneMs - m.job.times.buildMs - m.job.times.suitesMs).sort((a, b) => a - b);
    console.log(`  warm, event-to-completed over build + suites: median ${ms(excess[Math.floor(excess.length / 2)]!)}, max ${ms(excess.at(-1)!)} (goal < 2 s)`);
    console.log(`  warm, app overhead per check run: median ${ms(overheads[Math.floor(overheads.length / 2)]! / RUNS_PER_EVENT)}, max ${ms(overheads.at(-1)! / RUNS_PER_EVENT)} (goal < 1 s)`);
    const t = median.job.times;
    console.log(`  where the overhead goes (warm median): fetch ${ms(t.fetchMs)}, unpack ${ms(t.unpackMs)}, pipeline total ${ms(t.totalMs)} of ${ms(median.eventToDoneMs)}`);
    console.log(`  GitHub calls over ${1 + WARM_RUNS} events: ${[...calls].map(([r, n]) => `${r} x${n}`).join(', ')}`);
  } finally {
    await services.close();
    nock.cleanAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
