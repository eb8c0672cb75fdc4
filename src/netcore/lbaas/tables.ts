import type { RequestContext } from '../plugins/plugin.js';
import type { Core } from '../plugins/sqlite/core.js';
import { inChunks, type TableSpec } from '../plugins/sqlite/list.js';
import { Table } from '../plugins/sqlite/table.js';
import { healthMonitorNotFound, memberNotFound, poolNotFound, vipNotFound } from './errors.js';
import type { HealthMonitor, LbMethod, LbProtocol, Member, MonitorType, Pool, SessionPersistence, Vip } from './service.js';

// LBaaS v1's tables (migrations grizzly_lbaas, havana_lbaas_session_persistence) as the API shows them.

export interface PoolRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  subnet_id: string;
  protocol: LbProtocol;
  lb_method: LbMethod;
  status: string;
  admin_state_up: number;
  vip_id: string | null;
}
export interface MemberRow {
  id: string;
  project_id: string;
  pool_id: string;
  address: string;
  protocol_port: number;
  weight: number;
  status: string;
  admin_state_up: number;
}
export interface VipRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  port_id: string;
  protocol_port: number;
  protocol: LbProtocol;
  pool_id: string;
  status: string;
  admin_state_up: number;
  connection_limit: number;
}
export interface MonitorRow {
  id: string;
  project_id: string;
  type: MonitorType;
  delay: number;
  timeout: number;
  max_retries: number;
  http_method: string | null;
  url_path: string | null;
  expected_codes: string | null;
  admin_state_up: number;
}

/** The provider every pool reports (Havana's default service provider). */
export const PROVIDER = 'haproxy';
const owned = (r: { id: string; project_id: string }) => ({ id: r.id, tenant_id: r.project_id, project_id: r.project_id });
const spec = (table: string, alias: string, columns: string[], notFound: (id: string) => Error, extra: Record<string, string> = {}): TableSpec => ({
  from: `${table} ${alias}`,
  alias,
  columns: { ...Object.fromEntries(columns.map((c) => [c, `${alias}.${c}`])), ...extra },
  visibility: (ctx: RequestContext) => ({ sql: `${alias}.project_id = ?`, params: [ctx.projectId] }),
  notFound: notFound as TableSpec['notFound'],
});

abstract class LbTable<Row extends { id: string }, R> extends Table<Row, R> {
  constructor(
    core: Core,
    private readonly table: string,
    tableSpec: TableSpec,
  ) {
    super(core, tableSpec);
  }

  forChange(ctx: RequestContext, id: string): Row {
    return this.find(ctx, id);
  }

  /** Sets the given columns (booleans as 0/1). */
  set(id: string, values: Record<string, unknown>): void {
    const cols = Object.keys(values);
    if (!cols.length) return;
    this.core.db.prepare(`UPDATE ${this.table} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...cols.map((c) => (typeof values[c] === 'boolean' ? +(values[c] as boolean) : values[c])), id);
  }

  delete(id: string): void {
    this.core.db.prepare(`DELETE FROM ${this.table} WHERE id = ?`).run(id);
  }
}

export class Pools extends LbTable<PoolRow, Pool> {
  constructor(core: Core) {
    super(core, 'pools', spec('pools', 'p', ['id', 'name', 'description', 'project_id', 'subnet_id', 'protocol', 'lb_method', 'status', 'admin_state_up'], poolNotFound, { vip_id: `IFNULL(p.vip_id, '')` }));
  }

  hydrate(rows: PoolRow[]): Pool[] {
    const ids = rows.map((r) => r.id);
    const members = new Map<string, string[]>();
    for (const m of inChunks(ids, (c, q) => this.core.db.prepare(`SELECT id, pool_id FROM members WHERE pool_id IN (${q}) ORDER BY rowid`).all(...c) as { id: string; pool_id: string }[])) {
      members.set(m.pool_id, [...(members.get(m.pool_id) ?? []), m.id]);
    }
    const monitors = new Map<string, string[]>();
    for (const a of inChunks(ids, (c, q) => this.core.db.prepare(`SELECT pool_id, monitor_id FROM poolmonitorassociations WHERE pool_id IN (${q}) ORDER BY rowid`).all(...c) as { pool_id: string; monitor_id: string }[])) {
      monitors.set(a.pool_id, [...(monitors.get(a.pool_id) ?? []), a.monitor_id]);
    }
    return rows.map((r) => ({
      ...owned(r),
      name: r.name,
      description: r.description,
      subnet_id: r.subnet_id,
      protocol: r.protocol,
      provider: PROVIDER,
      lb_method: r.lb_method,
      vip_id: r.vip_id,
      members: members.get(r.id) ?? [],
      health_monitors: monitors.get(r.id) ?? [],
      health_monitors_status: (monitors.get(r.id) ?? []).map((monitor_id) => ({ monitor_id, status: 'ACTIVE', status_description: null })),
      admin_state_up: !!r.admin_state_up,
      status: r.status,
      status_description: null,
    }));
  }
}

export class Members extends LbTable<MemberRow, Member> {
  constructor(core: Core) {
    super(core, 'members', spec('members', 'm', ['id', 'project_id', 'pool_id', 'address', 'protocol_port', 'weight', 'status', 'admin_state_up'], memberNotFound));
  }

  hydrate(rows: MemberRow[]): Member[] {
    return rows.map((r) => ({
      ...owned(r),
      pool_id: r.pool_id,
      address: r.address,
      protocol_port: r.protocol_port,
      weight: r.weight,
      admin_state_up: !!r.admin_state_up,
      status: r.status,
      status_description: null,
    }));
  }
}

export class Vips extends LbTable<VipRow, Vip> {
  constructor(core: Core) {
    super(core, 'vips', spec('vips', 'v', ['id', 'name', 'description', 'project_id', 'port_id', 'protocol_port', 'protocol', 'pool_id', 'status', 'admin_state_up', 'connection_limit'], vipNotFound));
  }

  persistence(vipId: string): SessionPersistence | null {
    const row = this.core.db.prepare('SELECT type, cookie_name FROM sessionpersistences WHERE vip_id = ?').get(vipId) as { type: SessionPersistence['type']; cookie_name: string | null } | undefined;
    if (!row) return null;
    return row.type === 'APP_COOKIE' ? { type: row.type, cookie_name: row.cookie_name ?? '' } : { type: row.type };
  }

  setPersistence(vipId: string, persistence: SessionPersistence | null): void {
    this.core.db.prepare('DELETE FROM sessionpersistences WHERE vip_id = ?').run(vipId);
    if (persistence) this.core.db.prepare('INSERT INTO sessionpersistences (vip_id, type, cookie_name) VALUES (?, ?, ?)').run(vipId, persistence.type, persistence.cookie_name ?? null);
  }

  hydrate(rows: VipRow[]): Vip[] {
    // a vip's subnet and address are its port's first fixed IP
    const ip = this.core.db.prepare('SELECT subnet_id, ip_address FROM ipallocations WHERE port_id = ? ORDER BY rowid LIMIT 1');
    return rows.map((r) => {
      const fixed = ip.get(r.port_id) as { subnet_id: string; ip_address: string } | undefined;
      const persistence = this.persistence(r.id);
      return {
        ...owned(r),
        name: r.name,
        description: r.description,
        subnet_id: fixed?.subnet_id ?? '',
        address: fixed?.ip_address ?? '',
        port_id: r.port_id,
        protocol_port: r.protocol_port,
        protocol: r.protocol,
        pool_id: r.pool_id,
        ...(persistence ? { session_persistence: persistence } : {}),
        connection_limit: r.connection_limit,
        admin_state_up: !!r.admin_state_up,
        status: r.status,
        status_description: null,
      };
    });
  }
}

export class HealthMonitors extends LbTable<MonitorRow, HealthMonitor> {
  constructor(core: Core) {
    super(core, 'healthmonitors', spec('healthmonitors', 'h', ['id', 'project_id', 'type', 'delay', 'timeout', 'max_retries', 'http_method', 'url_path', 'expected_codes', 'admin_state_up'], healthMonitorNotFound));
  }

  hydrate(rows: MonitorRow[]): HealthMonitor[] {
    const pools = new Map<string, string[]>();
    for (const a of inChunks(rows.map((r) => r.id), (c, q) => this.core.db.prepare(`SELECT pool_id, monitor_id FROM poolmonitorassociations WHERE monitor_id IN (${q}) ORDER BY rowid`).all(...c) as { pool_id: string; monitor_id: string }[])) {
      pools.set(a.monitor_id, [...(pools.get(a.monitor_id) ?? []), a.pool_id]);
    }
    return rows.map((r) => ({
      ...owned(r),
      type: r.type,
      delay: r.delay,
      timeout: r.timeout,
      max_retries: r.max_retries,
      ...(r.type === 'HTTP' || r.type === 'HTTPS' ? { http_method: r.http_method ?? 'GET', url_path: r.url_path ?? '/', expected_codes: r.expected_codes ?? '200' } : {}),
      admin_state_up: !!r.admin_state_up,
      pools: (pools.get(r.id) ?? []).map((pool_id) => ({ pool_id, status: 'ACTIVE', status_description: null })),
    }));
  }
}
