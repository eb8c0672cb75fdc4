import type { Kysely } from 'kysely';
import { sqlIn, touched, type StoreMigration } from './store/index.js';

export const deliveryMigrations: StoreMigration[] = [
  {
    component: 'core',
    version: 1,
    description: 'deliveries: each (webhook delivery, handler) is handled once',
    async up(db) {
      await db.schema
        .createTable('deliveries')
        .addColumn('delivery_id', 'varchar(100)', (c) => c.notNull())
        .addColumn('handler', 'varchar(100)', (c) => c.notNull())
        .addColumn('event', 'varchar(100)', (c) => c.notNull())
        .addColumn('state', 'varchar(10)', (c) => c.notNull().check(sqlIn('state', ['running', 'done'])))
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('deliveries_pk', ['delivery_id', 'handler'])
        .execute();
      await db.schema.createIndex('deliveries_received_at').on('deliveries').column('received_at').execute();
    },
  },
];

/**
 * Claims a delivery for one handler. Returns false when that handler already ran it (or is running it),
 * so a redelivered webhook does nothing twice, whichever process receives it. A handler that fails
 * releases its claim so a retry can run. A claim still running after STALE_MS was left by a process that
 * stopped mid-handler (a crash, a deploy): a redelivery may take it over, as handlers are idempotent.
 */
export class Deliveries {
  private claimsSincePrune = 0;
  /** GitHub redelivers for days at most; older records only take space. */
  static readonly KEEP_DAYS = 30;
  /** Far longer than any handler runs; GitHub itself gives up on a delivery after 10 seconds. */
  static readonly STALE_MS = 10 * 60_000;
  constructor(private readonly db: Kysely<any>) {}

  async claim(deliveryId: string, handler: string, event: string, now = new Date()): Promise<boolean> {
    if (++this.claimsSincePrune >= 1000) await this.prune(now);
    const at = now.getTime();
    const result = await this.db
      .insertInto('deliveries')
      .values({ delivery_id: deliveryId, handler, event, state: 'running', received_at: at })
      .onConflict((oc) =>
        oc
          .columns(['delivery_id', 'handler'])
          .doUpdateSet({ received_at: at })
          .where('deliveries.state', '=', 'running')
          .where('deliveries.received_at', '<', at - Deliveries.STALE_MS),
      )
      .executeTakeFirst();
    return touched(result) === 1;
  }

  async done(deliveryId: string, handler: string): Promise<void> {
    await this.db.updateTable('deliveries').set({ state: 'done' }).where('delivery_id', '=', deliveryId).where('handler', '=', handler).execute();
  }

  async release(deliveryId: string, handler: string): Promise<void> {
    await this.db.deleteFrom('deliveries').where('delivery_id', '=', deliveryId).where('handler', '=', handler).execute();
  }

  /** Forgets deliveries older than KEEP_DAYS; returns how many. */
  async prune(now = new Date()): Promise<number> {
    this.claimsSincePrune = 0;
    const result = await this.db
      .deleteFrom('deliveries')
      .where('received_at', '<', now.getTime() - Deliveries.KEEP_DAYS * 86_400_000)
      .executeTakeFirst();
    return touched(result);
  }
}
