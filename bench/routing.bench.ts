// routing: the pure decision on a generated 3,000-file pull request (every file with a patch), and the
// GitHub calls netbot's routing makes for one pull_request.opened of 40 files (nock-mocked GitHub).
import nock from 'nock';
import picomatch from 'picomatch';
import { performance } from 'node:perf_hooks';
import { parseConfig, type NetbotConfig } from '../src/config.js';
import { decideRouting } from '../src/routing/decide.js';
import { routingRoom } from '../src/routing/index.js';
import type { ChangedFile } from '../src/routing/subteams.js';
import { createServices } from '../src/services.js';
import { fakeGitHub } from './support/fake-github.js';
import { benchProbot, example } from './support/probot.js';

const RUNS = Number(process.env.BENCH_ROUTING_RUNS ?? 60);

const PEOPLE = {
  l3: { leads: ['carl-baldwin'], backups: ['amuller', 'kevinbenton'] },
  db: { leads: ['zzzeek'], backups: ['ihrachys', 'annp'] },
  lbaas: { leads: ['dougwig'], backups: ['blogan'] },
  ipv6: { leads: ['sc68cal'], backups: ['baoli', 'xuhanp'] },
};

/** The default subteams (paths and keywords) with people in them. */
function configWithPeople(): NetbotConfig {
  const base = parseConfig({});
  if (!base.ok) throw new Error('default config does not validate');
  const subteams = Object.fromEntries(Object.entries(base.config.subteams).map(([k, t]) => [k, { ...t, ...PEOPLE[k as keyof typeof PEOPLE] }]));
  const result = parseConfig({ subteams, routing: { maxOpenReviews: 5 } });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

/** 3,000 files across the tree; most are generic, with realistic multi-hunk patches to scan. */
function bigPullRequest(n: number): ChangedFile[] {
  const dirs = ['src/netcore/api', 'src/netcore/plugins/acme', 'docs', 'src/netcore/segments', 'test/netcore', 'src/netcore/l3', 'src/netcore/db/migrations', 'src/netcore/lbaas'];
  return Array.from({ length: n }, (_, i) => {
    const body = Array.from({ length: 12 }, (_, j) => `${j % 3 === 0 ? '-' : '+'}  const value_${i}_${j} = compute(network, ${j}); // keep ports in sync`);
    const tail = i % 97 === 0 ? ['+  addr = "2001:db8::' + (i % 65535).toString(16) + '"'] : [];
    return {
      filename: `${dirs[i % dirs.length]}/module_${i}.ts`,
      status: i % 50 === 0 ? 'renamed' : 'modified',
      ...(i % 50 === 0 ? { previous_filename: `src/netcore/old/module_${i}.ts` } : {}),
      patch: `@@ -1,20 +1,24 @@ export function handler() {\n context\n${[...body, ...tail].join('\n')}\n context`,
    };
  });
}

function decisionTime(): void {
  const config = configWithPeople();
  const files = bigPullRequest(3000);
  const input = {
    files,
    labels: ['area/lbaas'],
    config,
    author: 'newcomer',
    load: new Map([['zzzeek', 5]]),
    vacation: new Set<string>(),
    alreadyRequested: [],
    alreadyReviewed: [],
    humanRemoved: new Set<string>(),
    seed: 1,
  };
  const first = performance.now();
  const decision = decideRouting(input);
  const firstMs = performance.now() - first;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    decideRouting({ ...input, seed: i });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`pure decision, 3,000 files with patches (${RUNS} runs): median ${median.toFixed(2)} ms, min ${times[0]!.toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms; first run (globs compiled) ${firstMs.toFixed(2)} ms`);
  // Baseline in the same run: only matching each file name against each subteam's globs (no diffs, no reasons).
  const matchers = Object.values(config.subteams).map((t) => picomatch(t.paths));
  const baseTimes: number[] = [];
  let hits = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    for (const f of files) for (const m of matchers) if (m(f.filename)) hits++;
    baseTimes.push(performance.now() - t0);
  }
  baseTimes.sort((a, b) => a - b);
  const baseMedian = baseTimes[Math.floor(baseTimes.length / 2)]!;
  console.log(`baseline: globs only over the same 3,000 names: median ${baseMedian.toFixed(2)} ms (${hits / RUNS} matches); ratio decision / baseline ${(median / baseMedian).toFixed(1)}x`);
  console.log(`  -> subteams ${decision.subteams.map((s) => s.key).join(', ')}; requests ${decision.requests.map((r) => `${r.login} (${r.reason})`).join(', ')}`);
}

async function callsPerOpenedEvent(): Promise<void> {
  const yaml = JSON.stringify({ subteams: configWithPeople().subteams });
  let configFetches = 0;
  let tokenFetches = 0;
  // Registered before the fake GitHub so these answer first: the repository's config, and token requests (counted).
  const first = nock('https://api.github.com')
    .persist()
    .get(/\/contents\//)
    .reply(() => (configFetches++, [200, yaml, { 'content-type': 'application/vnd.github.v3.raw; charset=utf-8' }]))
    .post(/\/app\/installations\/\d+\/access_tokens/)
    .reply(() => (tokenFetches++, [200, { token: 'bench-token', expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {} }]));
  const github = fakeGitHub({ prFiles: 40 });
  try {
    const services = await createServices(':memory:');
    const probot = await benchProbot((app, options) => routingRoom.register(app, services, options));
    const opened = (n: number) => example('pull_request', 'opened', (p) => ((p.number = n), (p.pull_request.number = n), (p.pull_request.draft = false), (p.pull_request.comments = 0), (p.pull_request.requested_reviewers = [])));
    // Warm-up on another pull request: the first event also lists and creates the repository's area labels (once per process).
    await probot.receive({ id: 'warm', ...opened(1) } as any);
    const warm = new Map(github.calls);
    github.reset();
    const [configBefore, tokensBefore] = [configFetches, tokenFetches];
    await probot.receive({ id: 'measured', ...opened(2) } as any);
    const routes = [...github.calls].map(([route, n]) => `${route} x${n}`).join(', ');
    console.log(`GitHub calls for one pull_request.opened of 40 files (labels already ensured): ${github.total()} (target <= 4): ${routes}`);
    console.log(`  plus token ${tokenFetches - tokensBefore} and config ${configFetches - configBefore} fetches on this event (both cached after the first event: ${tokensBefore} token, ${configBefore} config)`);
    console.log(`  first event in a fresh process: ${[...warm.values()].reduce((a, b) => a + b, 0)} calls (${[...warm].map(([r, n]) => `${r} x${n}`).join(', ')})`);
  } finally {
    github.stop();
    first.persist(false);
    nock.cleanAll();
  }
}

export default async function main(): Promise<void> {
  decisionTime();
  await callsPerOpenedEvent();
}
