import type { Transaction } from 'better-sqlite3';
import type { Db } from '../../db/connection.js';
import type { NetcoreConfig } from '../../config.js';
import { IpamStore } from '../../ipam/store.js';
import { SegmentAllocator } from '../../segments/allocator.js';
import type {
  ListQuery,
  NetcorePlugin,
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
import type { Core } from './core.js';
import { isRowField, Networks } from './networks.js';
import { Ports } from './ports.js';
import { Subnets } from './subnets.js';

export const SQLITE_EXTENSIONS = [
  'provider',
  'external-net',
  'network-mtu',
  'net-mtu-writable',
  'standard-attr-description',
  'standard-attr-timestamp',
  'standard-attr-revisions',
];

/**
 * The reference plugin: everything in netcore's SQLite schema. Each write is one
 * `BEGIN IMMEDIATE` transaction, so servers sharing the file allocate one at a time.
 * Subclass it to add behaviour around the operations (e.g. a journal to an SDN controller).
 */
export class SqlitePlugin implements NetcorePlugin {
  readonly name: string = 'sqlite';
  readonly extensions: string[] = [...SQLITE_EXTENSIONS];
  protected readonly core: Core;
  protected readonly networks: Networks;
  protected readonly subnets: Subnets;
  protected readonly ports: Ports;
  private readonly transaction: Transaction<(fn: () => unknown) => unknown>;

  constructor(db: Db, config: NetcoreConfig) {
    this.core = { db, config, ipam: new IpamStore(db), segments: new SegmentAllocator(db, config) };
    this.networks = new Networks(this.core);
    this.subnets = new Subnets(this.core);
    this.ports = new Ports(this.core, this.subnets);
    // one wrapper for every write: better-sqlite3 builds five functions at each transaction() call
    this.transaction = db.transaction((fn: () => unknown) => fn());
  }

  /** Runs fn in one write transaction that takes the database lock up front. */
  protected write<T>(fn: () => T): T {
    return this.transaction.immediate(fn) as T;
  }


  createNetworks(ctx: RequestContext, items: NetworkCreate[]): Network[] {
    return this.write(() => items.map((i) => this.networks.create(i)).map((id) => this.networks.get(ctx, id)));
  }
  getNetwork(ctx: RequestContext, id: string, fields?: readonly (keyof Network)[]): Network {
    return fields?.every(isRowField) ? this.networks.brief(ctx, id) : this.networks.get(ctx, id);
  }
  listNetworks(ctx: RequestContext, query: ListQuery): Network[] {
    return this.networks.list(ctx, query);
  }
  updateNetwork(ctx: RequestContext, id: string, changes: NetworkUpdate): Network {
    return this.write(() => {
      this.networks.update(ctx, id, changes);
      return this.networks.get(ctx, id);
    });
  }
  deleteNetwork(ctx: RequestContext, id: string): void {
    this.write(() => this.networks.delete(ctx, id));
  }

  createSubnets(ctx: RequestContext, items: SubnetCreate[]): Subnet[] {
    return this.write(() => items.map((i) => this.subnets.create(i)).map((id) => this.subnets.get(ctx, id)));
  }
  getSubnet(ctx: RequestContext, id: string): Subnet {
    return this.subnets.get(ctx, id);
  }
  listSubnets(ctx: RequestContext, query: ListQuery): Subnet[] {
    return this.subnets.list(ctx, query);
  }
  updateSubnet(ctx: RequestContext, id: string, changes: SubnetUpdate): Subnet {
    return this.write(() => {
      this.subnets.update(ctx, id, changes);
      return this.subnets.get(ctx, id);
    });
  }
  deleteSubnet(ctx: RequestContext, id: string): void {
    this.write(() => this.subnets.delete(ctx, id));
  }

  createPorts(ctx: RequestContext, items: PortCreate[]): Port[] {
    return this.write(() => items.map((i) => this.ports.create(i)).map((id) => this.ports.get(ctx, id)));
  }
  getPort(ctx: RequestContext, id: string): Port {
    return this.ports.get(ctx, id);
  }
  listPorts(ctx: RequestContext, query: ListQuery): Port[] {
    return this.ports.list(ctx, query);
  }
  updatePort(ctx: RequestContext, id: string, changes: PortUpdate): Port {
    return this.write(() => {
      this.ports.update(ctx, id, changes);
      return this.ports.get(ctx, id);
    });
  }
  deletePort(ctx: RequestContext, id: string): void {
    this.write(() => this.ports.delete(ctx, id));
  }
}

export const createSqlitePlugin: PluginFactory = ({ db, config }) => new SqlitePlugin(db, config);
