import type { Transaction } from 'better-sqlite3';
import type { Db } from '../../db/connection.js';
import type { NetcoreConfig } from '../../config.js';
import { IpamStore } from '../../ipam/store.js';
import { SqliteL3 } from '../../l3/sqlite.js';
import { SqliteSecurityGroups } from '../../securitygroups/sqlite.js';
import { SqliteQuotas } from '../../quotas/sqlite.js';
import { SqliteLbaas } from '../../lbaas/sqlite.js';
import { SqliteMetadata } from '../../metadata/sqlite.js';
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
import type { Change, CoreHooks, ServiceAccess } from './hooks.js';
import { isRowField, Networks } from './networks.js';
import { Ports } from './ports.js';
import { Subnets } from './subnets.js';

export type { Change, ChangeType, CoreHooks, ServiceAccess } from './hooks.js';

export const SQLITE_EXTENSIONS = [
  'provider',
  'external-net',
  'net-mtu',
  'net-mtu-writable',
  'standard-attr-description',
  'standard-attr-timestamp',
  'standard-attr-revisions',
  'router',
  'ext-gw-mode',
  'extraroute',
  'fip-port-details',
  'security-group',
  'port-security',
  'quotas',
  'quota_details',
  'lbaas',
];

const SYSTEM: RequestContext = { projectId: '', isAdmin: true };

/**
 * The reference plugin: everything in netcore's SQLite schema. Each write is one
 * `BEGIN IMMEDIATE` transaction, so servers sharing the file allocate one at a time.
 * Subclass it to add behaviour around the operations (e.g. a journal to an SDN controller).
 * Its services (L3, ...) live in their own folders and join the core operations through hooks.
 */
export class SqlitePlugin implements NetcorePlugin {
  readonly name: string = 'sqlite';
  readonly extensions: string[] = [...SQLITE_EXTENSIONS];
  protected readonly core: Core;
  protected readonly networks: Networks;
  protected readonly subnets: Subnets;
  protected readonly ports: Ports;
  /** What the services add to the core operations, in the order they were plugged in. */
  protected readonly hooks: CoreHooks[] = [];
  readonly l3: SqliteL3;
  readonly securityGroups: SqliteSecurityGroups;
  readonly quotas: SqliteQuotas;
  readonly lbaas: SqliteLbaas;
  readonly metadata: SqliteMetadata;
  private readonly transaction: Transaction<(fn: () => unknown) => unknown>;

  constructor(db: Db, config: NetcoreConfig) {
    this.core = { db, config, ipam: new IpamStore(db), segments: new SegmentAllocator(db, config) };
    this.networks = new Networks(this.core);
    this.subnets = new Subnets(this.core);
    this.ports = new Ports(this.core, this.subnets);
    // one wrapper for every write: better-sqlite3 builds five functions at each transaction() call
    this.transaction = db.transaction((fn: () => unknown) => fn());
    const tables = { networks: this.networks, subnets: this.subnets, ports: this.ports };
    // security groups first: the ports L3 makes get their port security from them
    this.securityGroups = this.plug(new SqliteSecurityGroups(this.serviceAccess()));
    this.l3 = this.plug(new SqliteL3(this.serviceAccess(), tables));
    this.lbaas = this.plug(new SqliteLbaas(this.serviceAccess(), this.subnets));
    const quotaResources = ['network', 'subnet', 'port', 'router', 'floatingip', 'security_group', 'security_group_rule', 'pool', 'vip', 'member', 'health_monitor'];
    this.quotas = this.plug(new SqliteQuotas(this.serviceAccess(), quotaResources));
    this.metadata = new SqliteMetadata(db);
  }

  /** Runs fn in one write transaction that takes the database lock up front. */
  protected write<T>(fn: () => T): T {
    return this.transaction.immediate(fn) as T;
  }

  /** Observers of committed changes hear of them here; the journal plugin records them for its controller. */
  protected recordChange(_change: Change): void {}

  /** Quota enforcement for API creates (a service's own ports are exempt, as in Neutron). */
  protected checkQuota(resource: string, items: { project_id: string }[]): void {
    this.quotas?.check(resource, items);
  }

  createNetworks(ctx: RequestContext, items: NetworkCreate[]): Network[] {
    return this.write(() => {
      this.checkQuota('network', items);
      const ids = items.map((i) => {
        const id = this.networks.create(i);
        for (const h of this.hooks) h.networkCreated?.(ctx, id, i);
        return id;
      });
      return ids.map((id) => this.getNetwork(ctx, id));
    });
  }
  getNetwork(ctx: RequestContext, id: string, fields?: readonly (keyof Network)[]): Network {
    // Only row fields asked for (an ownership check): the row alone, without what the services add.
    if (fields?.every(isRowField)) return this.networks.brief(ctx, id);
    return this.extendNetworks([this.networks.get(ctx, id)])[0];
  }
  listNetworks(ctx: RequestContext, query: ListQuery): Network[] {
    return this.extendNetworks(this.networks.list(ctx, query));
  }
  updateNetwork(ctx: RequestContext, id: string, changes: NetworkUpdate): Network {
    return this.write(() => {
      this.networks.update(ctx, id, changes);
      for (const h of this.hooks) h.networkUpdated?.(ctx, id, changes);
      return this.getNetwork(ctx, id);
    });
  }
  deleteNetwork(ctx: RequestContext, id: string): void {
    this.write(() => {
      this.networks.find(ctx, id);
      for (const h of this.hooks) h.deletingNetwork?.(id);
      this.networks.delete(ctx, id);
    });
  }

  createSubnets(ctx: RequestContext, items: SubnetCreate[]): Subnet[] {
    return this.write(() => {
      this.checkQuota('subnet', items);
      return items.map((i) => this.subnets.create(i)).map((id) => this.subnets.get(ctx, id));
    });
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
    this.write(() => {
      this.subnets.find(ctx, id);
      for (const h of this.hooks) h.deletingSubnet?.(id);
      this.subnets.delete(ctx, id);
    });
  }

  createPorts(ctx: RequestContext, items: PortCreate[]): Port[] {
    return this.write(() => {
      this.checkQuota('port', items);
      return items.map((i) => this.insertPort(ctx, i)).map((id) => this.getPort(ctx, id));
    });
  }
  getPort(ctx: RequestContext, id: string): Port {
    return this.extendPorts([this.ports.get(ctx, id)])[0];
  }
  listPorts(ctx: RequestContext, query: ListQuery): Port[] {
    return this.extendPorts(this.ports.list(ctx, query));
  }
  updatePort(ctx: RequestContext, id: string, changes: PortUpdate): Port {
    return this.write(() => {
      this.changePort(ctx, id, changes);
      return this.getPort(ctx, id);
    });
  }
  deletePort(ctx: RequestContext, id: string): void {
    this.write(() => {
      const row = this.ports.find(ctx, id);
      for (const h of this.hooks) h.deletingPort?.(ctx, row);
      this.ports.delete(ctx, id);
    });
  }

  /** Adds a service's hooks to the core operations; returns the service. */
  protected plug<S extends { hooks: CoreHooks }>(service: S): S {
    this.hooks.push(service.hooks);
    return service;
  }

  private insertPort(ctx: RequestContext, item: PortCreate): string {
    const id = this.ports.create(item);
    for (const h of this.hooks) h.portCreated?.(ctx, id, item);
    return id;
  }

  private changePort(ctx: RequestContext, id: string, changes: PortUpdate): void {
    const row = this.ports.find(ctx, id);
    for (const h of this.hooks) h.updatingPort?.(ctx, row, changes);
    this.ports.update(ctx, id, changes);
    for (const h of this.hooks) h.portUpdated?.(ctx, id, changes);
  }

  private extendPorts(ports: Port[]): Port[] {
    for (const h of this.hooks) h.extendPorts?.(ports);
    return ports;
  }

  private extendNetworks(networks: Network[]): Network[] {
    for (const h of this.hooks) h.extendNetworks?.(networks);
    return networks;
  }

  /** What the services reach of the plugin: ports they make on a caller's behalf are recorded as changes, as API ones are. */
  private serviceAccess(): ServiceAccess {
    return {
      core: this.core,
      write: (fn) => this.write(fn),
      record: (change) => this.recordChange(change),
      checkQuota: (resource, items) => this.checkQuota(resource, items),
      createPort: (ctx, item) => {
        const id = this.insertPort(ctx, item);
        this.recordPortChange(id, 'create');
        return id;
      },
      updatePort: (_ctx, id, changes) => {
        this.changePort(SYSTEM, id, changes);
        this.recordPortChange(id, 'update');
      },
      deletePort: (id) => {
        this.ports.delete(SYSTEM, id);
        this.recordChange({ type: 'port', id, op: 'delete' });
      },
      showPort: (id) => this.getPort(SYSTEM, id),
    };
  }

  private recordPortChange(id: string, op: 'create' | 'update'): void {
    const port = this.getPort(SYSTEM, id);
    this.recordChange({ type: 'port', id, op, data: port, deps: [port.network_id, ...port.fixed_ips.map((f) => f.subnet_id)] });
  }
}

export const createSqlitePlugin: PluginFactory = ({ db, config }) => new SqlitePlugin(db, config);
