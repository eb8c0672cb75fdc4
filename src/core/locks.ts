import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { touched, type StoreMigration } from './store/index.js';

export const lockMigrations: StoreMigration[] = [
  {
    component: 'core',
    version: 3,
    description: 'locks: leased mutexes over a read-decide-write that spans GitHub calls (several processes)',
    async up(db) {
      await db.schema
        .createTable('locks')
        .addColumn('lock_key', 'varchar(400)', (c) => c.primaryKey())
        .addColumn('holder', 'varchar(64)', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
];

export class LockTimeout extends Error {
  constructor(key: string, waitedMs: number) {
    super(`could not take the lock ${key} within ${waitedMs} ms (another handler holds it)`);
  }
}

/**
 * Mutual exclusion by key across every process sharing the store: a row per held lock, taken with one
 * atomic upsert that succeeds only when no live lease holds the key. A holder that dies loses the lock when
 * its lease runs out; the holder extends it while it works. Waiting is by polling with backoff: contention
 * on one key (one issue, one person) is rare and short.
 */
export class Locks {
  /** Waiters in this process, woken when a lock here is released (other processes' waiters poll). */
  private readonly waiters = new Map<string, Set<() => void>>();
  constructor(
    private readonly db: Kysely<any>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Takes the lock or returns undefined at once; the token releases it. */
  async tryAcquire(key: string, leaseMs: number): Promise<string | undefined> {
    const holder = randomUUID();
    const now = this.clock();
    const result = await this.db
      .insertInto('locks')
      .values({ lock_key: key, holder, expires_at: now + leaseMs })
      .onConflict((oc) => oc.column('lock_key').doUpdateSet({ holder, expires_at: now + leaseMs }).where('locks.expires_at', '<=', now))
      .executeTakeFirst();
    return touched(result) === 1 ? holder : undefined;
  }

  async release(key: string, holder: string): Promise<void> {
    await this.db.deleteFrom('locks').where('lock_key', '=', key).where('holder', '=', holder).execute();
    for (const wake of this.waiters.get(key) ?? []) wake();
  }

  /** Extends a held lease; false when it was lost (expired and taken by another). */
  async extend(key: string, holder: string, leaseMs: number): Promise<boolean> {
    const result = await this.db.updateTable('locks').set({ expires_at: this.clock() + leaseMs }).where('lock_key', '=', key).where('holder', '=', holder).executeTakeFirst();
    return touched(result) === 1;
  }

  /**
   * Runs `fn` holding the lock on `key`. The lease (default 2 minutes) outlives any handler's GitHub calls;
   * it is extended halfway while `fn` still runs.
   */
  async withLock<T>(key: string, fn: () => Promise<T>, opts: { leaseMs?: number; waitMs?: number } = {}): Promise<T> {
    const leaseMs = opts.leaseMs ?? 120_000;
    const waitMs = opts.waitMs ?? 60_000;
    const started = this.clock();
    let pause = 5;
    let holder = await this.tryAcquire(key, leaseMs);
    while (!holder) {
      if (this.clock() - started > waitMs) throw new LockTimeout(key, waitMs);
      await this.waitForRelease(key, pause);
      pause = Math.min(pause * 2, 250);
      holder = await this.tryAcquire(key, leaseMs);
    }
    return this.holding(key, holder, leaseMs, fn);
  }

  private async holding<T>(key: string, holder: string, leaseMs: number, fn: () => Promise<T>): Promise<T> {
    const keepAlive = setInterval(() => void this.extend(key, holder, leaseMs).catch(() => {}), leaseMs / 2);
    keepAlive.unref();
    try {
      return await fn();
    } finally {
      clearInterval(keepAlive);
      await this.release(key, holder);
    }
  }

  /** Resolves when a holder in this process releases `key`, or after `ms` (a holder elsewhere may have). */
  private waitForRelease(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        set!.delete(done);
        if (set!.size === 0) this.waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }
}
