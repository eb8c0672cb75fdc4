import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AgendaStore } from '../../src/agenda/store.js';
import { migrate, openDatabase, type StoreDb } from '../../src/core/store/index.js';
import { CORE_MIGRATIONS } from '../../src/core/services.js';
import { ROOMS } from '../../src/services.js';
import { freshPostgresDatabase, postgresAvailable } from '../helpers/postgres.js';

// The agenda's store on both engines, with two handles on one database (two app processes).
const ALL = [...CORE_MIGRATIONS, ...ROOMS.flatMap((r) => r.migrations)];
const pgAvailable = await postgresAvailable();
const backends = [
  { name: 'SQLite', open: async () => ({ url: ':memory:', drop: async () => {} }) },
  ...(pgAvailable ? [{ name: 'PostgreSQL', open: freshPostgresDatabase }] : []),
];
if (!pgAvailable) test.skip('PostgreSQL is not reachable here: its half of the agenda store suite is skipped (CI requires it)', () => {});

describe.each(backends)('the agenda store on $name', ({ name, open }) => {
  let a: StoreDb;
  let b: StoreDb;
  let drop: () => Promise<void>;
  let one: AgendaStore;
  let two: AgendaStore;
  let repo = 500;

  beforeAll(async () => {
    const o = await open();
    drop = o.drop;
    a = openDatabase(o.url);
    await migrate(a, ALL);
    b = name === 'SQLite' ? a : openDatabase(o.url);
    one = new AgendaStore(a.db);
    two = new AgendaStore(b.db);
  });
  afterAll(async () => {
    if (b !== a) await b.close();
    await a.close();
    await drop();
  });

  test('action items added at once from two processes take different numbers; an origin is recorded once', async () => {
    const repoId = ++repo;
    const numbers = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? one : two).addAction(repoId, { owner: 'carl-baldwin', text: `item ${i}`, originKey: `o${i}`, raisedBy: 'x' })));
    expect([...numbers].sort((x, y) => x! - y!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await one.addAction(repoId, { owner: 'carl-baldwin', text: 'again', originKey: 'o3', raisedBy: 'x' })).toBeUndefined();
    expect(await Promise.all([one.closeAction(repoId, 2, 'a', 'done'), two.closeAction(repoId, 2, 'b', 'ticked')])).toEqual(expect.arrayContaining(['closed', 'already']));
    expect(await one.closeAction(repoId, 99, 'a', 'done')).toBe('unknown');
    expect((await one.actions(repoId, 0)).map((x) => x.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await one.actions(repoId, Date.now() + 1000)).map((x) => x.number)).toEqual([1, 3, 4, 5, 6]);
  });

  test('one agenda per meeting; frozen and closed once, whoever asks', async () => {
    const repoId = ++repo;
    const m = { meetingAt: 1_796_000_000_000, kind: 'issue' as const, number: 7, nodeId: null, url: 'u', bodyHash: 'h' };
    expect(await Promise.all([one.recordMeeting(repoId, m), two.recordMeeting(repoId, { ...m, number: 8 })])).toEqual(expect.arrayContaining([true, false]));
    expect(await Promise.all([one.freeze(repoId, m.meetingAt), two.freeze(repoId, m.meetingAt)])).toEqual(expect.arrayContaining([true, false]));
    expect(await Promise.all([one.markClosed(repoId, m.meetingAt), two.markClosed(repoId, m.meetingAt)])).toEqual(expect.arrayContaining([true, false]));
    expect((await one.previousMeeting(repoId, m.meetingAt + 1))?.meetingAt).toBe(m.meetingAt);
  });

  test('a nomination is recorded once per source; snapshots keep the latest look, oldest first', async () => {
    const repoId = ++repo;
    const n = { kind: 'topic' as const, text: 't', target: { number: 1, title: 'x', url: 'u', isPull: true }, nominatedBy: 'sam' };
    expect(await one.nominate(repoId, 1000, n, 'comment-1:1')).toBe(true);
    expect(await two.nominate(repoId, 1000, n, 'comment-1:1')).toBe(false);
    expect((await one.nominations(repoId, 1000))[0]?.target.isPull).toBe(true);
    await one.snapshot(repoId, 1000, { 'bugs.open': 3 });
    await two.snapshot(repoId, 1000, { 'bugs.open': 4 });
    await one.snapshot(repoId, 2000, { 'bugs.open': 5 });
    expect(await one.snapshots(repoId, 3000, 8)).toEqual([
      { meetingAt: 1000, counts: { 'bugs.open': 4 } },
      { meetingAt: 2000, counts: { 'bugs.open': 5 } },
    ]);
  });
});
