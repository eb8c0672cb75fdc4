import type { ListQuery, RequestContext } from '../plugins/plugin.js';

type Awaitable<T> = T | Promise<T>;

export type LbProtocol = 'TCP' | 'HTTP' | 'HTTPS';
export type LbMethod = 'ROUND_ROBIN' | 'LEAST_CONNECTIONS' | 'SOURCE_IP';
export type MonitorType = 'PING' | 'TCP' | 'HTTP' | 'HTTPS';

/** What every LBaaS v1 resource shows (v1 predates Neutron's standard attributes: no timestamps, no revisions). */
interface Owned {
  id: string;
  tenant_id: string;
  project_id: string;
}

export interface Pool extends Owned {
  name: string;
  description: string;
  subnet_id: string;
  protocol: LbProtocol;
  provider: string;
  lb_method: LbMethod;
  vip_id: string | null;
  members: string[];
  health_monitors: string[];
  health_monitors_status: { monitor_id: string; status: string; status_description: string | null }[];
  admin_state_up: boolean;
  status: string;
  status_description: string | null;
}

export interface Member extends Owned {
  pool_id: string;
  address: string;
  protocol_port: number;
  weight: number;
  admin_state_up: boolean;
  status: string;
  status_description: string | null;
}

export interface SessionPersistence {
  type: 'SOURCE_IP' | 'HTTP_COOKIE' | 'APP_COOKIE';
  cookie_name?: string;
}

export interface Vip extends Owned {
  name: string;
  description: string;
  subnet_id: string;
  address: string;
  port_id: string;
  protocol_port: number;
  protocol: LbProtocol;
  pool_id: string;
  /** Absent when the vip has none, as Havana showed it. */
  session_persistence?: SessionPersistence;
  connection_limit: number;
  admin_state_up: boolean;
  status: string;
  status_description: string | null;
}

export interface HealthMonitor extends Owned {
  type: MonitorType;
  delay: number;
  timeout: number;
  max_retries: number;
  /** HTTP and HTTPS monitors only, as Havana showed them. */
  http_method?: string;
  url_path?: string;
  expected_codes?: string;
  admin_state_up: boolean;
  pools: { pool_id: string; status: string; status_description: string | null }[];
}

export interface PoolCreate {
  project_id: string;
  name: string;
  description: string;
  subnet_id: string;
  protocol: LbProtocol;
  lb_method: LbMethod;
  admin_state_up: boolean;
  /** Monitors to associate at once (null or absent: none). */
  health_monitors?: string[] | null;
}
export type PoolUpdate = Partial<Pick<PoolCreate, 'name' | 'description' | 'lb_method' | 'admin_state_up' | 'health_monitors'>>;

export interface MemberCreate {
  project_id: string;
  pool_id: string;
  address: string;
  protocol_port: number;
  weight: number;
  admin_state_up: boolean;
}
export type MemberUpdate = Partial<Pick<MemberCreate, 'pool_id' | 'weight' | 'admin_state_up'>>;

export interface VipCreate {
  project_id: string;
  name: string;
  description: string;
  subnet_id: string;
  /** undefined or null: one from the subnet's pool. */
  address?: string | null;
  protocol_port: number;
  protocol: LbProtocol;
  pool_id: string;
  /** null: none. */
  session_persistence: SessionPersistence | null;
  connection_limit: number;
  admin_state_up: boolean;
}
export type VipUpdate = Partial<Pick<VipCreate, 'name' | 'description' | 'pool_id' | 'session_persistence' | 'connection_limit' | 'admin_state_up'>>;

export interface HealthMonitorCreate {
  project_id: string;
  type: MonitorType;
  delay: number;
  timeout: number;
  max_retries: number;
  http_method: string;
  url_path: string;
  expected_codes: string;
  admin_state_up: boolean;
}
export type HealthMonitorUpdate = Partial<Omit<HealthMonitorCreate, 'project_id' | 'type'>>;

/** A pool's association with a monitor, as GET /lb/pools/{id}/health_monitors/{monitor} shows it. */
export interface PoolMonitor {
  pool_id: string;
  monitor_id: string;
  status: string;
  status_description: string | null;
  tenant_id: string;
}

/**
 * LBaaS v1 as Havana served it: pools of members on a subnet, a vip (an address on a port of its
 * own) in front of a pool, health monitors associated with pools. Visibility and atomicity as for
 * the core resources; no driver here, so objects are ACTIVE once created.
 */
export interface LbaasService {
  createPools(ctx: RequestContext, items: PoolCreate[]): Awaitable<Pool[]>;
  getPool(ctx: RequestContext, id: string): Awaitable<Pool>;
  listPools(ctx: RequestContext, query: ListQuery): Awaitable<Pool[]>;
  updatePool(ctx: RequestContext, id: string, changes: PoolUpdate): Awaitable<Pool>;
  /** 409 PoolInUse while a vip fronts it; its members go with it. */
  deletePool(ctx: RequestContext, id: string): Awaitable<void>;

  createMembers(ctx: RequestContext, items: MemberCreate[]): Awaitable<Member[]>;
  getMember(ctx: RequestContext, id: string): Awaitable<Member>;
  listMembers(ctx: RequestContext, query: ListQuery): Awaitable<Member[]>;
  updateMember(ctx: RequestContext, id: string, changes: MemberUpdate): Awaitable<Member>;
  deleteMember(ctx: RequestContext, id: string): Awaitable<void>;

  createVips(ctx: RequestContext, items: VipCreate[]): Awaitable<Vip[]>;
  getVip(ctx: RequestContext, id: string): Awaitable<Vip>;
  listVips(ctx: RequestContext, query: ListQuery): Awaitable<Vip[]>;
  updateVip(ctx: RequestContext, id: string, changes: VipUpdate): Awaitable<Vip>;
  deleteVip(ctx: RequestContext, id: string): Awaitable<void>;

  createHealthMonitors(ctx: RequestContext, items: HealthMonitorCreate[]): Awaitable<HealthMonitor[]>;
  getHealthMonitor(ctx: RequestContext, id: string): Awaitable<HealthMonitor>;
  listHealthMonitors(ctx: RequestContext, query: ListQuery): Awaitable<HealthMonitor[]>;
  updateHealthMonitor(ctx: RequestContext, id: string, changes: HealthMonitorUpdate): Awaitable<HealthMonitor>;
  deleteHealthMonitor(ctx: RequestContext, id: string): Awaitable<void>;

  /** 409 PoolMonitorAssociationExists when already associated; 404 HealthMonitorNotFound. */
  associateHealthMonitor(ctx: RequestContext, poolId: string, monitorId: string): Awaitable<PoolMonitor>;
  getPoolHealthMonitor(ctx: RequestContext, poolId: string, monitorId: string): Awaitable<PoolMonitor>;
  /** 404 PoolMonitorAssociationNotFound when not associated. */
  disassociateHealthMonitor(ctx: RequestContext, poolId: string, monitorId: string): Awaitable<void>;
}
