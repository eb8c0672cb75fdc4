import type { FastifyInstance } from 'fastify';
import { methodNotAllowed } from '../errors.js';
import { InvalidValue, listOf, toBool, toStr, toUuid, type AttrMap } from '../api/attributes.js';
import { registerResource, type ControllerOptions, type ResourceSpec } from '../api/resource.js';
import { standardAttrs } from '../api/standard.js';
import type { NetcorePlugin } from '../plugins/plugin.js';
import { securityGroupDefaultAlreadyExists } from './errors.js';
import { convertEthertype, convertPort, convertPrefix, convertProtocol } from './rules.js';
import { serviceOps } from '../api/ops.js';
import type { SecurityGroup, SecurityGroupRule, SecurityGroupService } from './service.js';

/** A list of UUIDs without repeats; null means none (neutron-lib's convert_none_to_empty_list with type:uuid_list). */
const uuidSet = (v: unknown): string[] => {
  if (v === null) return [];
  const ids = listOf(toUuid)(v);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new InvalidValue(`Duplicate items in the list: '${dup}'`);
  return ids;
};

/** The security-group and port-security extensions' attributes on ports. */
export const portSecurityGroupAttrs: AttrMap = {
  security_groups: { post: true, put: true, convert: uuidSet, filter: 'none' },
  port_security_enabled: { post: true, put: true, convert: toBool, filter: 'none' },
};

/** The port-security extension's attribute on networks (the default for their ports). */
export const networkPortSecurityAttrs: AttrMap = {
  port_security_enabled: { post: true, put: true, default: () => true, convert: toBool, filter: 'none' },
};

export const securityGroupAttrs: AttrMap = {
  ...standardAttrs(),
  security_group_rules: { filter: 'none' },
};

const { name: _noName, tags: _noTags, ...ruleStandard } = standardAttrs();
export const securityGroupRuleAttrs: AttrMap = {
  ...ruleStandard,
  security_group_id: { post: true, required: true, convert: toStr(36), filter: 'string', sort: true },
  remote_group_id: { post: true, default: () => null, convert: (v) => (v === null ? null : toUuid(v)), filter: 'string', sort: true },
  direction: {
    post: true,
    required: true,
    // neutron-lib's type:values wording
    convert: (v) => {
      if (v === 'ingress' || v === 'egress') return v;
      throw new InvalidValue(`${String(v)} is not in valid_values`);
    },
    filter: 'string',
    sort: true,
  },
  protocol: { post: true, default: () => null, convert: convertProtocol, filter: 'string', sort: true },
  port_range_min: { post: true, default: () => null, convert: convertPort, filter: 'int', sort: true },
  port_range_max: { post: true, default: () => null, convert: convertPort, filter: 'int', sort: true },
  ethertype: { post: true, default: () => 'IPv4', convert: convertEthertype, filter: 'string', sort: true },
  remote_ip_prefix: { post: true, default: () => null, convert: convertPrefix, filter: 'string', sort: true },
};

/** `default` (in any case) is the project's own group's name: no other group may take it. */
function refuseDefaultName(name: unknown): void {
  if (typeof name === 'string' && name.toLowerCase() === 'default') throw securityGroupDefaultAlreadyExists();
}

export function securityGroupSpec(sg: SecurityGroupService): ResourceSpec<SecurityGroup> {
  return {
    singular: 'security_group',
    collection: 'security_groups',
    path: 'security-groups',
    attrs: securityGroupAttrs,
    ...serviceOps<SecurityGroup>(sg, 'SecurityGroup'),
    update: async (ctx, id, changes) => {
      refuseDefaultName(changes.name);
      return sg.updateSecurityGroup(ctx, id, changes);
    },
    async authorizeCreate(_ctx, item) {
      refuseDefaultName(item.name);
    },
  };
}

export function securityGroupRuleSpec(sg: SecurityGroupService): ResourceSpec<SecurityGroupRule> {
  return {
    singular: 'security_group_rule',
    collection: 'security_group_rules',
    path: 'security-group-rules',
    attrs: securityGroupRuleAttrs,
    ...serviceOps<SecurityGroupRule>(sg, 'SecurityGroupRule'),
    // rules are immutable: delete and add (Neutron Zed answers a PUT with a 500)
    update: async () => {
      throw methodNotAllowed();
    },
  };
}

/** Serves security groups and their rules when the plugin has the service. */
export function registerSecurityGroups(app: FastifyInstance, plugin: NetcorePlugin, opts: ControllerOptions): void {
  const sg = plugin.securityGroups;
  if (!sg) return;
  registerResource(app, securityGroupSpec(sg), opts);
  registerResource(app, securityGroupRuleSpec(sg), opts);
}
