import { randomUUID } from 'node:crypto';
import { networkInUse, subnetInUse } from '../errors.js';
import { servicePortInUse } from '../l3/errors.js';
import type { ListQuery, RequestContext } from '../plugins/plugin.js';
import type { ChangeType, CoreHooks, ServiceAccess } from '../plugins/sqlite/hooks.js';
import type { Subnets } from '../plugins/sqlite/subnets.js';
import {
  memberExists,
  notAuthorized,
  poolInUse,
  poolMonitorAssociationExists,
  poolMonitorAssociationNotFound,
  protocolMismatch,
  vipExists,
} from './errors.js';
import type {
  HealthMonitor,
  HealthMonitorCreate,
  HealthMonitorUpdate,
  LbaasService,
  Member,
  MemberCreate,
  MemberUpdate,
  Pool,
  PoolCreate,
  PoolMonitor,
  PoolUpdate,
  Vip,
  VipCreate,
  VipUpdate,
} from './service.js';
import { HealthMonitors, Members, Pools, Vips, type PoolRow } from './tables.js';

const SYSTEM: RequestContext = { projectId: '', isAdmin: true };
/** The owner of a vip's port (Icehouse's; Havana left it empty, so the port could be deleted from under its vip). */
export const VIP_PORT_OWNER = 'neutron:LOADBALANCER';

/** The reference plugin's LBaaS v1, over the grizzly/havana tables. Objects are ACTIVE at once: no driver to wait for. */
export class SqliteLbaas implements LbaasService {
  private readonly pools: Pools;
  private readonly members: Members;
  private readonly vips: Vips;
  private readonly monitors: HealthMonitors;
  readonly hooks: CoreHooks;

  constructor(
    private readonly access: ServiceAccess,
    private readonly subnets: Subnets,
  ) {
    const { core } = access;
    this.pools = new Pools(core);
    this.members = new Members(core);
    this.vips = new Vips(core);
    this.monitors = new HealthMonitors(core);
    const { db } = core;
    this.hooks = {
      deletingPort: (_ctx, port) => {
        if (port.device_owner === VIP_PORT_OWNER && db.prepare('SELECT 1 FROM vips WHERE port_id = ?').get(port.id)) throw servicePortInUse(port.id, `has device owner ${port.device_owner}`);
      },
      deletingSubnet: (id) => {
        if (db.prepare('SELECT 1 FROM pools WHERE subnet_id = ? LIMIT 1').get(id)) throw subnetInUse(id, 'One or more load balancer pools use this subnet.');
      },
      deletingNetwork: (id) => {
        if (db.prepare('SELECT 1 FROM pools p JOIN subnets s ON s.id = p.subnet_id WHERE s.network_id = ? LIMIT 1').get(id)) throw networkInUse(id);
      },
    };
  }

  createPools(ctx: RequestContext, items: PoolCreate[]): Pool[] {
    return this.write('pool', items, (item) => {
      this.subnets.find(ctx, item.subnet_id);
      const id = randomUUID();
      this.access.core.db
        .prepare(`INSERT INTO pools (id, project_id, name, description, subnet_id, protocol, lb_method, status, admin_state_up, vip_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, NULL)`)
        .run(id, item.project_id, item.name, item.description, item.subnet_id, item.protocol, item.lb_method, +item.admin_state_up);
      if (item.health_monitors) this.setMonitors(ctx, id, item.health_monitors);
      return this.record('pool', 'create', id);
    });
  }
  getPool(ctx: RequestContext, id: string): Pool {
    return this.pools.get(ctx, id);
  }
  listPools(ctx: RequestContext, query: ListQuery): Pool[] {
    return this.pools.list(ctx, query);
  }
  updatePool(ctx: RequestContext, id: string, changes: PoolUpdate): Pool {
    return this.access.write(() => {
      this.pools.forChange(ctx, id);
      const { health_monitors: monitors, ...columns } = changes;
      this.pools.set(id, columns);
      if (monitors !== undefined) this.setMonitors(ctx, id, monitors ?? []);
      return this.record('pool', 'update', id);
    });
  }
  deletePool(ctx: RequestContext, id: string): void {
    this.access.write(() => {
      this.pools.forChange(ctx, id);
      if (this.access.core.db.prepare('SELECT 1 FROM vips WHERE pool_id = ?').get(id)) throw poolInUse(id);
      const members = (this.access.core.db.prepare('SELECT id FROM members WHERE pool_id = ?').all(id) as { id: string }[]).map((m) => m.id);
      this.pools.delete(id);
      for (const m of members) this.access.record({ type: 'member', id: m, op: 'delete' });
      this.access.record({ type: 'pool', id, op: 'delete', deps: members });
    });
  }

  createMembers(ctx: RequestContext, items: MemberCreate[]): Member[] {
    return this.write('member', items, (item) => {
      this.pools.find(ctx, item.pool_id);
      this.checkMemberFree(item.pool_id, item.address, item.protocol_port);
      const id = randomUUID();
      this.access.core.db
        .prepare(`INSERT INTO members (id, project_id, pool_id, address, protocol_port, weight, status, admin_state_up) VALUES (?, ?, ?, ?, ?, ?, 'ACTIVE', ?)`)
        .run(id, item.project_id, item.pool_id, item.address, item.protocol_port, item.weight, +item.admin_state_up);
      return this.record('member', 'create', id);
    });
  }
  getMember(ctx: RequestContext, id: string): Member {
    return this.members.get(ctx, id);
  }
  listMembers(ctx: RequestContext, query: ListQuery): Member[] {
    return this.members.list(ctx, query);
  }
  updateMember(ctx: RequestContext, id: string, changes: MemberUpdate): Member {
    return this.access.write(() => {
      const row = this.members.forChange(ctx, id);
      if (changes.pool_id !== undefined && changes.pool_id !== row.pool_id) {
        this.pools.find(ctx, changes.pool_id);
        this.checkMemberFree(changes.pool_id, row.address, row.protocol_port);
      }
      this.members.set(id, changes);
      return this.record('member', 'update', id);
    });
  }
  deleteMember(ctx: RequestContext, id: string): void {
    this.remove('member', () => this.members.forChange(ctx, id), (row) => this.members.delete(row.id));
  }

  createVips(ctx: RequestContext, items: VipCreate[]): Vip[] {
    return this.write('vip', items, (item) => {
      const pool = this.pools.find(ctx, item.pool_id);
      this.checkPoolForVip(pool, item.project_id, item.protocol);
      const subnet = this.subnets.find(ctx, item.subnet_id);
      const id = randomUUID();
      // a port reserves the vip's address (Havana's _create_port_for_vip)
      const portId = this.access.createPort(ctx, {
        project_id: item.project_id,
        network_id: subnet.network_id,
        name: `vip-${id}`,
        description: '',
        admin_state_up: false,
        fixed_ips: [{ subnet_id: subnet.id, ...(item.address ? { ip_address: item.address } : {}) }],
        device_id: id,
        device_owner: VIP_PORT_OWNER,
      });
      this.access.core.db
        .prepare(
          `INSERT INTO vips (id, project_id, name, description, port_id, protocol_port, protocol, pool_id, status, admin_state_up, connection_limit)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?)`,
        )
        .run(id, item.project_id, item.name, item.description, portId, item.protocol_port, item.protocol, pool.id, +item.admin_state_up, item.connection_limit);
      this.vips.setPersistence(id, item.session_persistence);
      this.pools.set(pool.id, { vip_id: id });
      return this.record('vip', 'create', id);
    });
  }
  getVip(ctx: RequestContext, id: string): Vip {
    return this.vips.get(ctx, id);
  }
  listVips(ctx: RequestContext, query: ListQuery): Vip[] {
    return this.vips.list(ctx, query);
  }
  updateVip(ctx: RequestContext, id: string, changes: VipUpdate): Vip {
    return this.access.write(() => {
      const row = this.vips.forChange(ctx, id);
      const { session_persistence: persistence, pool_id: poolId, ...columns } = changes;
      if (poolId !== undefined && poolId !== row.pool_id) {
        const pool = this.pools.find(ctx, poolId);
        this.checkPoolForVip(pool, row.project_id, row.protocol);
        this.pools.set(row.pool_id, { vip_id: null });
        this.pools.set(pool.id, { vip_id: id });
        this.vips.set(id, { pool_id: pool.id });
      }
      if (persistence !== undefined) this.vips.setPersistence(id, persistence);
      this.vips.set(id, columns);
      return this.record('vip', 'update', id);
    });
  }
  deleteVip(ctx: RequestContext, id: string): void {
    this.remove(
      'vip',
      () => this.vips.forChange(ctx, id),
      (row) => {
        this.pools.set(row.pool_id, { vip_id: null });
        this.vips.delete(row.id);
        this.access.deletePort(row.port_id);
      },
    );
  }

  createHealthMonitors(ctx: RequestContext, items: HealthMonitorCreate[]): HealthMonitor[] {
    return this.write('health_monitor', items, (item) => {
      const id = randomUUID();
      this.access.core.db
        .prepare(
          `INSERT INTO healthmonitors (id, project_id, type, delay, timeout, max_retries, http_method, url_path, expected_codes, admin_state_up) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, item.project_id, item.type, item.delay, item.timeout, item.max_retries, item.http_method, item.url_path, item.expected_codes, +item.admin_state_up);
      return this.record('health_monitor', 'create', id);
    });
  }
  getHealthMonitor(ctx: RequestContext, id: string): HealthMonitor {
    return this.monitors.get(ctx, id);
  }
  listHealthMonitors(ctx: RequestContext, query: ListQuery): HealthMonitor[] {
    return this.monitors.list(ctx, query);
  }
  updateHealthMonitor(ctx: RequestContext, id: string, changes: HealthMonitorUpdate): HealthMonitor {
    return this.access.write(() => {
      this.monitors.forChange(ctx, id);
      this.monitors.set(id, changes);
      return this.record('health_monitor', 'update', id);
    });
  }
  /** Its pool associations go with it, as Havana's cascade did. */
  deleteHealthMonitor(ctx: RequestContext, id: string): void {
    this.remove('health_monitor', () => this.monitors.forChange(ctx, id), (row) => this.monitors.delete(row.id));
  }

  associateHealthMonitor(ctx: RequestContext, poolId: string, monitorId: string): PoolMonitor {
    return this.access.write(() => {
      const pool = this.pools.find(ctx, poolId);
      if (this.associated(poolId, monitorId)) throw poolMonitorAssociationExists(monitorId, poolId);
      this.monitors.find(ctx, monitorId);
      this.access.core.db.prepare('INSERT INTO poolmonitorassociations (pool_id, monitor_id) VALUES (?, ?)').run(poolId, monitorId);
      this.record('pool', 'update', poolId);
      return { pool_id: poolId, monitor_id: monitorId, status: 'ACTIVE', status_description: null, tenant_id: pool.project_id };
    });
  }
  getPoolHealthMonitor(ctx: RequestContext, poolId: string, monitorId: string): PoolMonitor {
    this.pools.find(ctx, poolId);
    if (!this.associated(poolId, monitorId)) throw poolMonitorAssociationNotFound(monitorId, poolId);
    const monitor = this.monitors.find(SYSTEM, monitorId);
    return { pool_id: poolId, monitor_id: monitorId, status: 'ACTIVE', status_description: null, tenant_id: monitor.project_id };
  }
  disassociateHealthMonitor(ctx: RequestContext, poolId: string, monitorId: string): void {
    this.access.write(() => {
      this.pools.find(ctx, poolId);
      if (!this.associated(poolId, monitorId)) throw poolMonitorAssociationNotFound(monitorId, poolId);
      this.access.core.db.prepare('DELETE FROM poolmonitorassociations WHERE pool_id = ? AND monitor_id = ?').run(poolId, monitorId);
      this.record('pool', 'update', poolId);
    });
  }

  /** One write for a (bulk) create, quota checked first. */
  private write<I extends { project_id: string }, R>(resource: ChangeType, items: I[], create: (item: I) => R): R[] {
    return this.access.write(() => {
      this.access.checkQuota(resource, items);
      return items.map(create);
    });
  }

  private remove<Row extends { id: string }>(type: ChangeType, find: () => Row, drop: (row: Row) => void): void {
    this.access.write(() => {
      const row = find();
      drop(row);
      this.access.record({ type, id: row.id, op: 'delete' });
    });
  }

  private record<T>(type: 'pool' | 'member' | 'vip' | 'health_monitor', op: 'create' | 'update', id: string): T {
    const table = { pool: this.pools, member: this.members, vip: this.vips, health_monitor: this.monitors }[type];
    const data = table.get(SYSTEM, id) as unknown as Record<string, string>;
    const deps = type === 'member' || type === 'vip' ? [data.pool_id] : [];
    this.access.record({ type, id, op, data, deps });
    return data as T;
  }

  /** A vip fronts one pool of its own project and protocol (Havana's create_vip checks). */
  private checkPoolForVip(pool: PoolRow, projectId: string, protocol: string): void {
    if (pool.project_id !== projectId) throw notAuthorized();
    if (pool.protocol !== protocol) throw protocolMismatch(protocol, pool.protocol);
    if (pool.vip_id) throw vipExists(pool.id);
  }

  private checkMemberFree(poolId: string, address: string, port: number): void {
    if (this.access.core.db.prepare('SELECT 1 FROM members WHERE pool_id = ? AND address = ? AND protocol_port = ?').get(poolId, address, port)) throw memberExists(address, port, poolId);
  }

  private associated(poolId: string, monitorId: string): boolean {
    return !!this.access.core.db.prepare('SELECT 1 FROM poolmonitorassociations WHERE pool_id = ? AND monitor_id = ?').get(poolId, monitorId);
  }

  /** A pool's monitors become exactly these (each one the caller sees). */
  private setMonitors(ctx: RequestContext, poolId: string, monitorIds: string[]): void {
    for (const m of monitorIds) this.monitors.find(ctx, m);
    this.access.core.db.prepare('DELETE FROM poolmonitorassociations WHERE pool_id = ?').run(poolId);
    const insert = this.access.core.db.prepare('INSERT INTO poolmonitorassociations (pool_id, monitor_id) VALUES (?, ?)');
    for (const m of new Set(monitorIds)) insert.run(poolId, m);
  }
}
