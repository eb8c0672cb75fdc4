import type { Db } from '../db/connection.js';
import type { NetcoreConfig } from '../config.js';
import type { L3Service } from '../l3/service.js';
import type { SecurityGroupService } from '../securitygroups/service.js';
import type { QuotaService } from '../quotas/service.js';
import type { LbaasService } from '../lbaas/service.js';
import type { MetadataService } from '../metadata/service.js';

/**
 * Who is calling: the project the request acts for, and whether it has the admin role. The API sets
 * it once per request from authentication (src/netcore/auth), never from a body.
 */
export interface RequestContext {
  projectId: string;
  isAdmin: boolean;
  /** The caller's role names, lower case (Keystone's, or noauth's `X-Roles`). Absent on contexts made in code. */
  roles?: readonly string[];
  /** Only the `reader` role (no `member`, no `admin`): reads only; the API refuses its writes before any resource sees them. */
  isReader?: boolean;
  /** True when Keystone (or a trusted proxy in front of it) vouched for the caller; false in noauth. */
  authenticated?: boolean;
  /** The Keystone user, when known. */
  userId?: string;
  /**
   * On updates and deletes, the `If-Match: revision_number=N` constraint: the change must fail with
   * 412 RevisionNumberConstraintFailed (errors.ts) unless the resource's revision_number is N. The API
   * checks it before calling the plugin; a plugin checks it again atomically with the change.
   */
  revision?: number;
}

/** Fields every resource carries on the wire (Neutron's standard attributes). */
export interface Standard {
  id: string;
  name: string;
  description: string;
  project_id: string;
  tenant_id: string;
  created_at: string;
  updated_at: string;
  revision_number: number;
  tags: string[];
}

export interface Network extends Standard {
  admin_state_up: boolean;
  status: string;
  shared: boolean;
  subnets: string[];
  mtu: number;
  'router:external': boolean;
  'provider:network_type': string | null;
  'provider:physical_network': string | null;
  'provider:segmentation_id': number | null;
  /** With the port-security extension: the default for the network's ports. */
  port_security_enabled?: boolean;
}

export interface AllocationPool {
  start: string;
  end: string;
}
export interface HostRoute {
  destination: string;
  nexthop: string;
}
export type Ipv6Mode = 'slaac' | 'dhcpv6-stateful' | 'dhcpv6-stateless';

export interface Subnet extends Standard {
  network_id: string;
  ip_version: 4 | 6;
  cidr: string;
  gateway_ip: string | null;
  allocation_pools: AllocationPool[];
  dns_nameservers: string[];
  host_routes: HostRoute[];
  enable_dhcp: boolean;
  ipv6_ra_mode: Ipv6Mode | null;
  ipv6_address_mode: Ipv6Mode | null;
  subnetpool_id: null;
  service_types: string[];
}

export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

export interface Port extends Standard {
  network_id: string;
  admin_state_up: boolean;
  status: string;
  mac_address: string;
  fixed_ips: FixedIp[];
  device_id: string;
  device_owner: string;
  /** With the security-group extension: the port's groups. */
  security_groups?: string[];
  /** With the port-security extension. */
  port_security_enabled?: boolean;
}

/**
 * What a create hands the plugin: validated, defaults filled, `project_id` resolved by the API.
 * Optional fields were absent from the request (the plugin decides: e.g. segments, gateway, pools).
 */
export interface NetworkCreate {
  project_id: string;
  name: string;
  description: string;
  admin_state_up: boolean;
  shared: boolean;
  mtu?: number;
  'router:external': boolean;
  'provider:network_type'?: string;
  'provider:physical_network'?: string | null;
  'provider:segmentation_id'?: number;
  /** With the port-security extension (undefined: enabled). */
  port_security_enabled?: boolean;
}
export interface SubnetCreate {
  project_id: string;
  network_id: string;
  name: string;
  description: string;
  ip_version: 4 | 6;
  cidr: string;
  /** undefined: the first host; null: no gateway. */
  gateway_ip?: string | null;
  allocation_pools?: AllocationPool[];
  dns_nameservers: string[];
  host_routes: HostRoute[];
  enable_dhcp: boolean;
  ipv6_ra_mode: Ipv6Mode | null;
  ipv6_address_mode: Ipv6Mode | null;
}
/** A requested fixed IP: by address, by subnet, or both. */
export interface FixedIpRequest {
  subnet_id?: string;
  ip_address?: string;
}
export interface PortCreate {
  project_id: string;
  network_id: string;
  name: string;
  description: string;
  admin_state_up: boolean;
  /** undefined: generate one from the configured base MAC. */
  mac_address?: string;
  /** undefined: one address from the network's IPv4 subnets and one from its IPv6 ones. */
  fixed_ips?: FixedIpRequest[];
  device_id: string;
  device_owner: string;
  /** undefined: the project's default group (none for `network:*` ports); needs the security-group extension. */
  security_groups?: string[];
  /** undefined: the network's setting; needs the port-security extension. */
  port_security_enabled?: boolean;
}

/** Updates carry only the fields the request set (already validated and allowed). */
export type NetworkUpdate = Partial<Pick<NetworkCreate, 'name' | 'description' | 'admin_state_up' | 'shared' | 'mtu' | 'router:external' | 'port_security_enabled'>>;
export type SubnetUpdate = Partial<Pick<SubnetCreate, 'name' | 'description' | 'gateway_ip' | 'allocation_pools' | 'dns_nameservers' | 'host_routes' | 'enable_dhcp'>>;
export type PortUpdate = Partial<Omit<PortCreate, 'project_id' | 'network_id'>>;

export type SortDir = 'asc' | 'desc';

/**
 * A list request, already parsed by the API. `filters` maps a field to the values any of which
 * matches (OR within a field, AND across fields); values are typed (booleans, numbers, strings).
 * `fixed_ips` filters on ports come as strings `ip_address=...` / `subnet_id=...`.
 * `changed_since` (one value, UTC `YYYY-MM-DDTHH:MM:SSZ`) keeps resources with `updated_at` at or after it.
 * `sorts` always ends with `id` so order is total. Return at most `limit` items after `marker`
 * (the id of an item, compared by the sort keys), or throw the resource's NotFound for an unknown marker.
 */
export interface ListQuery {
  filters: Record<string, unknown[]>;
  sorts: { key: string; dir: SortDir }[];
  limit?: number;
  marker?: string;
}

type Awaitable<T> = T | Promise<T>;

/**
 * A backend of netcore's core API. The HTTP layer validates bodies, applies attribute policy (who
 * may set `shared`, `provider:*`, ...) and ownership of updates and deletes; the plugin stores,
 * allocates (addresses, MACs, segments) and decides visibility:
 *
 * - get/list return only what `ctx` may see: everything for admin, else the project's own
 *   resources plus shared networks and their subnets. An invisible resource is a NotFound
 *   (NeutronError type `NetworkNotFound`, `SubnetNotFound`, `PortNotFound`), never a 403.
 * - every operation is atomic: a bulk create (several items) creates all or nothing, and an error
 *   leaves no trace. Failures are thrown as `NeutronError` (see ../errors.ts).
 * - two servers sharing one store must never hand out the same address, MAC or segment.
 * - creating a subnet or port on a network that does not exist (any more) is `NetworkNotFound`: the
 *   API skips its own read of a network whose owner it already knows (a network's owner never changes).
 *
 * `extensions` lists the aliases the plugin implements (shown by GET /v2.0/extensions).
 */
export interface NetcorePlugin {
  readonly name: string;
  readonly extensions: string[];

  createNetworks(ctx: RequestContext, items: NetworkCreate[]): Awaitable<Network[]>;
  /**
   * `fields` (Neutron's `fields=`): the attributes the caller will read, e.g. the API's ownership
   * check asks for `project_id` and `shared` only. A plugin may then leave the others out (the
   * reference plugin skips the subnet and segment reads); one that ignores it returns them all.
   */
  getNetwork(ctx: RequestContext, id: string, fields?: readonly (keyof Network)[]): Awaitable<Network>;
  listNetworks(ctx: RequestContext, query: ListQuery): Awaitable<Network[]>;
  updateNetwork(ctx: RequestContext, id: string, changes: NetworkUpdate): Awaitable<Network>;
  /** 409 NetworkInUse while ports other than `network:dhcp` ones remain. */
  deleteNetwork(ctx: RequestContext, id: string): Awaitable<void>;

  createSubnets(ctx: RequestContext, items: SubnetCreate[]): Awaitable<Subnet[]>;
  getSubnet(ctx: RequestContext, id: string): Awaitable<Subnet>;
  listSubnets(ctx: RequestContext, query: ListQuery): Awaitable<Subnet[]>;
  updateSubnet(ctx: RequestContext, id: string, changes: SubnetUpdate): Awaitable<Subnet>;
  /** 409 SubnetInUse while ports other than `network:dhcp` ones hold addresses from it. */
  deleteSubnet(ctx: RequestContext, id: string): Awaitable<void>;

  createPorts(ctx: RequestContext, items: PortCreate[]): Awaitable<Port[]>;
  getPort(ctx: RequestContext, id: string): Awaitable<Port>;
  listPorts(ctx: RequestContext, query: ListQuery): Awaitable<Port[]>;
  updatePort(ctx: RequestContext, id: string, changes: PortUpdate): Awaitable<Port>;
  deletePort(ctx: RequestContext, id: string): Awaitable<void>;

  /**
   * Services, each served (its resources registered) only when present and announced by the
   * aliases in `extensions`: l3 (`router`, `ext-gw-mode`, `extraroute`), securityGroups
   * (`security-group`, `port-security`: also the ports' and networks' attributes), quotas
   * (`quotas`, `quota_details`: the plugin enforces them on create), lbaas (`lbaas`: LBaaS v1).
   * `metadata` is no API extension: it serves the metadata listener (metadata/server.ts).
   */
  readonly l3?: L3Service;
  readonly securityGroups?: SecurityGroupService;
  readonly quotas?: QuotaService;
  readonly lbaas?: LbaasService;
  readonly metadata?: MetadataService;

  /** Releases what the plugin holds (connections, timers). */
  close?(): Awaitable<void>;
}

/** What a plugin's factory receives: the migrated database and the resolved config. */
export interface PluginOptions {
  db: Db;
  config: NetcoreConfig;
}

/** A plugin module's default export (or its `createPlugin` export). */
export type PluginFactory = (opts: PluginOptions) => Awaitable<NetcorePlugin>;
