// netbot receiving a realistic mix of webhooks against a nock-mocked GitHub, beside a bare Probot app
// (no-op handler) receiving the same events in the same run.
import type { Probot } from 'probot';
import { createApp } from '../src/index.js';
import { createServices } from '../src/services.js';
import { fakeGitHub } from './support/fake-github.js';
import { benchProbot, example } from './support/probot.js';

const EVENTS = Number(process.env.BENCH_APP_EVENTS ?? 1500);

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

async function measure(probot: Probot, label: string, prefix: string, afterWarmUp: () => void = () => {}) {
  const events = mix();
  for (let i = 0; i < 100; i++) await probot.receive({ id: `${prefix}-warm-${i}`, ...events[i % events.length]! } as any);
  afterWarmUp();
  let failures = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i++) {
    try {
      await probot.receive({ id: `${prefix}-${i}`, ...events[i % events.length]! } as any);
    } catch {
      failures++; // counted and shown: figures from failing handlers would flatter the app
    }
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const perSecond = (EVENTS / ms) * 1000;
  console.log(`${label.padEnd(28)} ${perSecond.toFixed(0).padStart(7)} events/s  ${(ms / EVENTS).toFixed(3)} ms/event${failures ? `  (${failures} events failed)` : ''}`);
  return { perSecond, meanMs: ms / EVENTS };
}

/** A bare app that makes `perEvent` GitHub calls per event on average (spread evenly), doing nothing else. */
function callingApp(perEvent: number): (app: Probot) => void {
  let seen = 0;
  return (app) =>
    app.onAny(async (context: any) => {
      const calls = Math.floor((seen + 1) * perEvent) - Math.floor(seen * perEvent);
      seen++;
      for (let i = 0; i < calls; i++) await context.octokit.request('GET /rate_limit');
    });
}

export default async function main(): Promise<void> {
  const github = fakeGitHub();
  try {
    console.log(`${EVENTS} events, mix: issues opened/edited, comments (one a /claim), PR opened/synchronize, review, push`);
    const bare = await measure(await benchProbot((app) => app.onAny(async () => {})), 'bare Probot (no-op handler)', 'bare');
    const services = await createServices(':memory:');
    // No job worker: the figures are the webhook path's alone.
    const netbot = await measure(await benchProbot(createApp({ services, worker: false })), 'netbot', 'netbot', github.reset);
    const calls = github.total();
    const perEvent = calls / EVENTS;
    // A mocked GitHub call costs milliseconds (nock), so the fair baseline makes as many calls as netbot did.
    const calling = await measure(await benchProbot(callingApp(perEvent)), `bare Probot + ${perEvent.toFixed(2)} calls/event`, 'calling');
    console.log(`GitHub calls by netbot: ${calls} (${perEvent.toFixed(2)} per event, after warm-up)`);
    console.log(`ratio netbot / bare Probot (no-op), mean ms per event:              ${(netbot.meanMs / bare.meanMs).toFixed(2)}x`);
    console.log(`ratio netbot / bare Probot making the same GitHub calls:          ${(netbot.meanMs / calling.meanMs).toFixed(2)}x`);
  } finally {
    github.stop();
  }
}
