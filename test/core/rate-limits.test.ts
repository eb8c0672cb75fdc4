import { mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FakeGitHub } from '../../bench/support/github-server.js';
import { AppProcess, compileApp } from '../helpers/app-processes.js';
import { examplePayload } from '../helpers/payloads.js';

// GitHub's limits are per installation, however many app processes there are. Probot's throttling spaces
// writes (one at a time, a second apart, as GitHub asks of integrations); with REDIS_URL it does so across
// processes, through Bottleneck's Redis store. Proved on the machine's Redis, against the same two processes
// without it.
const REDIS_URL = process.env.NETBOT_TEST_REDIS ?? 'redis://127.0.0.1:6379';
const redisUp = await new Promise<boolean>((resolve) => {
  const { hostname, port } = new URL(REDIS_URL);
  const socket = createConnection({ host: hostname, port: Number(port || 6379) }, () => (socket.end(), resolve(true)));
  socket.on('error', () => resolve(false));
});
if (!redisUp && process.env.CI) throw new Error(`Redis is required when CI is set, and ${REDIS_URL} does not answer`);

describe.skipIf(!redisUp)('rate limits shared through Redis', () => {
  let github: FakeGitHub;
  const started: AppProcess[] = [];
  beforeAll(async () => {
    await compileApp();
    github = await new FakeGitHub().start();
  }, 180_000);
  afterAll(async () => {
    for (const app of started) app.kill();
    await github?.stop();
  });

  const claim = (issue: number, login: string) =>
    examplePayload('issue_comment', 'created', () => true, (p) => {
      p.comment.body = '/claim';
      p.comment.id = issue * 10;
      p.comment.user = { ...p.comment.user, login, type: 'User' };
      p.sender = { ...p.sender, login, type: 'User' };
      Object.assign(p.issue, { number: issue, state: 'open', assignees: [], labels: [{ id: 1, name: 'low-hanging-fruit', color: 'ededed', default: false }] });
      delete p.issue.pull_request;
    });

  /** Two processes each handle a /claim (two writes each, at once); the gaps between the four writes GitHub receives. */
  async function writeGaps(extraEnv: Record<string, string>, firstIssue: number): Promise<number[]> {
    const dir = mkdtempSync(join(tmpdir(), 'netbot-rate-'));
    const apps = await Promise.all([0, 1].map((i) => AppProcess.start({ NETBOT_DB: join(dir, `app${i}.sqlite`), GITHUB_API: github.url, NETBOT_THROTTLE: 'true', ...extraEnv })));
    started.push(...apps);
    const from = github.calls.length;
    const arrivals: number[] = [];
    const stamp = github.on.bind(github);
    stamp('POST', /\/issues\/\d+\/(assignees|comments)$/, (call) => {
      arrivals.push(Date.now());
      return call.path.endsWith('assignees') ? { status: 201, body: { assignees: call.body.assignees.map((login: string) => ({ login })) } } : { status: 201, body: { id: Date.now() } };
    });
    await Promise.all(apps.map((app, i) => app.deliver('issue_comment', claim(firstIssue + i, `person${i}`), `rate-${firstIssue + i}`)));
    expect(github.calls.slice(from).filter((c) => c.method === 'POST' && /\/(assignees|comments)$/.test(c.path))).toHaveLength(4);
    for (const app of apps) app.kill();
    arrivals.sort((a, b) => a - b);
    return arrivals.slice(1).map((t, i) => t - arrivals[i]!);
  }

  test('without Redis each process spaces only its own writes; with REDIS_URL the two share one limit', async () => {
    const alone = await writeGaps({}, 100);
    expect(Math.min(...alone)).toBeLessThan(500); // the two processes wrote at the same moment
    const shared = await writeGaps({ REDIS_URL }, 200);
    expect(Math.min(...shared)).toBeGreaterThanOrEqual(800); // one write a second, across both processes
  }, 60_000);
});
