import type { Network, NetworkCreate, NetworkUpdate, Port, PortCreate, PortUpdate, RequestContext } from '../plugin.js';
import type { Core } from './core.js';
import type { PortRow } from './ports.js';

/** One committed change, as an observer of the plugin (the journal plugin's controller) hears of it. */
export interface Change {
  type: ChangeType;
  id: string;
  op: 'create' | 'update' | 'delete';
  /** The object as the API shows it (creates and updates). */
  data?: object;
  /** Objects that must reach the observer first (a port's network, a rule's group). */
  deps?: string[];
}
export type ChangeType =
  | 'network'
  | 'subnet'
  | 'port'
  | 'router'
  | 'floatingip'
  | 'security_group'
  | 'security_group_rule'
  | 'pool'
  | 'member'
  | 'vip'
  | 'health_monitor';

/**
 * What a service adds to the reference plugin's core operations (Neutron's callback registry, in
 * small). Each runs inside the operation's write transaction, so a refusal rolls the whole call back.
 */
export interface CoreHooks {
  /** A network was inserted (e.g. its project's default security group, its port-security default). */
  networkCreated?(ctx: RequestContext, id: string, item: NetworkCreate): void;
  networkUpdated?(ctx: RequestContext, id: string, changes: NetworkUpdate): void;
  /** A port was inserted, through the API or by a service (router interfaces, gateway ports, vips). */
  portCreated?(ctx: RequestContext, id: string, item: PortCreate): void;
  /** Before a port update is applied: validate the request against the port as it is. */
  updatingPort?(ctx: RequestContext, port: PortRow, changes: PortUpdate): void;
  /** A port was updated (its addresses may have changed). */
  portUpdated?(ctx: RequestContext, id: string, changes: PortUpdate): void;
  /** Before a port is deleted through the ports API: refuse a port a service owns, or let go of it. */
  deletingPort?(ctx: RequestContext, port: PortRow): void;
  /** Before a subnet or network is deleted: refuse while a service still uses it. */
  deletingSubnet?(id: string): void;
  deletingNetwork?(id: string): void;
  /** Adds the service's attributes to core resources on their way out. */
  extendPorts?(ports: Port[]): void;
  extendNetworks?(networks: Network[]): void;
}

/** What the reference plugin gives a service: its tables and write path, and ports made on a service's behalf. */
export interface ServiceAccess {
  core: Core;
  /** Runs fn in one write transaction (nested calls join it). */
  write<T>(fn: () => T): T;
  /** Tells observers of a committed change (journal plugin); no-op in the reference plugin. */
  record(change: Change): void;
  /** A port a service needs (router interface, gateway, floating IP, vip): hooks run, no quota applies (as Neutron). */
  createPort(ctx: RequestContext, item: PortCreate): string;
  updatePort(ctx: RequestContext, id: string, changes: PortUpdate): void;
  /** Deletes a port a service owns (no deletingPort hooks: the service decided). */
  deletePort(id: string): void;
  /** A port as the API shows it, whatever the caller may see. */
  showPort(id: string): Port;
  /** Refuses (409 OverQuota) creating one `resource` per item when a project would exceed its quota; counts are exact within the transaction. */
  checkQuota(resource: string, items: { project_id: string }[]): void;
}
