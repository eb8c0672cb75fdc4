import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../plugins/plugin.js';
import type { Core } from '../plugins/sqlite/core.js';
import { inChunks, now, type TableSpec } from '../plugins/sqlite/list.js';
import { standardFields, Table } from '../plugins/sqlite/table.js';
import { securityGroupNotFound, securityGroupRuleNotFound } from './errors.js';
import type { RuleFields, SecurityGroup, SecurityGroupCreate, SecurityGroupRule, SecurityGroupRuleCreate } from './service.js';

export interface GroupRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  revision_number: number;
}

export interface RuleRow extends RuleFields {
  id: string;
  project_id: string;
  description: string | null;
  created_at: string;
  updated_at: string;
  revision_number: number;
}

const groupTable: TableSpec = {
  from: 'securitygroups g',
  alias: 'g',
  columns: Object.fromEntries(['id', 'name', 'description', 'project_id', 'created_at', 'updated_at', 'revision_number'].map((c) => [c, `g.${c}`])),
  visibility: (ctx) => ({ sql: 'g.project_id = ?', params: [ctx.projectId] }),
  notFound: securityGroupNotFound,
};

const ruleTable: TableSpec = {
  from: 'securitygrouprules r',
  alias: 'r',
  columns: {
    ...Object.fromEntries(['id', 'project_id', 'security_group_id', 'direction', 'ethertype', 'created_at', 'updated_at', 'revision_number'].map((c) => [c, `r.${c}`])),
    ...Object.fromEntries(['protocol', 'remote_ip_prefix', 'remote_group_id', 'description'].map((c) => [c, `IFNULL(r.${c}, '')`])),
    ...Object.fromEntries(['port_range_min', 'port_range_max'].map((c) => [c, `IFNULL(r.${c}, -1)`])),
  },
  // a project sees its own rules and every rule of its own groups (Neutron's sg owner rule)
  visibility: (ctx) => ({ sql: '(r.project_id = ? OR r.security_group_id IN (SELECT x.id FROM securitygroups x WHERE x.project_id = ?))', params: [ctx.projectId, ctx.projectId] }),
  notFound: securityGroupRuleNotFound,
};

export class Rules extends Table<RuleRow, SecurityGroupRule> {
  constructor(core: Core) {
    super(core, ruleTable);
  }

  /** Inserts a rule already checked; `description` null marks one Neutron made itself. */
  insert(rule: Omit<SecurityGroupRuleCreate, 'description'> & { description: string | null }): string {
    const id = randomUUID();
    const ts = now();
    this.core.db
      .prepare(
        `INSERT INTO securitygrouprules (id, project_id, security_group_id, remote_group_id, direction, ethertype, protocol, port_range_min, port_range_max,
         remote_ip_prefix, description, created_at, updated_at, revision_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
      )
      .run(id, rule.project_id, rule.security_group_id, rule.remote_group_id, rule.direction, rule.ethertype, rule.protocol, rule.port_range_min, rule.port_range_max,
        rule.remote_ip_prefix, rule.description, ts, ts);
    return id;
  }

  ofGroups(groupIds: string[]): RuleRow[] {
    return inChunks(groupIds, (c, m) => this.core.db.prepare(`SELECT * FROM securitygrouprules WHERE security_group_id IN (${m}) ORDER BY rowid`).all(...c) as RuleRow[]);
  }

  forChange(ctx: RequestContext, id: string): RuleRow {
    return this.changing(ctx, id);
  }

  delete(id: string): void {
    this.core.db.prepare('DELETE FROM securitygrouprules WHERE id = ?').run(id);
  }

  hydrate(rows: RuleRow[]): SecurityGroupRule[] {
    return rows.map((r) => {
      const { name: _name, tags: _tags, description: _description, ...standard } = standardFields({ ...r, name: '', description: '' });
      return {
        ...standard,
        security_group_id: r.security_group_id,
        direction: r.direction,
        ethertype: r.ethertype,
        protocol: r.protocol,
        port_range_min: r.port_range_min,
        port_range_max: r.port_range_max,
        remote_ip_prefix: r.remote_ip_prefix,
        remote_group_id: r.remote_group_id,
        description: r.description,
      };
    });
  }
}

export class Groups extends Table<GroupRow, SecurityGroup> {
  constructor(
    core: Core,
    private readonly rules: Rules,
  ) {
    super(core, groupTable);
  }

  insert(item: SecurityGroupCreate): string {
    const id = randomUUID();
    const ts = now();
    this.core.db
      .prepare(`INSERT INTO securitygroups (id, project_id, name, description, created_at, updated_at, revision_number) VALUES (?, ?, ?, ?, ?, ?, 0)`)
      .run(id, item.project_id, item.name, item.description, ts, ts);
    return id;
  }

  forChange(ctx: RequestContext, id: string): GroupRow {
    return this.changing(ctx, id);
  }

  /** Sets name and description (as given) and bumps the revision; a rule's change bumps its group too. */
  touch(id: string, values: { name?: string; description?: string } = {}): void {
    this.core.db
      .prepare(`UPDATE securitygroups SET name = IFNULL(?, name), description = IFNULL(?, description), updated_at = ?, revision_number = revision_number + 1 WHERE id = ?`)
      .run(values.name ?? null, values.description ?? null, now(), id);
  }

  delete(id: string): void {
    this.core.db.prepare('DELETE FROM securitygroups WHERE id = ?').run(id);
  }

  hydrate(rows: GroupRow[]): SecurityGroup[] {
    const byGroup = new Map<string, SecurityGroup['security_group_rules']>();
    const rules = this.rules.hydrate(this.rules.ofGroups(rows.map((r) => r.id)));
    // as Neutron, the rules a group shows carry tags (a rule shown alone does not)
    for (const r of rules) byGroup.set(r.security_group_id, [...(byGroup.get(r.security_group_id) ?? []), { ...r, tags: [] }]);
    return rows.map((r) => ({ ...standardFields(r), security_group_rules: byGroup.get(r.id) ?? [] }));
  }
}
