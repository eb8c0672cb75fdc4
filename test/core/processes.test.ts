import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FakeGitHub } from '../../bench/support/github-server.js';
import { AppProcess, compileApp } from '../helpers/app-processes.js';
import { examplePayload } from '../helpers/payloads.js';
import { freshPostgresDatabase, postgresAvailable } from '../helpers/postgres.js';

// Two app processes on one PostgreSQL, as replicas behind a load balancer: GitHub (a fake on loopback, since
// nock reaches only its own process) sees each thing done once.
const available = await postgresAvailable();
const DAY = 86_400_000;

describe.skipIf(!available)('two app processes on one PostgreSQL', () => {
  let github: FakeGitHub;
  let apps: AppProcess[];
  let drop: () => Promise<void>;
  let env: Record<string, string>;

  beforeAll(async () => {
    const [db] = await Promise.all([freshPostgresDatabase(), compileApp()]);
    drop = db.drop;
    github = await new FakeGitHub().start();
    env = { DATABASE_URL: db.url, GITHUB_API: github.url, NETBOT_JOB_LEASE_MS: '2000' };
    apps = [await AppProcess.start(env), await AppProcess.start(env)];
  }, 180_000);
  afterAll(async () => {
    for (const app of apps ?? []) app.kill();
    await github?.stop();
    await drop?.();
  });

  const claimComment = (issue: number, login: string, commentId: number) =>
    examplePayload('issue_comment', 'created', () => true, (p) => {
      p.comment.body = '/claim';
      p.comment.id = commentId;
      p.comment.user = { ...p.comment.user, login, type: 'User' };
      p.sender = { ...p.sender, login, type: 'User' };
      Object.assign(p.issue, { number: issue, state: 'open', assignees: [], assignee: null, labels: [{ id: 1, name: 'low-hanging-fruit', color: 'ededed', default: false }] });
      delete p.issue.pull_request;
    });
  const assignmentsOf = (issue: number) => github.made('POST', new RegExp(`/issues/${issue}/assignees$`));
  const commentsOn = (issue: number) => github.made('POST', new RegExp(`/issues/${issue}/comments$`));

  test('the same delivery sent to both processes at once is handled once', async () => {
    const payload = claimComment(1, 'alice', 501);
    const statuses = await Promise.all(apps.map((app) => app.deliver('issue_comment', payload, 'same-delivery-1')));
    expect(statuses).toEqual([200, 200]);
    expect(assignmentsOf(1).map((c) => c.body.assignees)).toEqual([['alice']]);
    expect(commentsOn(1)).toHaveLength(1);
  });

  test('two people claiming one bug through two processes: one wins, each gets one reply', async () => {
    await Promise.all([apps[0]!.deliver('issue_comment', claimComment(2, 'bob', 601), 'race-bob'), apps[1]!.deliver('issue_comment', claimComment(2, 'carol', 602), 'race-carol')]);
    const assigned = assignmentsOf(2);
    expect(assigned).toHaveLength(1);
    const winner = assigned[0]!.body.assignees[0] as string;
    const replies = commentsOn(2).map((c) => c.body.body as string);
    expect(replies).toHaveLength(2);
    expect(replies.filter((r) => r.includes("it's yours"))).toHaveLength(1);
    expect(replies.filter((r) => r.includes('is already working on this one'))).toEqual([expect.stringContaining(`\`${winner}\``)]);
  });

  test('a sweep due while both processes run is done once', async () => {
    await apps[0]!.deliver('issue_comment', claimComment(3, 'dave', 701), 'claim-dave');
    const now = Date.now();
    // The schedule's first sight starts it; its next occurrence, a month later, is due in both processes.
    await apps[0]!.command({ tick: new Date(now).toISOString() });
    const later = new Date(now + 30 * DAY).toISOString();
    await Promise.all(apps.map((app) => app.command({ clock: later })));
    github.on('GET', /\/issues\/(1|2|3)$/, (_c, m) => ({ status: 200, body: { number: Number(m[1]), state: 'open', assignees: [{ login: { '1': 'alice', '2': assignmentsOf(2)[0]!.body.assignees[0], '3': 'dave' }[m[1]!] }] } }));
    const enqueued = (await Promise.all(apps.map((app) => app.command({ tick: later })))) as string[][];
    // Both ticked the same occurrences (the stale-claim sweep, and the nightly refit also due a month later); one enqueued each.
    expect(enqueued.flat().sort()).toEqual([expect.stringMatching(/^triage\.learn@/), expect.stringMatching(/^triage\.sweep@/)]);
    await Promise.all(apps.map((app) => app.command({ drain: true })));
    await Promise.all(apps.map((app) => app.command({ drain: true })));
    for (const issue of [1, 2, 3]) {
      expect(github.made('DELETE', new RegExp(`/issues/${issue}/assignees$`))).toHaveLength(1);
      expect(commentsOn(issue).filter((c) => String(c.body.body).includes('no linked pull request and no activity'))).toHaveLength(1);
    }
  }, 60_000);

  test('a process killed while it holds a job: the job is taken over when its lease ends, and done once', async () => {
    await apps[0]!.deliver('issue_comment', claimComment(4, 'erin', 801), 'claim-erin');
    const later = new Date(Date.now() + 60 * DAY).toISOString();
    await Promise.all(apps.map((app) => app.command({ clock: later })));
    let held = false;
    github.on('GET', /\/issues\/4$/, () => (held ? { status: 200, body: { number: 4, state: 'open', assignees: [{ login: 'erin' }] } } : ((held = true), 'hold')));
    await apps[0]!.command({ tick: later });
    void apps[0]!.command({ drain: true }).catch(() => {}); // it never answers: the process dies holding the job
    await waitFor(() => held);
    apps[0]!.kill();
    const started = Date.now();
    while (github.made('DELETE', /\/issues\/4\/assignees$/).length === 0 && Date.now() - started < 20_000) {
      await apps[1]!.command({ drain: true }); // nothing until the dead process's lease runs out
    }
    expect(github.made('DELETE', /\/issues\/4\/assignees$/)).toHaveLength(1);
    expect(commentsOn(4).filter((c) => String(c.body.body).includes('no linked pull request and no activity'))).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // it waited for the lease, not less
  }, 60_000);
});

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
