import type { ListQuery, RequestContext, Standard } from '../plugins/plugin.js';

type Awaitable<T> = T | Promise<T>;

export type Direction = 'ingress' | 'egress';
export type Ethertype = 'IPv4' | 'IPv6';

/** What a rule says, whether asked for, stored or shown. */
export interface RuleFields {
  security_group_id: string;
  direction: Direction;
  ethertype: Ethertype;
  /** As given: a lower-case name (`tcp`) or a number as a string (`6`); null for any. */
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
}

export interface SecurityGroupRule extends Omit<Standard, 'name' | 'tags' | 'description'>, RuleFields {
  /** null on the rules Neutron makes itself (a new group's egress, the default group's). */
  description: string | null;
}

export interface SecurityGroup extends Standard {
  /** Each with `tags: []`, as Neutron shows a group's rules. */
  security_group_rules: (SecurityGroupRule & { tags?: string[] })[];
}

export interface SecurityGroupCreate {
  project_id: string;
  name: string;
  description: string;
}
export type SecurityGroupUpdate = Partial<Pick<SecurityGroupCreate, 'name' | 'description'>>;

/** A rule as the API validated and converted it; the service applies Neutron's rule checks (./rules.ts). */
export interface SecurityGroupRuleCreate extends RuleFields {
  project_id: string;
  description: string;
}

/**
 * Neutron's security groups (extensions security-group and port-security). Every project has a
 * `default` group from its first use, which it cannot rename or delete; ports get it unless told
 * otherwise. A port's groups and port security are port attributes, handled by the plugin's port
 * operations (`security_groups`, `port_security_enabled` in PortCreate/PortUpdate).
 */
export interface SecurityGroupService {
  createSecurityGroups(ctx: RequestContext, items: SecurityGroupCreate[]): Awaitable<SecurityGroup[]>;
  getSecurityGroup(ctx: RequestContext, id: string): Awaitable<SecurityGroup>;
  /** Ensures the caller's default group first, as Neutron does on a list. */
  listSecurityGroups(ctx: RequestContext, query: ListQuery): Awaitable<SecurityGroup[]>;
  updateSecurityGroup(ctx: RequestContext, id: string, changes: SecurityGroupUpdate): Awaitable<SecurityGroup>;
  /** 409 SecurityGroupInUse while ports use it; 409 SecurityGroupCannotRemoveDefault for a project's own default. */
  deleteSecurityGroup(ctx: RequestContext, id: string): Awaitable<void>;

  createSecurityGroupRules(ctx: RequestContext, items: SecurityGroupRuleCreate[]): Awaitable<SecurityGroupRule[]>;
  getSecurityGroupRule(ctx: RequestContext, id: string): Awaitable<SecurityGroupRule>;
  listSecurityGroupRules(ctx: RequestContext, query: ListQuery): Awaitable<SecurityGroupRule[]>;
  deleteSecurityGroupRule(ctx: RequestContext, id: string): Awaitable<void>;
}
