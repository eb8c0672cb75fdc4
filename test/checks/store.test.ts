import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChecksStore, type NewRun } from '../../src/checks/store.js';
import { createServices, type AppServices } from '../../src/services.js';
import { freshPostgresDatabase, postgresAvailable } from '../helpers/postgres.js';

// The checks' records on both engines: the same queries must decide the same.
const pgAvailable = await postgresAvailable();
const backends = [
  { name: 'SQLite', open: async () => ({ url: ':memory:', drop: async () => {} }) },
  ...(pgAvailable ? [{ name: 'PostgreSQL', open: freshPostgresDatabase }] : []),
];
if (!pgAvailable) test.skip('PostgreSQL is not reachable here: its half of the checks store suite is skipped (CI requires it)', () => {});

describe.each(backends)('the checks store on $name', ({ open }) => {
  let services: AppServices;
  let drop: () => Promise<void>;
  let store: ChecksStore;
  let clock = Date.parse('2026-11-20T10:00:00Z');
  let nextRepo = 500;

  beforeAll(async () => {
    const db = await open();
    drop = db.drop;
    services = await createServices(db.url, { now: () => new Date(clock) });
    store = new ChecksStore(services.store.db, () => new Date(clock));
  });
  afterAll(async () => {
    await services.close();
    await drop();
  });

  const run = (repoId: number, sha: string, attempt: number, plugin: string | null = 'journal'): NewRun => ({
    repoId, pr: 7, headSha: sha, name: plugin ? `netbot / conformance (${plugin})` : 'netbot / migrations', suite: plugin ? 'conformance' : 'migrations', plugin, planned: true, reasons: ['why'], trigger: 'test', attempt,
  });
  const finish = async (r: NewRun, outcome: 'success' | 'failure', cases: Record<string, 'passed' | 'failed'>) => {
    const [row] = await store.addRuns([r]);
    clock += 60_000;
    expect(await store.complete(row!.id, { conclusion: outcome, title: outcome, cases: Object.entries(cases).map(([id, status]) => ({ id, status })) })).toBe(true);
    return row!;
  };

  test('a run is added once per attempt, and completed by one writer only', async () => {
    const repoId = ++nextRepo;
    const [first] = await store.addRuns([run(repoId, 'a1', 1)]);
    const [again] = await store.addRuns([run(repoId, 'a1', 1)]);
    expect(again!.id).toBe(first!.id);
    const wins = await Promise.all([store.complete(first!.id, { conclusion: 'cancelled', title: 'superseded' }), store.complete(first!.id, { conclusion: 'success', title: 'done' })]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store.start(first!.id)).toBe(false); // completed: nothing restarts it
  });

  test('flakes: a case that failed and then passed on the same commit; history for a rerun; gate health per suite in a window', async () => {
    const repoId = ++nextRepo;
    const failedRun = await finish(run(repoId, 'c1', 1), 'failure', { 'journal/ipam.a': 'failed', 'journal/ipam.b': 'failed', 'journal/ports.c': 'passed' });
    await finish(run(repoId, 'c1', 2), 'success', { 'journal/ipam.a': 'passed', 'journal/ipam.b': 'passed', 'journal/ports.c': 'passed' });
    await finish(run(repoId, 'c2', 1), 'failure', { 'journal/ipam.b': 'failed', 'journal/ipam.a': 'passed' }); // failed, never passed on c2
    await finish(run(repoId, 'c2', 1, null), 'success', { 'step/folsom_core': 'passed' });
    const latest = await finish(run(repoId, 'c3', 1), 'failure', { 'journal/ipam.a': 'failed', 'journal/ports.d': 'failed' });

    const history = await store.history(repoId, latest, ['journal/ipam.a', 'journal/ports.d'], latest.id);
    expect(Object.fromEntries(history)).toEqual({ 'journal/ipam.a': { flakes: 1, failedBefore: 1 }, 'journal/ports.d': { flakes: 0, failedBefore: 0 } });
    expect(await store.failedCases(failedRun.id)).toEqual(['journal/ipam.a', 'journal/ipam.b']);

    const health = await store.health(repoId, new Date('2026-11-20T00:00:00Z'), new Date('2026-11-21T00:00:00Z'));
    expect(health).toEqual([
      { suite: 'conformance', plugin: 'journal', runs: 4, passed: 1, failed: 3, passRate: 0.25, flakyCases: [{ id: 'journal/ipam.a', flakes: 1 }, { id: 'journal/ipam.b', flakes: 1 }] },
      { suite: 'migrations', plugin: null, runs: 1, passed: 1, failed: 0, passRate: 1, flakyCases: [] },
    ]);
    expect(await store.health(repoId, new Date('2026-11-22T00:00:00Z'), new Date('2026-11-23T00:00:00Z'))).toEqual([]);
    // cancelled, skipped and waiting runs count for nothing
    const [waiting] = await store.addRuns([run(repoId, 'c4', 1)]);
    await store.complete(waiting!.id, { conclusion: 'action_required', title: 'waiting' });
    expect((await store.health(repoId, new Date('2026-11-20T00:00:00Z'), new Date('2026-11-21T00:00:00Z')))[0]!.runs).toBe(4);
  });

  test('an approval is for one head commit', async () => {
    const repoId = ++nextRepo;
    await store.approve(repoId, 7, 'h1', 'core-dev', 'command');
    await store.approve(repoId, 7, 'h1', 'someone-else', 'label'); // the first stands
    expect(await store.approvedBy(repoId, 7, 'h1')).toBe('core-dev');
    expect(await store.approvedBy(repoId, 7, 'h2')).toBeUndefined();
  });
});
