// agenda: GitHub requests, GraphQL rate-limit points and wall time to gather and render (and post) one
// meeting's agenda for a repository of 5,000 open issues and 800 open pull requests, on a mocked GitHub that
// executes the query against GitHub's real GraphQL schema. Beside it, in the same run, a naive baseline that
// lists each section with REST (as agenda scripts do: list the open issues, the closed ones, the pull
// requests, then each pull request's reviews and status) and computes the same figures.
import { Octokit as RestOctokit } from '@octokit/rest';
import nock from 'nock';
import { performance } from 'node:perf_hooks';
import { publishAgenda, previewAgenda } from '../src/agenda/publish.js';
import { parseConfig, type NetbotConfig } from '../src/config.js';
import { createServices } from '../src/services.js';
import { fakeAgendaGitHub, fakeRepo, githubGraphqlSchema, type FakeItem } from './support/agenda-github.js';

const ISSUES = Number(process.env.BENCH_AGENDA_ISSUES ?? 5000);
const PULLS = Number(process.env.BENCH_AGENDA_PULLS ?? 800);
const OWNER = 'netcore';
const REPO = 'netcore';
const DAY = 86_400_000;
const MEETING = new Date('2026-12-01T14:00:00Z');
const SINCE = new Date(MEETING.getTime() - 7 * DAY);
const NOW = new Date(MEETING.getTime() - DAY + 60_000);
const AREAS = ['area/l3', 'area/db', 'area/lbaas', 'area/ipv6'];
const PRIORITIES = ['critical', 'high', 'medium', 'low'];

function config(): NetbotConfig {
  const r = parseConfig({ agenda: { enabled: true, schedule: '0 14 * * 2' } });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

/** 5,000 open issues, 800 open pull requests, and last week's closed ones, spread over areas and priorities. */
function bigRepo() {
  const items: FakeItem[] = [];
  let n = 0;
  for (let i = 0; i < ISSUES; i++) {
    items.push({
      number: ++n,
      title: `Bug ${i}: ports lose their fixed IPs after a subnet update`,
      isPull: false,
      state: 'open',
      createdAt: new Date(NOW.getTime() - ((i * 7919) % 900) * DAY / 3).toISOString(),
      labels: [AREAS[i % 4]!, ...(i % 3 === 0 ? [PRIORITIES[i % 4]!] : []), ...(i % 29 === 0 ? ['needs-triage'] : []), ...(i % 31 === 0 ? ['low-hanging-fruit'] : [])],
      assignees: i % 6 === 0 ? [] : ['amuller'],
      author: `user${i % 97}`,
    });
  }
  for (let i = 0; i < 150; i++) {
    const closedAt = new Date(NOW.getTime() - (i % 7) * DAY - 3_600_000).toISOString();
    items.push({ number: ++n, title: `Fixed ${i}`, isPull: false, state: 'closed', stateReason: 'completed', createdAt: '2026-06-01T00:00:00Z', closedAt, updatedAt: closedAt, labels: [AREAS[i % 4]!], assignees: ['amuller'], author: 'user1' });
  }
  for (let i = 0; i < PULLS; i++) {
    items.push({
      number: ++n,
      title: `Fix ${i}`,
      isPull: true,
      state: 'open',
      createdAt: new Date(NOW.getTime() - ((i * 13) % 120) * DAY).toISOString(),
      labels: [AREAS[i % 4]!],
      assignees: [],
      author: `contributor${i % 41}`,
      draft: i % 10 === 9,
      reviews: i % 3 === 0 ? 0 : 1,
      checks: i % 5 === 0 ? 'failure' : 'success',
    });
  }
  return fakeRepo({ owner: OWNER, name: REPO, items, labels: ['meeting-agenda', ...AREAS, ...PRIORITIES, 'needs-triage', 'low-hanging-fruit'], milestones: [{ number: 1, title: 'Kilo-1', dueOn: '2026-12-10T00:00:00Z' }] });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The naive baseline: each section listed with REST, counted from the lists. */
async function naiveRest(octokit: RestOctokit, cfg: NetbotConfig) {
  const ref = { owner: OWNER, repo: REPO, per_page: 100 };
  const open = await octokit.paginate(octokit.rest.issues.listForRepo, { ...ref, state: 'open' });
  const closed = await octokit.paginate(octokit.rest.issues.listForRepo, { ...ref, state: 'closed', since: SINCE.toISOString() });
  const pulls = await octokit.paginate(octokit.rest.pulls.list, { ...ref, state: 'open' });
  const milestones = await octokit.rest.issues.listMilestones({ owner: OWNER, repo: REPO, state: 'open', sort: 'due_on' });
  const bugs = open.filter((i) => !i.pull_request);
  const has = (i: { labels: (string | { name?: string })[] }, l: string) => i.labels.some((x) => (typeof x === 'string' ? x : x.name) === l);
  const counts: Record<string, number> = {
    'bugs.open': bugs.length,
    'bugs.new': bugs.filter((i) => Date.parse(i.created_at) >= SINCE.getTime()).length,
    'bugs.closed': closed.filter((i) => !i.pull_request && i.closed_at && Date.parse(i.closed_at) >= SINCE.getTime()).length,
    'bugs.urgentUnassigned': bugs.filter((i) => cfg.agenda.urgentLabels.some((l) => has(i, l)) && (i.assignees ?? []).length === 0).length,
  };
  for (const p of cfg.agenda.priorityLabels) counts[`bugs.priority.${p}`] = bugs.filter((i) => has(i, p)).length;
  for (const [key, team] of Object.entries(cfg.subteams)) counts[`team.${key}.open`] = bugs.filter((i) => has(i, team.label)).length;
  // Review queue and failing checks: each pull request's reviews and combined status.
  for (const pr of pulls.filter((p) => !p.draft)) {
    const reviews = await octokit.rest.pulls.listReviews({ owner: OWNER, repo: REPO, pull_number: pr.number });
    const status = await octokit.rest.repos.getCombinedStatusForRef({ owner: OWNER, repo: REPO, ref: pr.head.sha });
    for (const [key, team] of Object.entries(cfg.subteams)) {
      if (!has(pr, team.label)) continue;
      if (reviews.data.length === 0) counts[`team.${key}.review`] = (counts[`team.${key}.review`] ?? 0) + 1;
      if (status.data.state === 'failure') counts[`team.${key}.failing`] = (counts[`team.${key}.failing`] ?? 0) + 1;
    }
  }
  return { counts, milestones: milestones.data.length };
}

export default async function main(): Promise<void> {
  const cfg = config();
  const t0 = performance.now();
  githubGraphqlSchema();
  console.log(`repository: ${ISSUES} open issues, ${PULLS} open pull requests, 150 closed last week (the mock executes queries against GitHub's real GraphQL schema: built in ${(performance.now() - t0).toFixed(0)} ms, not counted)`);
  const github = fakeAgendaGitHub(bigRepo(), { installationToken: false });
  const repo = { repoId: github.repo.databaseId, owner: OWNER, repo: REPO };
  const { ProbotOctokit } = await import('probot');
  const octokit = new (ProbotOctokit.defaults((o: any) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })))({ auth: 'bench-token' }) as any;
  try {
    // netbot: gather (one GraphQL query) and render, several runs for the wall time.
    const runs = Number(process.env.BENCH_AGENDA_RUNS ?? 5);
    const times: number[] = [];
    let counts: Record<string, number> = {};
    for (let r = 0; r < runs; r++) {
      const services = await createServices(':memory:', { now: () => NOW });
      github.reset();
      const start = performance.now();
      const { agenda } = await previewAgenda({ services, octokit, repo, config: cfg }, MEETING);
      times.push(performance.now() - start);
      counts = agenda.counts;
      await services.close();
    }
    const netbotCalls = [...github.calls];
    const netbotPoints = github.points(); // of the last run (each run starts from reset)
    console.log(`netbot, gather + render (${runs} runs): ${netbotCalls.length} request(s) per run (${netbotCalls.join(', ')}), ${netbotPoints.graphql} GraphQL rate-limit point(s) per run; wall time median ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`);

    // The naive REST baseline, same data, same run.
    const rest = new RestOctokit({ auth: 'bench-token', request: { retries: 0 } });
    github.reset();
    let start = performance.now();
    const naive = await naiveRest(rest, cfg);
    const naiveMs = performance.now() - start;
    const naiveCalls = [...github.calls];
    const byRoute = new Map<string, number>();
    for (const c of naiveCalls) byRoute.set(c, (byRoute.get(c) ?? 0) + 1);
    console.log(`baseline, each section listed with REST: ${naiveCalls.length} requests (${[...byRoute].map(([r, k]) => `${r} x${k}`).join(', ')}), ${github.points().rest} REST rate-limit points; wall time ${naiveMs.toFixed(0)} ms`);
    const same = Object.entries(naive.counts).filter(([k, v]) => counts[k] !== v);
    console.log(`  same figures as netbot's: ${same.length === 0 ? 'yes' : `no: ${same.map(([k, v]) => `${k} ${v} vs ${counts[k]}`).join(', ')}`}`);
    console.log(`ratio baseline / netbot: requests ${(naiveCalls.length / netbotCalls.length).toFixed(0)}x, rate-limit points ${(github.points().rest / netbotPoints.graphql).toFixed(0)}x, wall time ${(naiveMs / median(times)).toFixed(1)}x (against a mock that answers at once: on GitHub each request adds its round trip)`);

    // The whole agenda: posted for the first time, then closing last week's, then an edit after a nomination.
    const services = await createServices(':memory:', { now: () => NOW });
    github.reset();
    start = performance.now();
    await publishAgenda({ services, octokit, repo, config: cfg }, new Date(MEETING.getTime() - 7 * DAY));
    const firstPost = { calls: [...github.calls], ms: performance.now() - start };
    github.reset();
    start = performance.now();
    await publishAgenda({ services, octokit, repo, config: cfg }, MEETING);
    const weekly = { calls: [...github.calls], points: github.points(), ms: performance.now() - start };
    github.repo.items.push({ number: 99_999, title: 'new', isPull: false, state: 'open', createdAt: NOW.toISOString(), labels: [], assignees: [], author: 'x' });
    github.reset();
    start = performance.now();
    await publishAgenda({ services, octokit, repo, config: cfg }, MEETING);
    const edit = { calls: [...github.calls], ms: performance.now() - start };
    await services.close();
    console.log(`netbot, the whole agenda posted (goal <= 5 requests): first ever ${firstPost.calls.length} (${firstPost.calls.join(', ')}), ${firstPost.ms.toFixed(0)} ms;`);
    console.log(`  a weekly post that also closes last week's agenda: ${weekly.calls.length} (${weekly.calls.join(', ')}), ${weekly.points.graphql} GraphQL point(s) + ${weekly.points.rest} REST, ${weekly.ms.toFixed(0)} ms; an edit after a nomination: ${edit.calls.length} (${edit.calls.join(', ')}), ${edit.ms.toFixed(0)} ms`);

  } finally {
    github.stop();
    nock.cleanAll();
  }
}
