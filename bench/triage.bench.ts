// Triage: classification throughput (decideAreas + scoreLowHangingFruit, pure) over a seeded corpus of
// generated bug texts, and GitHub calls per issues.opened event for a low-hanging-fruit bug, counted on a
// nock-mocked GitHub (the installation token is not counted; config and label creation are shown apart).
import type { ApplicationFunctionOptions, Probot } from 'probot';
import { performance } from 'node:perf_hooks';
import { DEFAULT_CONFIG } from '../src/config.js';
import { createServices } from '../src/services.js';
import { decideAreas } from '../src/triage/areas.js';
import { registerCoreHandlers } from '../src/core/handlers.js';
import { triageRoom } from '../src/triage/index.js';
import { scoreLowHangingFruit } from '../src/triage/lhf.js';
import { fakeGitHub } from './support/fake-github.js';
import { benchProbot, example } from './support/probot.js';

const ISSUES = Number(process.env.BENCH_TRIAGE_ISSUES ?? 2000);
const ROUNDS = 5;

/** mulberry32: a small seeded PRNG, so every run classifies the same corpus. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUBJECTS = ['subnet', 'port', 'router', 'floating IP', 'load balancer pool member', 'IPv6 slaac subnet', 'security group rule', 'network', 'health monitor', 'DB migration'];
const PROBLEMS = ['Typo in error message when deleting', 'Docs describe the wrong default for', 'API accepts invalid value for', 'Missing unit test for', 'Race condition on HA failover of', 'Slow listing of thousands of', 'RFE: redesign', 'Upgrade fails for', 'Privilege escalation via', 'Wrong status after update of'];
const PATHS = ['src/netcore/api/subnets.ts', 'src/netcore/l3/router.ts', 'src/netcore/lbaas/members.ts', 'src/netcore/ipam/ipv6.ts', 'src/netcore/db/models.ts', 'src/netcore/api/ports.ts'];
const FILLER = 'We run a three-node control plane with the reference plugin and about four hundred tenants. ';

/** A deterministic corpus of bug reports mixing the signals the classifier looks for. */
export function generateBugs(n: number, seed = 42): { title: string; body: string; labels: string[] }[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const parts: string[] = [];
    if (rnd() < 0.5) parts.push(`Steps to reproduce:\n1. openstack ${pick(SUBJECTS).split(' ')[0]} create x\n2. openstack ${pick(SUBJECTS).split(' ')[0]} delete x`);
    if (rnd() < 0.5) parts.push('Expected: a clear 400 error. Actual: 500 and a stack trace.');
    for (let k = Math.floor(rnd() * 4); k > 0; k--) parts.push(`See ${pick(PATHS)}.`);
    if (rnd() < 0.3) parts.push(`Traceback (most recent call last):\n  File "/opt/stack/neutron/neutron/db/l3_db.py", line ${100 + i}, in update\n    raise exc`);
    if (rnd() < 0.2) parts.push(`Related to #${i}, #${i + 1} and #${i + 2}.`);
    parts.push(FILLER.repeat(1 + Math.floor(rnd() * 12)));
    return { title: `${pick(PROBLEMS)} ${pick(SUBJECTS)}`, body: parts.join('\n\n'), labels: rnd() < 0.1 ? ['area/db'] : [] };
  });
}

function throughput(): void {
  const corpus = generateBugs(ISSUES);
  const teams = DEFAULT_CONFIG.subteams;
  let lhf = 0;
  for (const bug of corpus.slice(0, 200)) (decideAreas(bug, teams), scoreLowHangingFruit(bug)); // warm the JIT and regex caches
  const start = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    for (const bug of corpus) {
      decideAreas(bug, teams);
      if (scoreLowHangingFruit(bug).score >= DEFAULT_CONFIG.triage.lhfThreshold) lhf++;
    }
  }
  const ms = performance.now() - start;
  const n = corpus.length * ROUNDS;
  // Baseline in the same run: a naive classifier that lower-cases the text and looks for each keyword.
  const keywords = Object.values(teams).flatMap((t) => t.keywords);
  let naiveHits = 0;
  const baseStart = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    for (const bug of corpus) {
      const text = `${bug.title}\n${bug.body}`.toLowerCase();
      for (const k of keywords) if (text.includes(k)) naiveHits++;
    }
  }
  const baseMs = performance.now() - baseStart;
  const meanChars = Math.round(corpus.reduce((s, b) => s + b.body.length, 0) / corpus.length);
  console.log(`corpus: ${corpus.length} generated bug texts (seed 42, mean body ${meanChars} chars), ${ROUNDS} rounds`);
  console.log(`classification (decideAreas + scoreLowHangingFruit): ${((n / ms) * 1000).toFixed(0)} issues/s, ${((ms / n) * 1000).toFixed(1)} µs/issue; ${((lhf / n) * 100).toFixed(1)}% scored low-hanging fruit`);
  console.log(`baseline: naive keyword scan (lower-case + includes, ${keywords.length} keywords): ${((n / baseMs) * 1000).toFixed(0)} issues/s (${naiveHits} hits); ratio classification / baseline ${(ms / baseMs).toFixed(1)}x time per issue`);
}

const LHF_BODY = 'The error message when deleting a router has a typo ("interfase").\n\nSteps to reproduce:\n1. openstack router create r1\n2. openstack router delete r1\n\nExpected: "interface". Actual: "interfase". See src/netcore/api/routers.ts.';

function lhfOpened(number: number) {
  return example('issues', 'opened', (p) => {
    Object.assign(p.issue, { number, title: 'Typo in router error message', body: LHF_BODY, comments: 0, labels: [], author_association: 'FIRST_TIMER' });
    p.issue.user = { ...p.issue.user, login: `newcomer-${number}` };
  });
}

async function callsPerEvent(): Promise<void> {
  const github = fakeGitHub();
  try {
    const services = await createServices(':memory:');
    const probot: Probot = await benchProbot(async (app: Probot, options: ApplicationFunctionOptions) => {
      registerCoreHandlers(app, services);
      triageRoom.register(app, services, options);
    });
    await probot.receive({ id: 'warm-1', ...lhfOpened(1) } as any);
    const first = new Map(github.calls);
    github.reset();
    await probot.receive({ id: 'measured-2', ...lhfOpened(2) } as any);
    const steady = new Map(github.calls);
    const sum = (m: Map<string, number>, f: (route: string) => boolean = () => true) => [...m].filter(([r]) => f(r)).reduce((s, [, n]) => s + n, 0);
    const isConfig = (r: string) => r.includes('/contents/');
    const isLabelSetup = (r: string) => /\/labels$/.test(r) && !r.includes('/issues/');
    console.log(
      `issues.opened, low-hanging-fruit bug from a first-timer (installation token not counted):` +
        `\n  first event in a process: ${sum(first)} calls = ${sum(first, isConfig)} config + ${sum(first, isLabelSetup)} label setup (list + create, once per repo per process) + ${sum(first, (r) => !isConfig(r) && !isLabelSetup(r))} for the issue`,
    );
    console.log(`  every later event (config cached): ${sum(steady)} calls: ${[...steady].map(([r, n]) => `${r} x${n}`).join(', ')}`);
    if (sum(steady) > 3) throw new Error(`too many GitHub calls per issues.opened: ${sum(steady)} > 3`);
  } finally {
    github.stop();
  }
}

export default async function main(): Promise<void> {
  throughput();
  await callsPerEvent();
}
