import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Deliveries } from '../../src/core/deliveries.js';
import { JobQueue } from '../../src/core/jobs.js';
import { Locks } from '../../src/core/locks.js';
import { RepoRegistry } from '../../src/core/repos.js';
import { migrate, openDatabase, type StoreDb } from '../../src/core/store/index.js';
import { CORE_MIGRATIONS } from '../../src/core/services.js';
import { Labels } from '../../src/github/labels.js';
import { RoutingStore } from '../../src/routing/store.js';
import { ROOMS } from '../../src/services.js';
import { TriageStore } from '../../src/triage/store.js';
import { freshPostgresDatabase, postgresAvailable } from '../helpers/postgres.js';

// The same suite on both engines: the store's behaviour must not depend on which one holds it.
const ALL = [...CORE_MIGRATIONS, ...ROOMS.flatMap((r) => r.migrations)];
const pgAvailable = await postgresAvailable();
const backends = [
  { name: 'SQLite', open: async () => ({ location: ':memory:', drop: async () => {} }) },
  ...(pgAvailable ? [{ name: 'PostgreSQL', open: freshPostgresDatabase }] : []),
];
if (!pgAvailable) test.skip('PostgreSQL is not reachable here: its half of the store suite is skipped (CI requires it)', () => {});

describe.each(backends)('the store on $name', ({ name, open }) => {
  let location: string;
  let drop: () => Promise<void>;
  /** Two handles on one database: two app processes, as far as the store can tell (SQLite in memory: one). */
  let a: StoreDb;
  let b: StoreDb;
  let nextRepo = 1000;
  const repoId = () => ++nextRepo;

  beforeAll(async () => {
    ({ url: location, drop } = await open().then((o) => ('url' in o ? o : { url: o.location, drop: o.drop })));
    a = openDatabase(location);
    await migrate(a, ALL);
    b = name === 'SQLite' ? a : openDatabase(location);
  });
  afterAll(async () => {
    if (b !== a) await b.close();
    await a.close();
    await drop();
  });

  test('migrations: each step once, however many processes start at once', async () => {
    const again = await Promise.all([migrate(a, ALL), migrate(b, ALL)]);
    expect(again).toEqual([[], []]);
    const applied = await a.db.selectFrom('netbot_migrations').select(['component', 'version']).execute();
    expect(applied.length).toBe(ALL.length);
  });

  test('deliveries: one claim per (delivery, handler); a failure releases it; a claim left running by a dead process is taken over', async () => {
    const one = new Deliveries(a.db);
    const two = new Deliveries(b.db);
    const at = new Date('2026-11-30T10:00:00Z');
    const results = await Promise.all([one.claim('d1', 'triage.classify', 'issues', at), two.claim('d1', 'triage.classify', 'issues', at)]);
    expect(results.sort()).toEqual([false, true]);
    expect(await one.claim('d1', 'routing.route', 'issues', at)).toBe(true); // another handler
    await one.release('d1', 'routing.route');
    expect(await two.claim('d1', 'routing.route', 'issues', at)).toBe(true);
    // Running for longer than STALE_MS: its process died; a redelivery takes it over, once.
    const later = new Date(at.getTime() + Deliveries.STALE_MS + 1);
    expect(await Promise.all([one.claim('d1', 'triage.classify', 'issues', later), two.claim('d1', 'triage.classify', 'issues', later)]).then((r) => r.sort())).toEqual([false, true]);
    await one.done('d1', 'triage.classify');
    expect(await two.claim('d1', 'triage.classify', 'issues', new Date(later.getTime() + Deliveries.STALE_MS * 10))).toBe(false);
    expect(await one.prune(new Date(at.getTime() + (Deliveries.KEEP_DAYS + 1) * 86_400_000))).toBeGreaterThanOrEqual(2);
  });

  test('locks: one holder at a time across processes; a dead holder loses the lock when its lease ends', async () => {
    let clock = 1_000_000;
    const one = new Locks(a.db, () => clock);
    const two = new Locks(b.db, () => clock);
    const held = await one.tryAcquire('k', 1000);
    expect(held).toBeDefined();
    expect(await two.tryAcquire('k', 1000)).toBeUndefined();
    clock += 1001; // the holder died and never released it
    const taken = await two.tryAcquire('k', 1000);
    expect(taken).toBeDefined();
    expect(await one.extend('k', held!, 1000)).toBe(false); // the old holder knows it lost it
    await one.release('k', held!); // and cannot release the new holder's lock
    expect(await one.tryAcquire('k', 1000)).toBeUndefined();
    await two.release('k', taken!);
    expect(await one.tryAcquire('k', 1000)).toBeDefined();
  });

  test('withLock: critical sections on one key never overlap, in one process or two', async () => {
    const locks = [new Locks(a.db), new Locks(b.db)];
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        locks[i % 2]!.withLock('section', async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((resolve) => setImmediate(resolve));
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('jobs: a key is enqueued once; each due job goes to one worker; a dead worker\'s job is taken over after its lease', async () => {
    let clock = 5_000_000;
    const q1 = new JobQueue(a.db, a.dialect, () => clock);
    const q2 = new JobQueue(b.db, b.dialect, () => clock);
    const jobName = `test.jobs-${name}`;
    const first = await q1.enqueue(jobName, { n: 1 }, { key: `${jobName}@1` });
    const again = await q2.enqueue(jobName, { n: 1 }, { key: `${jobName}@1` });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    for (let n = 2; n <= 12; n++) await q1.enqueue(jobName, { n });
    const claimed = (await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? q1 : q2).claim(`worker-${i}`, 1000, [jobName])))).filter(Boolean);
    expect(claimed.map((j) => (j!.payload as { n: number }).n).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(await q1.claim('worker-x', 1000, [jobName])).toBeUndefined();
    // worker-0's job: its process died. After the lease another worker takes it; the dead one cannot finish it.
    const orphan = claimed.find((j) => j!.attempts === 1)!;
    const holderOf = async (id: number) => (await a.db.selectFrom('jobs').select('lease_holder').where('id', '=', id).executeTakeFirstOrThrow()).lease_holder as string;
    const deadHolder = await holderOf(orphan.id);
    clock += 1001;
    const takenOver = (await Promise.all(Array.from({ length: 12 }, () => q2.claim('rescuer', 1000, [jobName])))).filter(Boolean);
    expect(takenOver.length).toBe(12); // every lease ran out
    expect(await q1.finish(orphan.id, deadHolder, { state: 'done' })).toBe(false);
    expect(await q2.finish(orphan.id, 'rescuer', { state: 'done' })).toBe(true);
    expect((await q1.get(orphan.id))?.state).toBe('done');
  });

  test('jobs: heartbeat keeps a lease; a failure retries at its time; a group is cancelled except the kept key', async () => {
    let clock = 9_000_000;
    const q = new JobQueue(a.db, a.dialect, () => clock);
    const jobName = `test.retry-${name}`;
    await q.enqueue(jobName, {}, { key: `${jobName}-x` });
    const job = (await q.claim('w', 1000, [jobName]))!;
    clock += 900;
    expect(await q.heartbeat(job.id, 'w', 1000)).toEqual({ held: true, cancelRequested: false });
    clock += 900; // within the extended lease: not claimable
    expect(await q.claim('other', 1000, [jobName])).toBeUndefined();
    expect(await q.finish(job.id, 'w', { state: 'failed', error: 'boom', retryAt: clock + 5000 })).toBe(true);
    expect(await q.claim('other', 1000, [jobName])).toBeUndefined(); // not yet
    clock += 5000;
    expect((await q.claim('other', 1000, [jobName]))?.attempts).toBe(2);

    const group = `checks:${jobName}:pr-7`;
    for (const sha of ['old1', 'old2', 'new']) await q.enqueue(jobName, { sha }, { key: `${group}:${sha}`, group });
    const running = (await q.claim('w2', 1000, [jobName]))!; // old1 is running
    const cancelled = await q.cancelGroup(group, (key) => key?.endsWith(':new') ?? false);
    expect(cancelled.sort()).toEqual([`${group}:old1`, `${group}:old2`]);
    expect(await q.heartbeat(running.id, 'w2', 1000)).toEqual({ held: true, cancelRequested: true });
    expect((await q.byKey(`${group}:old2`))?.state).toBe('cancelled');
    expect((await q.byKey(`${group}:new`))?.state).toBe('queued');
  });

  test('schedules: the mark only moves forward, whoever advances it', async () => {
    const q1 = new JobQueue(a.db, a.dialect);
    const q2 = new JobQueue(b.db, b.dialect);
    const id = `sched-${name}`;
    expect(await q1.scheduleMark(id)).toBeUndefined();
    await Promise.all([q1.advanceSchedule(id, 2000), q2.advanceSchedule(id, 1000)]);
    expect(await q1.scheduleMark(id)).toBe(2000);
    await q2.advanceSchedule(id, 1500);
    expect(await q2.scheduleMark(id)).toBe(2000);
  });

  test('registry: keyed by repository id (a rename orphans nothing); a sighting keeps what it does not say', async () => {
    const repos = new RepoRegistry(a.db);
    const id = repoId();
    await repos.remember({ repoId: id, owner: 'Netcore', repo: 'netcore', installationId: 7, isPrivate: false, htmlUrl: 'https://ghe.example.com/Netcore/netcore' }, { triage: { enabled: true } });
    await repos.remember({ repoId: id, owner: 'netcore-dev', repo: 'netcore2' });
    expect(await repos.get(id)).toEqual({
      repoId: id,
      owner: 'netcore-dev',
      repo: 'netcore2',
      installationId: 7,
      isPrivate: false,
      htmlUrl: 'https://ghe.example.com/Netcore/netcore',
      config: { triage: { enabled: true } },
    });
    expect((await repos.byName('NETCORE-DEV', 'Netcore2'))?.repoId).toBe(id);
    expect(await repos.byName('Netcore', 'netcore')).toBeUndefined();
  });

  test('triage: of many claims on one bug at once, from two processes, exactly one wins', async () => {
    const stores = [new TriageStore(a.db), new TriageStore(b.db)];
    const id = repoId();
    await stores[0]!.upsertIssue(id, { number: 1, title: 'Typo', url: 'https://github.com/o/r/issues/1', author: 'x', state: 'open', areas: [], lhf: true, createdAt: '2026-11-01T00:00:00Z' });
    const logins = Array.from({ length: 10 }, (_, i) => `person-${i}`);
    const wins = await Promise.all(logins.map((login, i) => stores[i % 2]!.claim(id, 1, login)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const winner = logins[wins.indexOf(true)]!;
    expect((await stores[1]!.get(id, 1))?.claimedBy).toBe(winner);
    expect(await stores[0]!.openClaimsOf(id, winner.toUpperCase())).toHaveLength(1); // logins compare without case
    const week = await stores[0]!.claimsBetween(id, new Date(Date.now() - 60_000), new Date(Date.now() + 60_000));
    expect(week).toEqual({ claimed: [1], released: [] });
    await stores[1]!.release(id, 1, 'test');
    expect((await stores[0]!.claimsBetween(id, new Date(Date.now() - 60_000), new Date(Date.now() + 60_000))).released).toEqual([1]);
    expect(await stores[0]!.claimsBetween(id, new Date(0), new Date(1))).toEqual({ claimed: [], released: [] });
    expect(await stores[0]!.markWelcomed(id, 'Newbie')).toBe(true);
    expect(await stores[1]!.markWelcomed(id, 'newbie')).toBe(false);
  });

  test('routing: review load by reviewer without case; a person asking again after the bot\'s request was answered makes it theirs', async () => {
    const store = new RoutingStore(a.db);
    const id = repoId();
    await store.requested(id, 1, 'Carl', { byBot: true, subteams: ['l3'] });
    await store.requested(id, 2, 'carl', { byBot: false });
    expect(await store.load(id)).toEqual(new Map([['carl', 2]]));
    await store.requested(id, 1, 'carl', { byBot: false }); // seen again while open: stays the bot's, with its subteams
    expect((await store.openRequests(id, 1))[0]).toMatchObject({ requestedByBot: true, subteams: ['l3'] });
    await store.reviewed(id, 1, 'CARL');
    await store.requested(id, 1, 'carl', { byBot: false });
    expect((await store.openRequests(id, 1))[0]).toMatchObject({ requestedByBot: false, subteams: [] });
    expect(await store.closed(id, 1)).toBe(1);
    expect(await store.load(id)).toEqual(new Map([['carl', 1]]));
  });

  test('label vetoes compare without case', async () => {
    const labels = new Labels(a.db);
    const ref = { owner: 'o', repo: 'r', repoId: repoId(), issue_number: 3 };
    await labels.recordVeto(ref, 'Low-Hanging-Fruit', 'triager');
    expect(await labels.isVetoed(ref, 'low-hanging-fruit')).toBe(true);
    expect(await labels.vetoed(ref, ['LOW-HANGING-FRUIT', 'area/l3'])).toEqual(new Set(['low-hanging-fruit']));
    await labels.clearVeto(ref, 'low-hanging-FRUIT');
    expect(await labels.isVetoed(ref, 'Low-Hanging-Fruit')).toBe(false);
  });
});
