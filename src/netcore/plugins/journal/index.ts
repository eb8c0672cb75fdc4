import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import type { NetcoreConfig } from '../../config.js';
import type {
  Network,
  NetworkCreate,
  NetworkUpdate,
  PluginFactory,
  Port,
  PortCreate,
  PortUpdate,
  RequestContext,
  Subnet,
  SubnetCreate,
  SubnetUpdate,
} from '../plugin.js';
import { SqlitePlugin, type Change } from '../sqlite/index.js';
import { HttpController, RecordingController, type SdnController } from './controller.js';
import { Journal, type JournalEntry } from './journal.js';
import { JournalSync } from './sync.js';

export { ControllerError, HttpController, RecordingController, type SdnController } from './controller.js';
export { IllegalTransition, Journal, type JournalEntry, type JournalState } from './journal.js';
export { JournalSync } from './sync.js';

/** config.pluginOptions understood by the journal plugin. */
export const JournalOptionsSchema = z.object({
  /** The controller's REST base URL; without one, an in-memory controller records the changes. */
  controllerUrl: z.string().url().optional(),
  sync: z.enum(['auto', 'manual']).default('auto'),
  maxRetries: z.number().int().positive().default(5),
  retryDelayMs: z.number().int().nonnegative().default(1000),
  /** A claim older than this is taken to be abandoned by a dead server and is requeued at start. */
  processingTimeoutMs: z.number().int().positive().default(60_000),
});
export type JournalOptions = z.infer<typeof JournalOptionsSchema>;

// Internal reads ignore the caller's visibility: the journal records what really changed.
const SYSTEM: RequestContext = { projectId: '', isAdmin: true };

/**
 * A vendor-style plugin for an external SDN controller (as networking-odl's v2 driver): the
 * reference plugin keeps the database, and every committed change is appended, in the same
 * transaction, to a journal that a sync worker feeds to the controller in dependency order.
 *
 * Realisation differs from the reference plugin: a network is BUILD until the controller has
 * applied it, then ACTIVE; a port goes ACTIVE (or DOWN, when administratively down) only once the
 * controller has it; an object whose change failed for good shows ERROR.
 */
export class JournalPlugin extends SqlitePlugin {
  override readonly name: string = 'journal';
  readonly journal: Journal;
  readonly sync: JournalSync;

  constructor(db: Db, config: NetcoreConfig, controller: SdnController, options: JournalOptions) {
    super(db, config);
    this.journal = new Journal(db);
    this.sync = new JournalSync(this.journal, controller, (entry, outcome) => this.realise(entry, outcome), { ...options, mode: options.sync });
    this.journal.recoverStale(options.processingTimeoutMs);
    this.sync.kick();
  }

  override createNetworks(ctx: RequestContext, items: NetworkCreate[]): Network[] {
    return this.journaled(() =>
      super.createNetworks(ctx, items).map((n) => {
        this.core.db.prepare(`UPDATE networks SET status = 'BUILD' WHERE id = ?`).run(n.id);
        const shown = { ...n, status: 'BUILD' };
        this.journal.record('network', n.id, 'create', shown);
        return shown;
      }),
    );
  }

  override updateNetwork(ctx: RequestContext, id: string, changes: NetworkUpdate): Network {
    return this.journaled(() => {
      const n = super.updateNetwork(ctx, id, changes);
      this.journal.record('network', id, 'update', n);
      return n;
    });
  }

  override deleteNetwork(ctx: RequestContext, id: string): void {
    this.journaled(() => {
      const { db } = this.core;
      // the network takes its DHCP ports and its subnets with it: the controller hears of each
      const ports = (db.prepare('SELECT id FROM ports WHERE network_id = ?').all(id) as { id: string }[]).map((r) => r.id);
      const subnets = (db.prepare('SELECT id FROM subnets WHERE network_id = ?').all(id) as { id: string }[]).map((r) => r.id);
      super.deleteNetwork(ctx, id);
      for (const p of ports) this.journal.recordDelete('port', p);
      for (const s of subnets) this.journal.recordDelete('subnet', s, ports);
      this.journal.recordDelete('network', id, [...ports, ...subnets]);
    });
  }

  override createSubnets(ctx: RequestContext, items: SubnetCreate[]): Subnet[] {
    return this.journaled(() =>
      super.createSubnets(ctx, items).map((s) => {
        this.journal.record('subnet', s.id, 'create', s, [s.network_id]);
        // an EUI-64 subnet gives existing ports an address: they changed too
        for (const portId of this.portsOn(s.id)) this.recordPort(portId, 'update');
        return s;
      }),
    );
  }

  override updateSubnet(ctx: RequestContext, id: string, changes: SubnetUpdate): Subnet {
    return this.journaled(() => {
      const s = super.updateSubnet(ctx, id, changes);
      this.journal.record('subnet', id, 'update', s, [s.network_id]);
      return s;
    });
  }

  override deleteSubnet(ctx: RequestContext, id: string): void {
    this.journaled(() => {
      const affected = this.portsOn(id);
      const networkId = (this.core.db.prepare('SELECT network_id FROM subnets WHERE id = ?').get(id) as { network_id: string } | undefined)?.network_id;
      super.deleteSubnet(ctx, id);
      for (const portId of affected) this.recordPort(portId, 'update');
      this.journal.recordDelete('subnet', id, [...(networkId ? [networkId] : []), ...affected]);
    });
  }

  override createPorts(ctx: RequestContext, items: PortCreate[]): Port[] {
    return this.journaled(() =>
      super.createPorts(ctx, items).map((p) => {
        this.journal.record('port', p.id, 'create', p, portDependencies(p));
        return p;
      }),
    );
  }

  override updatePort(ctx: RequestContext, id: string, changes: PortUpdate): Port {
    return this.journaled(() => {
      const p = super.updatePort(ctx, id, changes);
      this.journal.record('port', id, 'update', p, portDependencies(p));
      return p;
    });
  }

  override deletePort(ctx: RequestContext, id: string): void {
    this.journaled(() => {
      super.deletePort(ctx, id);
      this.journal.recordDelete('port', id);
    });
  }

  async close(): Promise<void> {
    await this.sync.close();
  }

  /** Every write (core or service) wakes the sync once it committed. */
  protected override write<T>(fn: () => T): T {
    const out = super.write(fn);
    this.sync.kick();
    return out;
  }

  /** The services' changes (routers, floating IPs, the ports they make, ...) are journaled in their transaction. */
  protected override recordChange(change: Change): void {
    if (change.op === 'delete') this.journal.recordDelete(change.type, change.id, change.deps);
    else this.journal.record(change.type, change.id, change.op, change.data ?? { id: change.id }, change.deps);
  }

  /** Runs a change and its journal entries in one transaction (the reference plugin's nest as savepoints), then wakes the sync. */
  private journaled<T>(fn: () => T): T {
    return this.write(fn);
  }

  private portsOn(subnetId: string): string[] {
    return (this.core.db.prepare('SELECT DISTINCT port_id FROM ipallocations WHERE subnet_id = ?').all(subnetId) as { port_id: string }[]).map((r) => r.port_id);
  }

  private recordPort(portId: string, operation: 'update'): void {
    const p = this.ports.get(SYSTEM, portId);
    this.journal.record('port', portId, operation, p, portDependencies(p));
  }

  /** What the controller reached shows as the object's status (not journaled: it is the controller's news). */
  private realise(entry: JournalEntry, outcome: 'completed' | 'failed'): void {
    if (entry.operation === 'delete' || entry.object_type === 'subnet') return;
    if (entry.object_type !== 'network' && entry.object_type !== 'port') return;
    const table = entry.object_type === 'network' ? 'networks' : 'ports';
    const status = outcome === 'failed' ? 'ERROR' : entry.object_type === 'network' || entry.data.admin_state_up !== false ? 'ACTIVE' : 'DOWN';
    // the controller's news is not a change to journal, nor a reason to wake the sync again
    super.write(() =>
      this.core.db.prepare(`UPDATE ${table} SET status = ?, revision_number = revision_number + 1 WHERE id = ? AND status != ?`).run(status, entry.object_uuid, status),
    );
  }
}

function portDependencies(p: Port): string[] {
  return [p.network_id, ...p.fixed_ips.map((f) => f.subnet_id)];
}

/** A factory with a given controller (tests, or a vendor embedding its own client). */
export function journalPluginFactory(controller?: SdnController): PluginFactory {
  return ({ db, config }) => {
    const options = JournalOptionsSchema.parse(config.pluginOptions ?? {});
    const ctl = controller ?? (options.controllerUrl ? new HttpController(options.controllerUrl) : new RecordingController());
    return new JournalPlugin(db, config, ctl, options);
  };
}

export const createJournalPlugin: PluginFactory = journalPluginFactory();
