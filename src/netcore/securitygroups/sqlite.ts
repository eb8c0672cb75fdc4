import type { ListQuery, RequestContext } from '../plugins/plugin.js';
import type { CoreHooks, ServiceAccess } from '../plugins/sqlite/hooks.js';
import {
  duplicateSecurityGroupRuleInPost,
  securityGroupCannotRemoveDefault,
  securityGroupCannotUpdateDefault,
  securityGroupInUse,
  securityGroupNotSingleGroupRules,
  securityGroupRuleExists,
} from './errors.js';
import { PortSecurity } from './ports.js';
import { canonicalRule, ruleKey } from './rules.js';
import type { SecurityGroup, SecurityGroupCreate, SecurityGroupRule, SecurityGroupRuleCreate, SecurityGroupService, SecurityGroupUpdate } from './service.js';
import { Groups, Rules } from './tables.js';

const SYSTEM: RequestContext = { projectId: '', isAdmin: true };
const ETHERTYPES = ['IPv4', 'IPv6'] as const;
export const DEFAULT_GROUP_DESCRIPTION = 'Default security group';

/** The reference plugin's security groups, over netcore's schema. */
export class SqliteSecurityGroups implements SecurityGroupService {
  private readonly rules: Rules;
  private readonly groups: Groups;
  private readonly ports: PortSecurity;
  readonly hooks: CoreHooks;

  constructor(private readonly access: ServiceAccess) {
    this.rules = new Rules(access.core);
    this.groups = new Groups(access.core, this.rules);
    this.ports = new PortSecurity(access.core.db, (ctx, project) => this.ensureDefault(ctx, project));
    this.hooks = {
      networkCreated: (ctx, id, item) => {
        this.ensureDefault(ctx, item.project_id);
        this.ports.setNetwork(id, item.port_security_enabled ?? true);
      },
      networkUpdated: (_ctx, id, changes) => {
        if (changes.port_security_enabled !== undefined) this.ports.setNetwork(id, changes.port_security_enabled);
      },
      portCreated: (ctx, id, item) => this.ports.created(ctx, id, item),
      updatingPort: (ctx, port, changes) => {
        this.ensureDefault(ctx, port.project_id);
        this.ports.updating(ctx, port, changes);
      },
      portUpdated: (_ctx, id, changes) => this.ports.updated(id, changes),
      extendPorts: (ports) => this.ports.extendPorts(ports),
      extendNetworks: (networks) => this.ports.extendNetworks(networks),
    };
  }

  /**
   * The project's default group, made with Neutron's rules on first use (ingress from the group
   * itself and egress to anywhere, for IPv4 and IPv6). A project never makes another's (undefined).
   */
  ensureDefault(ctx: RequestContext, projectId: string): string | undefined {
    if (!projectId || (!ctx.isAdmin && projectId !== ctx.projectId)) return undefined;
    const find = () => (this.access.core.db.prepare('SELECT security_group_id AS id FROM defaultsecuritygroups WHERE project_id = ?').get(projectId) as { id: string } | undefined)?.id;
    return (
      find() ??
      this.access.write(() => {
        const raced = find();
        if (raced) return raced;
        const id = this.groups.insert({ project_id: projectId, name: 'default', description: DEFAULT_GROUP_DESCRIPTION });
        this.access.core.db.prepare('INSERT INTO defaultsecuritygroups (project_id, security_group_id) VALUES (?, ?)').run(projectId, id);
        const rules = this.addDefaultRules(id, projectId, true);
        this.recordGroup(id, 'create');
        rules.forEach((rule) => this.recordRule(rule));
        return id;
      })
    );
  }

  createSecurityGroups(ctx: RequestContext, items: SecurityGroupCreate[]): SecurityGroup[] {
    return this.access.write(() => {
      for (const item of items) this.ensureDefault(ctx, item.project_id);
      this.access.checkQuota('security_group', items);
      this.access.checkQuota('security_group_rule', items.flatMap((i) => ETHERTYPES.map(() => i)));
      return items.map((item) => {
        const id = this.groups.insert(item);
        const rules = this.addDefaultRules(id, item.project_id, false);
        const group = this.recordGroup(id, 'create');
        rules.forEach((rule) => this.recordRule(rule));
        return group;
      });
    });
  }
  getSecurityGroup(ctx: RequestContext, id: string): SecurityGroup {
    return this.groups.get(ctx, id);
  }
  listSecurityGroups(ctx: RequestContext, query: ListQuery): SecurityGroup[] {
    this.ensureDefault(ctx, (query.filters.project_id?.[0] as string | undefined) ?? ctx.projectId);
    return this.groups.list(ctx, query);
  }
  updateSecurityGroup(ctx: RequestContext, id: string, changes: SecurityGroupUpdate): SecurityGroup {
    return this.access.write(() => {
      const row = this.groups.forChange(ctx, id);
      if (row.name === 'default' && changes.name !== undefined) throw securityGroupCannotUpdateDefault();
      this.groups.touch(id, changes);
      return this.recordGroup(id, 'update');
    });
  }
  deleteSecurityGroup(ctx: RequestContext, id: string): void {
    this.access.write(() => {
      const row = this.groups.forChange(ctx, id);
      if (this.access.core.db.prepare('SELECT 1 FROM securitygroupportbindings WHERE security_group_id = ? LIMIT 1').get(id)) throw securityGroupInUse(id);
      if (row.name === 'default' && !ctx.isAdmin) throw securityGroupCannotRemoveDefault();
      // its rules, and other groups' rules from it, go with it: observers hear of each, first
      const rules = (this.access.core.db.prepare('SELECT id FROM securitygrouprules WHERE security_group_id = ? OR remote_group_id = ?').all(id, id) as { id: string }[]).map((r) => r.id);
      this.groups.delete(id);
      for (const rule of rules) this.access.record({ type: 'security_group_rule', id: rule, op: 'delete' });
      this.access.record({ type: 'security_group', id, op: 'delete', deps: rules });
    });
  }

  /** Neutron's checks, then duplicates within the request (409 DuplicateSecurityGroupRuleInPost) and against the group (409 SecurityGroupRuleExists). */
  createSecurityGroupRules(ctx: RequestContext, items: SecurityGroupRuleCreate[]): SecurityGroupRule[] {
    return this.access.write(() => {
      if (items.length > 1 && new Set(items.map((i) => i.security_group_id)).size > 1) throw securityGroupNotSingleGroupRules();
      const rules = items.map((item) => {
        const rule = canonicalRule(item);
        if (rule.remote_group_id !== null) this.groups.find(ctx, rule.remote_group_id);
        this.groups.find(ctx, rule.security_group_id);
        return rule;
      });
      const keys = rules.map(ruleKey);
      if (new Set(keys).size < keys.length) throw duplicateSecurityGroupRuleInPost();
      for (const existing of this.rules.ofGroups([...new Set(rules.map((r) => r.security_group_id))])) {
        if (keys.includes(ruleKey(existing))) throw securityGroupRuleExists(existing.id);
      }
      this.access.checkQuota('security_group_rule', items);
      const ids = rules.map((rule) => this.rules.insert(rule));
      for (const g of new Set(rules.map((r) => r.security_group_id))) this.groups.touch(g);
      return ids.map((id) => this.recordRule(id));
    });
  }
  getSecurityGroupRule(ctx: RequestContext, id: string): SecurityGroupRule {
    return this.rules.get(ctx, id);
  }
  listSecurityGroupRules(ctx: RequestContext, query: ListQuery): SecurityGroupRule[] {
    this.ensureDefault(ctx, (query.filters.project_id?.[0] as string | undefined) ?? ctx.projectId);
    return this.rules.list(ctx, query);
  }
  deleteSecurityGroupRule(ctx: RequestContext, id: string): void {
    this.access.write(() => {
      const row = this.rules.forChange(ctx, id);
      this.rules.delete(id);
      this.groups.touch(row.security_group_id);
      this.access.record({ type: 'security_group_rule', id, op: 'delete', deps: [row.security_group_id] });
    });
  }

  /** Egress anywhere for IPv4 and IPv6; the default group also lets its own members in. */
  private addDefaultRules(groupId: string, projectId: string, isDefault: boolean): string[] {
    const base = { project_id: projectId, security_group_id: groupId, protocol: null, port_range_min: null, port_range_max: null, remote_ip_prefix: null, description: null };
    return ETHERTYPES.flatMap((ethertype) => [
      ...(isDefault ? [this.rules.insert({ ...base, ethertype, direction: 'ingress', remote_group_id: groupId })] : []),
      this.rules.insert({ ...base, ethertype, direction: 'egress', remote_group_id: null }),
    ]);
  }

  private recordGroup(id: string, op: 'create' | 'update'): SecurityGroup {
    const group = this.groups.get(SYSTEM, id);
    this.access.record({ type: 'security_group', id, op, data: group });
    return group;
  }

  private recordRule(id: string): SecurityGroupRule {
    const rule = this.rules.get(SYSTEM, id);
    this.access.record({ type: 'security_group_rule', id, op: 'create', data: rule, deps: [rule.security_group_id, ...(rule.remote_group_id ? [rule.remote_group_id] : [])] });
    return rule;
  }
}
