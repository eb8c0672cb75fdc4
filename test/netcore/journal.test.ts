// The journal plugin's own behaviour (beside the conformance suite, which only sees its API): the
// journal's state machine, dependency order, retries, recovery, the REST controller, and that the
// API journals exactly the changes it commits. Sync is driven by hand (sync: 'manual' / drain()).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../src/netcore/db/connection.js';
import { upgradeToHead } from '../../src/netcore/db/migrate.js';
import {
  ControllerError,
  HttpController,
  IllegalTransition,
  Journal,
  JournalPlugin,
  journalPluginFactory,
  JournalSync,
  RecordingController,
  type JournalEntry,
  type JournalState,
  type SdnController,
} from '../../src/netcore/plugins/journal/index.js';
import { errorType, makeApi, type Api } from './helpers.js';

function freshJournal(): { db: Db; journal: Journal } {
  const db = openDatabase(':memory:');
  upgradeToHead(db);
  return { db, journal: new Journal(db) };
}

/** A project's default security group, made on its first request, is journaled like any change: these tests start after it. */
async function afterDefaultGroup(api: Api): Promise<Api> {
  await api.ok('GET', '/v2.0/security-groups');
  api.app.netcore.db.prepare('DELETE FROM journal').run();
  return api;
}

const states = (journal: Journal) => journal.entries().map((e) => `${e.object_uuid}:${e.operation}:${e.state}`);

describe('journal state machine', () => {
  let db: Db;
  let journal: Journal;
  beforeEach(() => ({ db, journal } = freshJournal()));
  afterEach(() => db.close());

  /** One entry, driven through legal moves into `state`; returns its seqnum. */
  function entryIn(state: JournalState): number {
    journal.record('network', 'n1', 'create', { id: 'n1' });
    const seq = journal.entries()[0]!.seqnum;
    if (state === 'pending') return seq;
    expect(journal.claimNext()?.seqnum).toBe(seq);
    if (state === 'completed') journal.complete(seq);
    if (state === 'failed') journal.fail(seq, 'refused', { maxRetries: 5, permanent: true });
    expect(journal.get(seq)?.state).toBe(state);
    return seq;
  }

  test('a recorded change is pending, with its data and dependencies (never itself, no duplicates)', () => {
    journal.record('port', 'p1', 'create', { id: 'p1', name: 'x' }, ['n1', 's1', 'n1', 'p1']);
    expect(journal.entries()).toEqual([
      expect.objectContaining({ object_type: 'port', object_uuid: 'p1', operation: 'create', data: { id: 'p1', name: 'x' }, depends_on: ['n1', 's1'], state: 'pending', retry_count: 0, last_error: null, last_retried: null }),
    ]);
  });

  test('pending -> processing -> completed', () => {
    const seq = entryIn('pending');
    const claimed = journal.claimNext();
    expect(claimed).toMatchObject({ seqnum: seq, state: 'processing' });
    expect(journal.get(seq)).toMatchObject({ state: 'processing', last_retried: expect.any(String) });
    journal.complete(seq);
    expect(journal.get(seq)?.state).toBe('completed');
    expect(journal.claimNext()).toBeUndefined();
  });

  test('processing -> pending on a transient failure, with the count and the error', () => {
    const seq = entryIn('processing');
    expect(journal.fail(seq, 'controller busy', { maxRetries: 3 })).toBe('pending');
    expect(journal.get(seq)).toMatchObject({ state: 'pending', retry_count: 1, last_error: 'controller busy' });
  });

  test('processing -> failed on a permanent failure, and failed -> pending on requeue (count and error reset)', () => {
    const seq = entryIn('processing');
    expect(journal.fail(seq, 'bad object', { maxRetries: 3, permanent: true })).toBe('failed');
    expect(journal.get(seq)).toMatchObject({ state: 'failed', retry_count: 1, last_error: 'bad object' });
    journal.requeue(seq);
    expect(journal.get(seq)).toMatchObject({ state: 'pending', retry_count: 0, last_error: null });
    expect(journal.claimNext()?.seqnum).toBe(seq);
  });

  test('the last allowed attempt fails the entry: maxRetries attempts in all', () => {
    const seq = entryIn('pending');
    const outcomes: JournalState[] = [];
    for (let i = 0; i < 3; i++) {
      expect(journal.claimNext()?.seqnum).toBe(seq);
      outcomes.push(journal.fail(seq, `attempt ${i + 1}`, { maxRetries: 3 }));
    }
    expect(outcomes).toEqual(['pending', 'pending', 'failed']);
    expect(journal.get(seq)).toMatchObject({ state: 'failed', retry_count: 3, last_error: 'attempt 3' });
    expect(journal.claimNext()).toBeUndefined();
  });

  // Every (state, operation) pair: the legal ones move, every other one throws and changes nothing.
  const operations = {
    complete: (j: Journal, seq: number) => j.complete(seq),
    fail: (j: Journal, seq: number) => j.fail(seq, 'e', { maxRetries: 5 }),
    requeue: (j: Journal, seq: number) => j.requeue(seq),
  };
  const legal: Record<JournalState, Partial<Record<keyof typeof operations, JournalState>>> = {
    pending: {},
    processing: { complete: 'completed', fail: 'pending' },
    completed: {},
    failed: { requeue: 'pending' },
  };
  for (const from of ['pending', 'processing', 'completed', 'failed'] as const) {
    for (const op of Object.keys(operations) as (keyof typeof operations)[]) {
      const to = legal[from][op];
      test(`${op} on a ${from} entry ${to ? `moves it to ${to}` : 'throws IllegalTransition'}`, () => {
        const seq = entryIn(from);
        const before = journal.get(seq);
        if (to) {
          operations[op](journal, seq);
          expect(journal.get(seq)?.state).toBe(to);
        } else {
          expect(() => operations[op](journal, seq)).toThrow(IllegalTransition);
          expect(journal.get(seq)).toEqual(before);
        }
      });
    }
  }

  test('completing twice is illegal (a claim is settled once)', () => {
    const seq = entryIn('processing');
    journal.complete(seq);
    expect(() => journal.complete(seq)).toThrow(/journal entry \d+ is not processing \(wanted processing -> completed\)/);
  });

  test('counts() tallies the states', () => {
    for (const id of ['a', 'b', 'c', 'd']) journal.record('network', id, 'create', {});
    journal.complete(journal.claimNext()!.seqnum);
    journal.fail(journal.claimNext()!.seqnum, 'x', { maxRetries: 1 });
    journal.claimNext();
    expect(journal.counts()).toEqual({ pending: 1, processing: 1, completed: 1, failed: 1 });
  });

  test('recoverStale puts abandoned processing claims back, and leaves fresh claims and other states alone', () => {
    for (const id of ['stale', 'fresh', 'done', 'waiting']) journal.record('network', id, 'create', {});
    const [stale, fresh, done] = [journal.claimNext()!, journal.claimNext()!, journal.claimNext()!];
    journal.complete(done.seqnum);
    db.prepare('UPDATE journal SET last_retried = ? WHERE seqnum = ?').run('2020-01-01T00:00:00.000Z', stale.seqnum);
    expect(journal.recoverStale(60_000)).toBe(1);
    expect(states(journal)).toEqual(['stale:create:pending', 'fresh:create:processing', 'done:create:completed', 'waiting:create:pending']);
    expect(journal.get(stale.seqnum)?.retry_count).toBe(0);
    // the recovered entry is claimable again, first in line
    expect(journal.claimNext()?.seqnum).toBe(stale.seqnum);
    expect(fresh.state).toBe('processing');
  });
});

describe('journal dependency order', () => {
  let db: Db;
  let journal: Journal;
  beforeEach(() => ({ db, journal } = freshJournal()));
  afterEach(() => db.close());

  test("a port's create waits for its network's create, whatever state that is in short of completed", () => {
    journal.record('network', 'n1', 'create', {});
    journal.record('port', 'p1', 'create', {}, ['n1']);
    const net = journal.claimNext()!;
    expect(net.object_uuid).toBe('n1');
    expect(journal.claimNext()).toBeUndefined(); // n1 processing
    journal.fail(net.seqnum, 'down', { maxRetries: 5, permanent: true });
    expect(journal.claimNext()).toBeUndefined(); // n1 failed: still blocks
    journal.requeue(net.seqnum);
    expect(journal.claimNext()?.object_uuid).toBe('n1'); // the network goes first again
    journal.complete(net.seqnum);
    expect(journal.claimNext()?.object_uuid).toBe('p1');
  });

  test("a network's delete waits for its ports' deletes", () => {
    journal.record('port', 'p1', 'delete', { id: 'p1' });
    journal.record('port', 'p2', 'delete', { id: 'p2' });
    journal.record('network', 'n1', 'delete', { id: 'n1' }, ['p1', 'p2']);
    const p1 = journal.claimNext()!;
    const p2 = journal.claimNext()!;
    expect([p1.object_uuid, p2.object_uuid]).toEqual(['p1', 'p2']);
    expect(journal.claimNext()).toBeUndefined();
    journal.complete(p1.seqnum);
    expect(journal.claimNext()).toBeUndefined(); // p2 still processing
    journal.complete(p2.seqnum);
    expect(journal.claimNext()).toMatchObject({ object_uuid: 'n1', operation: 'delete' });
  });

  test("changes to one object go in order, and other objects' changes are not held up", () => {
    journal.record('network', 'n1', 'create', {});
    journal.record('network', 'n1', 'update', {});
    journal.record('network', 'n2', 'create', {});
    expect(journal.claimNext()).toMatchObject({ object_uuid: 'n1', operation: 'create' });
    expect(journal.claimNext()).toMatchObject({ object_uuid: 'n2', operation: 'create' });
    expect(journal.claimNext()).toBeUndefined();
  });

  test('only earlier entries block: a dependency recorded later does not hold back an earlier change', () => {
    journal.record('port', 'p1', 'update', {}, ['s1']);
    journal.record('subnet', 's1', 'update', {});
    expect(journal.claimNext()?.object_uuid).toBe('p1');
    expect(journal.claimNext()?.object_uuid).toBe('s1');
  });

  test('create-then-delete before any sync drops every entry of the object, and only its own', () => {
    journal.record('network', 'n1', 'create', {});
    journal.record('network', 'n1', 'update', {});
    journal.record('network', 'n2', 'create', {});
    journal.recordDelete('network', 'n1');
    expect(states(journal)).toEqual(['n2:create:pending']);
  });

  test('a delete is recorded once the controller may have heard of the object', () => {
    journal.record('network', 'n1', 'create', {});
    journal.claimNext(); // processing: the controller may be applying it right now
    journal.recordDelete('network', 'n1', ['p9']);
    expect(journal.entries({ uuid: 'n1' }).map((e) => [e.operation, e.state, e.depends_on])).toEqual([
      ['create', 'processing', []],
      ['delete', 'pending', ['p9']],
    ]);
  });

  test('a delete of an object the journal never saw created is recorded (e.g. one from before the plugin)', () => {
    journal.recordDelete('port', 'old');
    expect(states(journal)).toEqual(['old:delete:pending']);
  });
});

/** A JournalSync over a fresh journal and a controller double. */
function syncOver(controller: SdnController, realised: (e: JournalEntry, o: 'completed' | 'failed') => void = () => {}, maxRetries = 3, mode: 'auto' | 'manual' = 'manual') {
  const { db, journal } = freshJournal();
  const sync = new JournalSync(journal, controller, realised, { maxRetries, retryDelayMs: 0, mode });
  return { db, journal, sync };
}

describe('journal sync', () => {
  test('drain hands entries to the controller in dependency order and says how many finished', async () => {
    const ctl = new RecordingController();
    const outcomes: string[] = [];
    const { journal, sync } = syncOver(ctl, (e, o) => outcomes.push(`${e.object_uuid}:${o}`));
    journal.record('network', 'n1', 'create', { id: 'n1' });
    journal.record('subnet', 's1', 'create', { id: 's1' }, ['n1']);
    journal.record('port', 'p1', 'create', { id: 'p1' }, ['n1', 's1']);
    expect(await sync.drain()).toBe(3);
    expect(ctl.applied.map((e) => e.object_uuid)).toEqual(['n1', 's1', 'p1']);
    expect(outcomes).toEqual(['n1:completed', 's1:completed', 'p1:completed']);
    expect(journal.counts()).toMatchObject({ completed: 3, pending: 0 });
    expect(await sync.drain()).toBe(0);
  });

  test('a transient error requeues the entry with its retry count and stops the drain; the entry ends failed after maxRetries', async () => {
    const ctl = new RecordingController();
    const outcomes: string[] = [];
    const { journal, sync } = syncOver(ctl, (e, o) => outcomes.push(`${e.object_uuid}:${o}`), 3);
    journal.record('network', 'n1', 'create', {});
    journal.record('network', 'n2', 'create', {});
    ctl.failNext(3);
    expect(await sync.drain()).toBe(0);
    // the failing controller is not hammered: n2 was not tried either
    expect(journal.entries().map((e) => [e.object_uuid, e.state, e.retry_count])).toEqual([
      ['n1', 'pending', 1],
      ['n2', 'pending', 0],
    ]);
    expect(journal.entries()[0]!.last_error).toBe('controller refused create network n1');
    expect(await sync.drain()).toBe(0);
    expect(journal.entries({ uuid: 'n1' })[0]).toMatchObject({ state: 'pending', retry_count: 2 });
    // third attempt: spent; the drain goes on with n2
    expect(await sync.drain()).toBe(2);
    expect(journal.entries().map((e) => [e.object_uuid, e.state, e.retry_count])).toEqual([
      ['n1', 'failed', 3],
      ['n2', 'completed', 0],
    ]);
    expect(outcomes).toEqual(['n1:failed', 'n2:completed']);
    expect(ctl.applied.map((e) => e.object_uuid)).toEqual(['n2']);
  });

  test('a transient error then success completes the entry', async () => {
    const ctl = new RecordingController();
    const { journal, sync } = syncOver(ctl);
    journal.record('network', 'n1', 'create', {});
    ctl.failNext(1);
    expect(await sync.drain()).toBe(0);
    expect(await sync.drain()).toBe(1);
    expect(journal.entries()[0]).toMatchObject({ state: 'completed', retry_count: 1 });
  });

  test('a permanent error fails the entry at once; its dependents stay blocked until it is requeued', async () => {
    const ctl = new RecordingController();
    const { journal, sync } = syncOver(ctl);
    journal.record('network', 'n1', 'create', {});
    journal.record('port', 'p1', 'create', {}, ['n1']);
    journal.record('network', 'n2', 'create', {});
    ctl.failNext(1, true);
    expect(await sync.drain()).toBe(2);
    expect(states(journal)).toEqual(['n1:create:failed', 'p1:create:pending', 'n2:create:completed']);
    expect(journal.entries({ uuid: 'n1' })[0]).toMatchObject({ retry_count: 1, last_error: 'controller refused create network n1' });
    journal.requeue(journal.entries({ uuid: 'n1' })[0]!.seqnum);
    expect(await sync.drain()).toBe(2);
    expect(ctl.applied.map((e) => e.object_uuid)).toEqual(['n2', 'n1', 'p1']);
  });

  test('a drain that throws rejects its caller but does not wedge the sync, and close() still resolves', async () => {
    const ctl = new RecordingController();
    let broken = true;
    const { journal, sync } = syncOver(ctl, () => {
      if (broken) throw new Error('database is locked');
    });
    journal.record('network', 'n1', 'create', {});
    // the journal's own error surfaces as it is (not as a failed controller attempt)
    await expect(sync.drain()).rejects.toThrow('database is locked');
    expect(journal.entries()[0]).toMatchObject({ state: 'completed', retry_count: 0 });
    broken = false;
    journal.record('network', 'n2', 'create', {});
    expect(await sync.drain()).toBe(1);
    expect(ctl.applied.map((e) => e.object_uuid)).toEqual(['n1', 'n2']);
    await expect(sync.close()).resolves.toBeUndefined();
  });

  test('in auto mode a background drain that throws is retried, not left as an unhandled rejection', async () => {
    let reached!: () => void;
    const n2Applied = new Promise<void>((r) => (reached = r));
    const applied: string[] = [];
    const ctl: SdnController = {
      async apply(e) {
        applied.push(e.object_uuid);
        if (e.object_uuid === 'n2') reached();
      },
    };
    let broken = true;
    const { journal, sync } = syncOver(
      ctl,
      () => {
        if (broken) {
          broken = false;
          throw new Error('database is locked');
        }
      },
      3,
      'auto',
    );
    journal.record('network', 'n1', 'create', {});
    journal.record('network', 'n2', 'create', {});
    sync.kick();
    await n2Applied;
    await sync.close();
    expect(applied).toEqual(['n1', 'n2']);
    expect(journal.counts()).toMatchObject({ completed: 2, pending: 0 });
  });

  test('drains asked for during a drain run one after another, each seeing what was recorded before it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const applied: string[] = [];
    const ctl: SdnController = {
      async apply(e) {
        if (e.object_uuid === 'n1') await gate;
        applied.push(e.object_uuid);
      },
    };
    const { journal, sync } = syncOver(ctl);
    journal.record('network', 'n1', 'create', {});
    const first = sync.drain();
    journal.record('network', 'n2', 'create', {});
    const second = sync.drain();
    release();
    expect(await first).toBe(2); // the first drain claims n2 too once n1 is done
    expect(await second).toBe(0);
    expect(applied).toEqual(['n1', 'n2']);
  });

  test('after close() the sync claims nothing', async () => {
    const ctl = new RecordingController();
    const { journal, sync } = syncOver(ctl);
    journal.record('network', 'n1', 'create', {});
    await sync.close();
    expect(await sync.drain()).toBe(0);
    expect(journal.counts().pending).toBe(1);
  });
});

describe('HttpController against a local REST controller', () => {
  interface Seen {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: string;
  }
  let server: Server;
  let seen: Seen[];
  let connections: number;
  let answer: (req: Seen) => number | 'hang';
  let base: string;

  beforeEach(async () => {
    seen = [];
    connections = 0;
    answer = () => 200;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const s = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() };
        seen.push(s);
        const status = answer(s);
        if (status === 'hang') return;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status, padding: 'x'.repeat(64 * 1024) }));
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const entry = (object_type: JournalEntry['object_type'], operation: JournalEntry['operation'], data: Record<string, unknown> = { id: 'u1', name: 'x' }): JournalEntry => ({
    seqnum: 1,
    object_type,
    object_uuid: 'u1',
    operation,
    data,
    depends_on: [],
    state: 'processing',
    retry_count: 0,
    last_error: null,
    created_at: '2026-01-01T00:00:00.000Z',
    last_retried: null,
  });

  test('POSTs a create to the collection, PUTs an update and DELETEs a delete on the object, with JSON bodies', async () => {
    const ctl = new HttpController(`${base}/controller/nb/v2/neutron/`); // a trailing slash is fine
    await ctl.apply(entry('network', 'create'));
    await ctl.apply(entry('subnet', 'update'));
    await ctl.apply(entry('port', 'delete'));
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', '/controller/nb/v2/neutron/networks', JSON.stringify({ network: { id: 'u1', name: 'x' } })],
      ['PUT', '/controller/nb/v2/neutron/subnets/u1', JSON.stringify({ subnet: { id: 'u1', name: 'x' } })],
      ['DELETE', '/controller/nb/v2/neutron/ports/u1', ''],
    ]);
    expect(seen[0]!.headers['content-type']).toBe('application/json');
  });

  const classify = async (ctl: HttpController, e: JournalEntry) => {
    try {
      await ctl.apply(e);
      return 'ok';
    } catch (err) {
      expect(err).toBeInstanceOf(ControllerError);
      return (err as ControllerError).permanent ? 'permanent' : 'transient';
    }
  };

  // What controller.ts does: 5xx transient; 4xx permanent except 409 and 429 (retried); 404 on a delete is success.
  const cases: [number, JournalEntry['operation'], 'ok' | 'permanent' | 'transient'][] = [
    [200, 'create', 'ok'],
    [201, 'create', 'ok'],
    [204, 'delete', 'ok'],
    [500, 'create', 'transient'],
    [502, 'update', 'transient'],
    [503, 'delete', 'transient'],
    [400, 'create', 'permanent'],
    [403, 'update', 'permanent'],
    [404, 'update', 'permanent'],
    [404, 'delete', 'ok'],
    [422, 'create', 'permanent'],
    [409, 'create', 'transient'],
    [429, 'update', 'transient'],
  ];
  for (const [status, op, outcome] of cases) {
    test(`${status} on ${op} is ${outcome === 'ok' ? 'success' : `a ${outcome} error`}`, async () => {
      answer = () => status;
      expect(await classify(new HttpController(base), entry('network', op))).toBe(outcome);
      expect(seen).toHaveLength(1);
    });
  }

  test('the error names the request and the status', async () => {
    answer = () => 503;
    await expect(new HttpController(base).apply(entry('port', 'update'))).rejects.toThrow(`PUT ${base}/ports/u1 answered 503`);
  });

  test('an unreachable controller is a transient error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((r) => closed.close(r));
    expect(await classify(new HttpController(url), entry('network', 'create'))).toBe('transient');
  });

  test('a controller that never answers is a transient error once the timeout passes', async () => {
    answer = () => 'hang';
    expect(await classify(new HttpController(base, 50), entry('network', 'create'))).toBe('transient');
    expect(seen).toHaveLength(1);
  });

  test('answers are read to the end, so one connection serves change after change', async () => {
    answer = (s) => (s.method === 'POST' ? 500 : 200);
    const ctl = new HttpController(base);
    for (let i = 0; i < 5; i++) await ctl.apply(entry('network', 'update'));
    for (let i = 0; i < 5; i++) await ctl.apply(entry('network', 'create')).catch(() => undefined);
    expect(seen).toHaveLength(10);
    // unread bodies keep their socket busy: each change would open a new connection
    expect(connections).toBeLessThan(5);
  });

  test('the journal plugin with controllerUrl syncs API changes to the REST controller and shows what it reached', async () => {
    const api = await afterDefaultGroup(await makeApi({ plugin: 'journal', config: { pluginOptions: { controllerUrl: base, sync: 'manual', maxRetries: 2 } } }));
    try {
      const plugin = api.app.netcore.plugin as JournalPlugin;
      const net = await api.network({ name: 'red' });
      expect(net.status).toBe('BUILD');
      answer = () => 503;
      expect(await plugin.sync.drain()).toBe(0);
      expect(plugin.journal.entries()[0]).toMatchObject({ state: 'pending', retry_count: 1, last_error: `POST ${base}/networks answered 503` });
      answer = () => 201;
      expect(await plugin.sync.drain()).toBe(1);
      expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /networks', 'POST /networks']);
      expect(JSON.parse(seen[1]!.body)).toMatchObject({ network: { id: net.id, name: 'red', status: 'BUILD' } });
      expect((await api.ok('GET', `/v2.0/networks/${net.id}`)).network.status).toBe('ACTIVE');

      answer = () => 400;
      await api.ok('PUT', `/v2.0/networks/${net.id}`, { network: { name: 'blue' } });
      expect(await plugin.sync.drain()).toBe(1);
      expect(seen.at(-1)).toMatchObject({ method: 'PUT', url: `/networks/${net.id}` });
      expect(plugin.journal.entries().at(-1)).toMatchObject({ operation: 'update', state: 'failed', retry_count: 1 });
      expect((await api.ok('GET', `/v2.0/networks/${net.id}`)).network.status).toBe('ERROR');
    } finally {
      await api.close();
    }
  });
});

describe('the API through the journal plugin', () => {
  let api: Api;
  let plugin: JournalPlugin;
  let ctl: RecordingController;
  const entries = () => plugin.journal.entries().map((e) => `${e.object_type} ${e.operation}`);

  beforeEach(async () => {
    ctl = new RecordingController();
    api = await afterDefaultGroup(await makeApi({ plugin: journalPluginFactory(ctl), config: { pluginOptions: { sync: 'manual', maxRetries: 2 } } }));
    plugin = api.app.netcore.plugin as JournalPlugin;
  });
  afterEach(() => api.close());

  test("plugin 'journal' by name serves the API with an in-memory controller and journals the change", async () => {
    const named = await afterDefaultGroup(await makeApi({ plugin: 'journal', config: { pluginOptions: { sync: 'manual' } } }));
    try {
      const p = named.app.netcore.plugin as JournalPlugin;
      expect(p).toBeInstanceOf(JournalPlugin);
      expect(p.name).toBe('journal');
      const net = await named.network();
      expect(p.journal.entries()).toEqual([expect.objectContaining({ object_type: 'network', object_uuid: net.id, operation: 'create', state: 'pending' })]);
      expect(await p.sync.drain()).toBe(1);
      expect(p.journal.counts()).toMatchObject({ completed: 1, pending: 0 });
    } finally {
      await named.close();
    }
  });

  test('one journal entry per committed change, with what the API answered', async () => {
    const net = await api.network({ name: 'n' });
    const sub = await api.subnet(net.id, '10.0.0.0/24');
    const port = await api.port(net.id, { name: 'p' });
    const updated = (await api.ok('PUT', `/v2.0/ports/${port.id}`, { port: { name: 'q' } })).port;
    await api.ok('PUT', `/v2.0/subnets/${sub.id}`, { subnet: { name: 's2' } });
    await api.ok('PUT', `/v2.0/networks/${net.id}`, { network: { name: 'n2' } });
    expect(plugin.journal.entries().map((e) => [e.object_type, e.object_uuid, e.operation, e.depends_on])).toEqual([
      ['network', net.id, 'create', []],
      ['subnet', sub.id, 'create', [net.id]],
      ['port', port.id, 'create', [net.id, sub.id]],
      ['port', port.id, 'update', [net.id, sub.id]],
      ['subnet', sub.id, 'update', [net.id]],
      ['network', net.id, 'update', []],
    ]);
    const portUpdate = plugin.journal.entries()[3]!;
    expect(portUpdate.data).toMatchObject({ id: port.id, name: 'q', fixed_ips: updated.fixed_ips, mac_address: port.mac_address });
  });

  test('a bulk create journals each item; a rejected bulk journals none', async () => {
    const ok = await api.ok('POST', '/v2.0/networks', { networks: [{ name: 'a' }, { name: 'b' }] });
    expect(entries()).toEqual(['network create', 'network create']);
    expect(plugin.journal.entries().map((e) => e.object_uuid)).toEqual(ok.networks.map((n: { id: string }) => n.id));
    const net = ok.networks[0];
    await api.subnet(net.id, '10.0.0.0/29');
    const before = plugin.journal.entries().length;
    // the second port asks for an address outside the subnet: the whole bulk is rejected
    const bad = await api.call('POST', '/v2.0/ports', { ports: [{ network_id: net.id }, { network_id: net.id, fixed_ips: [{ ip_address: '192.168.9.9' }] }] });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(plugin.journal.entries()).toHaveLength(before);
  });

  test('rejected requests journal nothing: 409 in use, 404, 400', async () => {
    const net = await api.network();
    await api.subnet(net.id, '10.0.0.0/24');
    await api.port(net.id);
    const before = plugin.journal.entries();
    const inUse = await api.call('DELETE', `/v2.0/networks/${net.id}`);
    expect(inUse.status).toBe(409);
    expect(errorType(inUse)).toBe('NetworkInUse');
    expect((await api.call('PUT', '/v2.0/networks/00000000-0000-0000-0000-000000000000', { network: { name: 'x' } })).status).toBe(404);
    expect((await api.call('POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: 'not-a-cidr', ip_version: 4 } })).status).toBe(400);
    expect((await api.call('GET', `/v2.0/networks/${net.id}`)).status).toBe(200);
    expect(plugin.journal.entries()).toEqual(before);
  });

  test('create-then-delete before a sync leaves nothing for the controller', async () => {
    const keep = await api.network({ name: 'keep' });
    const net = await api.network({ name: 'gone' });
    const port = await api.port(net.id);
    await api.ok('DELETE', `/v2.0/ports/${port.id}`);
    await api.ok('DELETE', `/v2.0/networks/${net.id}`);
    expect(plugin.journal.entries().map((e) => e.object_uuid)).toEqual([keep.id]);
    expect(await plugin.sync.drain()).toBe(1);
    expect(ctl.applied.map((e) => e.object_uuid)).toEqual([keep.id]);
  });

  test('deleting a synced network tells the controller of its DHCP port and subnet first', async () => {
    const net = await api.network();
    const sub = await api.subnet(net.id, '10.0.0.0/24');
    const dhcp = await api.port(net.id, { device_owner: 'network:dhcp' });
    expect(await plugin.sync.drain()).toBe(3);
    await api.ok('DELETE', `/v2.0/networks/${net.id}`);
    const deletes = plugin.journal.entries({ state: 'pending' });
    expect(deletes.map((e) => [e.object_type, e.object_uuid, e.operation])).toEqual([
      ['port', dhcp.id, 'delete'],
      ['subnet', sub.id, 'delete'],
      ['network', net.id, 'delete'],
    ]);
    expect(deletes[2]!.depends_on).toEqual([dhcp.id, sub.id]);
    expect(await plugin.sync.drain()).toBe(3);
    expect(ctl.applied.slice(3).map((e) => `${e.operation} ${e.object_type}`)).toEqual(['delete port', 'delete subnet', 'delete network']);
    expect(ctl.objects.size).toBe(0);
  });

  test('status shows what the controller reached: BUILD, then ACTIVE (DOWN when administratively down), ERROR when it failed for good', async () => {
    const net = await api.network();
    expect(net.status).toBe('BUILD');
    const up = await api.port(net.id);
    const down = await api.port(net.id, { admin_state_up: false });
    expect(await plugin.sync.drain()).toBe(3);
    expect((await api.ok('GET', `/v2.0/networks/${net.id}`)).network).toMatchObject({ status: 'ACTIVE', revision_number: net.revision_number + 1 });
    expect((await api.ok('GET', `/v2.0/ports/${up.id}`)).port.status).toBe('ACTIVE');
    expect((await api.ok('GET', `/v2.0/ports/${down.id}`)).port.status).toBe('DOWN');

    const bad = await api.network();
    ctl.failNext(1, true);
    expect(await plugin.sync.drain()).toBe(1);
    expect((await api.ok('GET', `/v2.0/networks/${bad.id}`)).network.status).toBe('ERROR');
    // the operator requeues it and the controller takes it
    plugin.journal.requeue(plugin.journal.entries({ uuid: bad.id })[0]!.seqnum);
    expect(await plugin.sync.drain()).toBe(1);
    expect((await api.ok('GET', `/v2.0/networks/${bad.id}`)).network.status).toBe('ACTIVE');
  });

  test('a claim abandoned by a dead server is put back when a server starts on the same database', async () => {
    const db = openDatabase(':memory:');
    const first = await afterDefaultGroup(await makeApi({ db, plugin: journalPluginFactory(new RecordingController()), config: { pluginOptions: { sync: 'manual' } } }));
    await first.network();
    const p1 = first.app.netcore.plugin as JournalPlugin;
    const claimed = p1.journal.claimNext()!;
    await first.close(); // "dies" with the claim held
    db.prepare('UPDATE journal SET last_retried = ? WHERE seqnum = ?').run('2020-01-01T00:00:00.000Z', claimed.seqnum);
    const second = await makeApi({ db, plugin: 'journal', config: { pluginOptions: { sync: 'manual', processingTimeoutMs: 60_000 } } });
    try {
      const p2 = second.app.netcore.plugin as JournalPlugin;
      expect(p2.journal.get(claimed.seqnum)?.state).toBe('pending');
      expect(await p2.sync.drain()).toBe(1);
      expect(p2.journal.get(claimed.seqnum)?.state).toBe('completed');
    } finally {
      await second.close();
      db.close();
    }
  });

  test('in auto mode a commit starts a sync by itself', async () => {
    const recording = new RecordingController();
    let reached!: (e: JournalEntry) => void;
    const applied = new Promise<JournalEntry>((r) => (reached = r));
    const auto: SdnController = {
      async apply(e) {
        await recording.apply(e);
        // the project's default security group reaches the controller too; this test waits for its network
        if (e.object_type === 'network') reached(e);
      },
    };
    const a = await makeApi({ plugin: journalPluginFactory(auto), config: { pluginOptions: { sync: 'auto' } } });
    try {
      const net = await a.network();
      // nobody calls drain(): the commit scheduled one
      expect((await applied).object_uuid).toBe(net.id);
    } finally {
      await a.close();
    }
    expect(recording.applied.filter((e) => e.object_type === 'network').map((e) => e.operation)).toEqual(['create']);
  });
});
