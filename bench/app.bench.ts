// netbot receiving a realistic mix of webhooks against a nock-mocked GitHub, beside a bare Probot app
// (no-op handler) receiving the same events in the same run.
import type { Probot } from 'probot';
import { createApp } from '../src/index.js';
import { createServices } from '../src/services.js';
import { fakeGitHub } from './support/fake-github.js';
import { benchProbot, example } from './support/probot.js';

const EVENTS = Number(process.env.BENCH_APP_EVENTS ?? 1500);

function mix() {
  const bug = 'The router gateway port keeps its old IP after the subnet is updated.\n\nSteps to reproduce:\n1. create a router\n2. update the subnet\n\nExpected: new gateway IP. Actual: old one.';
  return [
    example('issues', 'opened', (p) => ((p.issue.body = bug), (p.issue.comments = 0))),
    example('issues', 'edited', (p) => (p.issue.body = bug)),
    example('issue_comment', 'created', (p) => (p.comment.body = 'Thanks! I can reproduce this on master.')),
    example('issue_comment', 'created', (p) => (p.comment.body = '/claim')),
    example('pull_request', 'opened', (p) => ((p.pull_request.draft = false), (p.pull_request.comments = 0))),
    example('pull_request', 'synchronize'),
    example('pull_request_review', 'submitted'),
    example('push'),
  ];
}

async function measure(probot: Probot, label: string, prefix: string) {
  const events = mix();
  for (let i = 0; i < 100; i++) await probot.receive({ id: `${prefix}-warm-${i}`, ...events[i % events.length]! } as any);
  const start = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i++) {
    try {
      await probot.receive({ id: `${prefix}-${i}`, ...events[i % events.length]! } as any);
    } catch {
      // a handler's error is part of the cost; the benchmark measures throughput, not correctness
    }
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const perSecond = (EVENTS / ms) * 1000;
  console.log(`${label.padEnd(28)} ${perSecond.toFixed(0).padStart(7)} events/s  ${(ms / EVENTS).toFixed(3)} ms/event`);
  return { perSecond, meanMs: ms / EVENTS };
}

export default async function main(): Promise<void> {
  const github = fakeGitHub();
  try {
    console.log(`${EVENTS} events, mix: issues opened/edited, comments (one a /claim), PR opened/synchronize, review, push`);
    const bare = await measure(await benchProbot((app) => app.onAny(async () => {})), 'bare Probot (no-op handler)', 'bare');
    github.reset();
    const services = createServices(':memory:');
    const netbot = await measure(await benchProbot(createApp(services)), 'netbot', 'netbot');
    console.log(`GitHub calls by netbot: ${github.total()} (${(github.total() / EVENTS).toFixed(2)} per event)`);
    console.log(`ratio netbot/bare mean ms per event: ${(netbot.meanMs / bare.meanMs).toFixed(2)}x`);
  } finally {
    github.stop();
  }
}
