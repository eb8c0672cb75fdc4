import { randomUUID } from 'node:crypto';
import { defineCase } from '../../case.js';
import { ADMIN, BETA, type Harness, type Json } from '../../harness.js';

const NEEDS = ['security-group'];
const PORT_SECURITY = ['security-group', 'port-security'];
const sshRule = (sg: string) => ({ security_group_rule: { security_group_id: sg, direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22, ethertype: 'IPv4', remote_ip_prefix: '0.0.0.0/0' } });

async function group(t: Harness, name = 'web', who?: typeof BETA): Promise<Json> {
  return (await t.ok('POST', '/v2.0/security-groups', { security_group: { name, description: 'test' } }, who)).security_group;
}

/** A rule request in `sg` (ingress IPv4 unless told otherwise). */
const rule = (sg: string, extra: object) => ({ security_group_rule: { security_group_id: sg, direction: 'ingress', ...extra } });
const addRule = async (t: Harness, sg: string, extra: object) => (await t.ok('POST', '/v2.0/security-group-rules', rule(sg, extra))).security_group_rule;
const refuseRule = (t: Harness, sg: string, extra: object, status: number, type: string) => t.fails('POST', '/v2.0/security-group-rules', rule(sg, extra), status, type);

async function defaultGroup(t: Harness, who?: typeof BETA): Promise<Json> {
  const groups = await t.list('security-groups', 'name=default', who);
  t.equal(groups.length, 1, 'default groups of the project');
  return groups[0];
}

export const securityGroupCases = [
  defineCase({
    id: 'services.security_groups.lifecycle',
    title: 'a security group is created with its egress rules, updated, and deleted (then 404 SecurityGroupNotFound)',
    needs: NEEDS,
    async run(t) {
      const sg = await group(t);
      const egress = (sg.security_group_rules as Json[]).filter((r) => r.direction === 'egress').map((r) => r.ethertype).sort();
      t.equal(egress, ['IPv4', 'IPv6'], 'default egress rules');
      t.equal((await t.ok('PUT', `/v2.0/security-groups/${sg.id}`, { security_group: { name: 'db' } })).security_group.name, 'db', 'name after PUT');
      t.equal((await t.call('DELETE', `/v2.0/security-groups/${sg.id}`)).status, 204, 'DELETE status');
      await t.fails('GET', `/v2.0/security-groups/${sg.id}`, undefined, 404, 'SecurityGroupNotFound');
    },
  }),
  defineCase({
    id: 'services.security_groups.default_group',
    title: "each project has a default security group that it cannot delete (409)",
    needs: NEEDS,
    async run(t) {
      const dflt = await defaultGroup(t);
      await t.fails('DELETE', `/v2.0/security-groups/${dflt.id}`, undefined, 409, 'SecurityGroupCannotRemoveDefault');
    },
  }),
  defineCase({
    id: 'services.security_groups.default_rules',
    title: "the default group lets its own members in and everything out, for IPv4 and IPv6",
    needs: NEEDS,
    async run(t) {
      const dflt = await defaultGroup(t);
      const rules = (dflt.security_group_rules as Json[]).map((r) => `${r.direction} ${r.ethertype} ${r.remote_group_id === dflt.id ? 'self' : r.remote_group_id ?? 'any'} ${r.protocol ?? 'all'}`).sort();
      t.equal(rules, ['egress IPv4 any all', 'egress IPv6 any all', 'ingress IPv4 self all', 'ingress IPv6 self all'], 'rules of the default group');
      t.equal([dflt.description, dflt.project_id], ['Default security group', 'alpha'], '[description, project_id] of the default group');
    },
  }),
  defineCase({
    id: 'services.security_groups.default_once',
    title: "a project's default group is made once, however it is first used; no other group may be named default (409)",
    needs: NEEDS,
    async run(t) {
      const net = await t.network();
      await t.subnet(net.id, '10.0.0.0/24');
      await t.port(net.id);
      await t.list('security-group-rules');
      const dflt = await defaultGroup(t);
      await t.fails('POST', '/v2.0/security-groups', { security_group: { name: 'Default' } }, 409, 'SecurityGroupDefaultAlreadyExists');
      const sg = await group(t);
      await t.fails('PUT', `/v2.0/security-groups/${sg.id}`, { security_group: { name: 'default' } }, 409, 'SecurityGroupDefaultAlreadyExists');
      t.equal(t.ids(await t.list('security-groups', 'name=default')), [dflt.id], 'default groups after more use');
    },
  }),
  defineCase({
    id: 'services.security_groups.default_protected',
    title: 'the default group keeps its name (409 SecurityGroupCannotUpdateDefault) but not its description; admin may delete it',
    needs: NEEDS,
    async run(t) {
      const dflt = await defaultGroup(t);
      await t.fails('PUT', `/v2.0/security-groups/${dflt.id}`, { security_group: { name: 'mine' } }, 409, 'SecurityGroupCannotUpdateDefault');
      t.equal((await t.ok('PUT', `/v2.0/security-groups/${dflt.id}`, { security_group: { description: 'ours' } })).security_group.description, 'ours', 'description after PUT');
      t.equal((await t.call('DELETE', `/v2.0/security-groups/${dflt.id}`, undefined, ADMIN)).status, 204, "admin's DELETE status");
    },
  }),
  defineCase({
    id: 'services.security_groups.ports',
    title: 'a port carries its security groups; a group in use cannot be deleted (409 SecurityGroupInUse)',
    needs: NEEDS,
    async run(t) {
      const sg = await group(t);
      const { net } = await t.networkWithSubnet();
      const p = await t.port(net.id, { security_groups: [sg.id] });
      t.equal(p.security_groups, [sg.id], "the port's security_groups");
      await t.fails('DELETE', `/v2.0/security-groups/${sg.id}`, undefined, 409, 'SecurityGroupInUse');
      await t.fails('POST', '/v2.0/ports', { port: { network_id: net.id, security_groups: [randomUUID()] } }, 404, 'SecurityGroupNotFound');
    },
  }),
  defineCase({
    id: 'services.security_groups.port_default',
    title: "a port gets its project's default group; a network:* port gets none",
    needs: PORT_SECURITY,
    async run(t) {
      const { net } = await t.networkWithSubnet();
      const vm = await t.port(net.id);
      const dflt = await defaultGroup(t);
      t.equal([vm.security_groups, vm.port_security_enabled], [[dflt.id], true], '[security_groups, port_security_enabled] of a plain port');
      const dhcp = await t.port(net.id, { device_owner: 'network:dhcp' });
      t.equal(dhcp.security_groups, [], 'security_groups of a DHCP port');
      const bare = await t.port(net.id, { security_groups: [] });
      t.equal(bare.security_groups, [], 'security_groups when asked for none');
    },
  }),
  defineCase({
    id: 'services.security_groups.port_security',
    title: 'without port security a port has no groups: asking for some is 400, disabling it while groups remain is 409',
    needs: PORT_SECURITY,
    async run(t) {
      const sg = await group(t);
      const { net } = await t.networkWithSubnet();
      await t.fails('POST', '/v2.0/ports', { port: { network_id: net.id, port_security_enabled: false, security_groups: [sg.id] } }, 400, 'PortSecurityAndIPRequiredForSecurityGroups');
      const open = await t.port(net.id, { port_security_enabled: false });
      t.equal([open.port_security_enabled, open.security_groups], [false, []], '[port_security_enabled, security_groups] without port security');
      const guarded = await t.port(net.id, { security_groups: [sg.id] });
      await t.fails('PUT', `/v2.0/ports/${guarded.id}`, { port: { port_security_enabled: false } }, 409, 'PortSecurityPortHasSecurityGroup');
      const cleared = (await t.ok('PUT', `/v2.0/ports/${guarded.id}`, { port: { port_security_enabled: false, security_groups: [] } })).port;
      t.equal([cleared.port_security_enabled, cleared.security_groups], [false, []], 'after disabling and clearing together');
    },
  }),
  defineCase({
    id: 'services.security_groups.network_port_security',
    title: "a network's port_security_enabled is its ports' default",
    needs: PORT_SECURITY,
    async run(t) {
      const net = await t.network({ port_security_enabled: false });
      t.equal(net.port_security_enabled, false, "the network's port_security_enabled");
      await t.subnet(net.id, '10.0.0.0/24');
      const p = await t.port(net.id);
      t.equal([p.port_security_enabled, p.security_groups], [false, []], '[port_security_enabled, security_groups] of its port');
      await t.ok('PUT', `/v2.0/networks/${net.id}`, { network: { port_security_enabled: true } });
      t.equal((await t.port(net.id)).port_security_enabled, true, 'a port made after enabling it');
    },
  }),
  defineCase({
    id: 'services.security_groups.port_update',
    title: "updating a port's groups replaces them (null clears); a repeated group is 400, another project's 404",
    needs: NEEDS,
    async run(t) {
      const a = await group(t, 'a');
      const b = await group(t, 'b');
      const { net } = await t.networkWithSubnet();
      const p = await t.port(net.id, { security_groups: [a.id] });
      t.equal((await t.ok('PUT', `/v2.0/ports/${p.id}`, { port: { security_groups: [b.id, a.id] } })).port.security_groups.sort(), [a.id, b.id].sort(), 'groups after PUT');
      await t.fails('PUT', `/v2.0/ports/${p.id}`, { port: { security_groups: [a.id, a.id] } }, 400, 'HTTPBadRequest');
      const theirs = await group(t, 'theirs', BETA);
      await t.fails('PUT', `/v2.0/ports/${p.id}`, { port: { security_groups: [theirs.id] } }, 404, 'SecurityGroupNotFound');
      t.equal((await t.ok('PUT', `/v2.0/ports/${p.id}`, { port: { security_groups: null } })).port.security_groups, [], 'groups after null');
      await t.ok('DELETE', `/v2.0/security-groups/${a.id}`);
    },
  }),
  defineCase({
    id: 'services.security_groups.rules',
    title: 'a rule is added and removed; a duplicate is 409 SecurityGroupRuleExists; a bad port range is 400',
    needs: NEEDS,
    async run(t) {
      const sg = await group(t);
      const added = (await t.ok('POST', '/v2.0/security-group-rules', sshRule(sg.id))).security_group_rule;
      t.equal([added.security_group_id, added.port_range_min, added.port_range_max], [sg.id, 22, 22], 'rule fields');
      await t.fails('POST', '/v2.0/security-group-rules', sshRule(sg.id), 409, 'SecurityGroupRuleExists');
      const bad = sshRule(sg.id);
      bad.security_group_rule.port_range_min = 100;
      bad.security_group_rule.port_range_max = 10;
      await t.fails('POST', '/v2.0/security-group-rules', bad, 400, 'SecurityGroupInvalidPortRange');
      await t.ok('DELETE', `/v2.0/security-group-rules/${added.id}`);
      await t.fails('GET', `/v2.0/security-group-rules/${added.id}`, undefined, 404, 'SecurityGroupRuleNotFound');
    },
  }),
  defineCase({
    id: 'services.security_groups.rule_protocols',
    title: 'protocols are names (any case) or numbers 0-255; others are 400 SecurityGroupRuleInvalidProtocol; a name and its number are one rule',
    needs: NEEDS,
    async run(t) {
      const sg = await group(t);
      t.equal((await addRule(t, sg.id, { protocol: 'UDP' })).protocol, 'udp', 'protocol given as UDP');
      t.equal((await addRule(t, sg.id, { protocol: 132 })).protocol, '132', 'protocol given as the number 132');
      await refuseRule(t, sg.id, { protocol: 'foo' }, 400, 'SecurityGroupRuleInvalidProtocol');
      await refuseRule(t, sg.id, { protocol: '256' }, 400, 'SecurityGroupRuleInvalidProtocol');
      await refuseRule(t, sg.id, { protocol: '17' }, 409, 'SecurityGroupRuleExists');
      await refuseRule(t, sg.id, { protocol: 'sctp' }, 409, 'SecurityGroupRuleExists');
    },
  }),
  defineCase({
    id: 'services.security_groups.rule_ports',
    title: 'port ranges: 1-65535 means all; 0, over 65535, min over max or only one end are 400; ports need tcp, udp, sctp, dccp or udplite',
    needs: NEEDS,
    async run(t) {
      const sg = await group(t);
      const all = await addRule(t, sg.id, { protocol: 'tcp', port_range_min: 1, port_range_max: 65535 });
      t.equal([all.port_range_min, all.port_range_max], [null, null], 'the full range');
      await refuseRule(t, sg.id, { protocol: 'tcp', port_range_min: 0, port_range_max: 10 }, 400, 'SecurityGroupInvalidPortValue');
      await refuseRule(t, sg.id, { protocol: 'tcp', port_range_min: 70000, port_range_max: 70000 }, 400, 'SecurityGroupInvalidPortValue');
      await refuseRule(t, sg.id, { protocol: 'udp', port_range_min: 80 }, 400, 'SecurityGroupInvalidPortRange');
      await refuseRule(t, sg.id, { port_range_min: 80, port_range_max: 80 }, 400, 'SecurityGroupProtocolRequiredWithPorts');
      await refuseRule(t, sg.id, { protocol: 'gre', port_range_min: 1, port_range_max: 2 }, 400, 'SecurityGroupInvalidProtocolForPort');
      t.equal((await addRule(t, sg.id, { protocol: 'dccp', port_range_min: 5000, port_range_max: 5001 })).port_range_max, 5001, 'a dccp range');
    },
  }),
  defineCase({
    id: 'services.security_groups.rule_icmp',
    title: 'ICMP type and code are 0-255, a code needs a type; IPv6 ICMP is ipv6-icmp (icmp is renamed) and only for IPv6',
    needs: NEEDS,
    async run(t) {
      const sg = await group(t);
      const echo = await addRule(t, sg.id, { protocol: 'icmp', port_range_min: 8, port_range_max: 0 });
      t.equal([echo.port_range_min, echo.port_range_max], [8, 0], 'ICMP echo type and code');
      await refuseRule(t, sg.id, { protocol: 'icmp', port_range_min: 256 }, 400, 'SecurityGroupInvalidIcmpValue');
      await refuseRule(t, sg.id, { protocol: 'icmp', port_range_max: 0 }, 400, 'SecurityGroupMissingIcmpType');
      t.equal((await addRule(t, sg.id, { protocol: 'icmp', ethertype: 'IPv6' })).protocol, 'ipv6-icmp', 'icmp on IPv6');
      await refuseRule(t, sg.id, { protocol: 'ipv6-icmp', ethertype: 'IPv4' }, 400, 'SecurityGroupEthertypeConflictWithProtocol');
      await refuseRule(t, sg.id, { protocol: 'icmpv6', ethertype: 'IPv6' }, 409, 'SecurityGroupRuleExists');
    },
  }),
  defineCase({
    id: 'services.security_groups.rule_remotes',
    title: 'a remote prefix must match the ethertype and gets a mask; prefix and group together are 400; 0.0.0.0/0 is the same as none',
    needs: NEEDS,
    async run(t) {
      const sg = await group(t);
      t.equal((await addRule(t, sg.id, { protocol: 'tcp', port_range_min: 80, port_range_max: 80, remote_ip_prefix: '192.0.2.7' })).remote_ip_prefix, '192.0.2.7/32', 'a prefix given without a mask');
      await refuseRule(t, sg.id, { ethertype: 'IPv6', remote_ip_prefix: '10.0.0.0/8' }, 400, 'SecurityGroupRuleParameterConflict');
      await refuseRule(t, sg.id, { remote_ip_prefix: '10.0.0.300/8' }, 400, 'InvalidCIDR');
      await refuseRule(t, sg.id, { remote_ip_prefix: '10.0.0.0/8', remote_group_id: sg.id }, 400, 'SecurityGroupMultipleRemoteEntites');
      await refuseRule(t, sg.id, { remote_group_id: randomUUID() }, 404, 'SecurityGroupNotFound');
      await refuseRule(t, sg.id, { ethertype: 'IPv5' }, 400, 'SecurityGroupRuleInvalidEtherType');
      await addRule(t, sg.id, { protocol: 'udp' });
      await refuseRule(t, sg.id, { protocol: 'udp', remote_ip_prefix: '0.0.0.0/0' }, 409, 'SecurityGroupRuleExists');
      t.equal((await addRule(t, sg.id, { remote_group_id: sg.id })).remote_group_id, sg.id, 'a rule from the group itself');
    },
  }),
  defineCase({
    id: 'services.security_groups.rule_bulk',
    title: 'rules in bulk are all-or-none: a repeated rule is 409 DuplicateSecurityGroupRuleInPost, rules for two groups 400',
    needs: NEEDS,
    async run(t) {
      const sg = await group(t);
      const other = await group(t, 'other');
      const r = { security_group_id: sg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 443, port_range_max: 443 };
      await t.fails('POST', '/v2.0/security-group-rules', { security_group_rules: [r, r] }, 409, 'DuplicateSecurityGroupRuleInPost');
      await t.fails('POST', '/v2.0/security-group-rules', { security_group_rules: [r, { ...r, security_group_id: other.id }] }, 400, 'SecurityGroupNotSingleGroupRules');
      t.equal((await t.list('security-group-rules', `security_group_id=${sg.id}`)).length, 2, 'rules of the group after the refused bulks');
      const made = (await t.ok('POST', '/v2.0/security-group-rules', { security_group_rules: [r, { ...r, port_range_min: 80, port_range_max: 80 }] })).security_group_rules;
      t.equal(made.map((x: Json) => x.port_range_min), [443, 80], 'ports of the bulk, in order');
    },
  }),
  defineCase({
    id: 'services.security_groups.delete_cascade',
    title: "deleting a group deletes its rules and other groups' rules that name it as their remote group",
    needs: NEEDS,
    async run(t) {
      const web = await group(t, 'web');
      const db = await group(t, 'db');
      const own = await addRule(t, web.id, { protocol: 'tcp', port_range_min: 80, port_range_max: 80 });
      const fromWeb = (await t.ok('POST', '/v2.0/security-group-rules', rule(db.id, { protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_group_id: web.id }))).security_group_rule;
      await t.ok('DELETE', `/v2.0/security-groups/${web.id}`);
      await t.fails('GET', `/v2.0/security-group-rules/${own.id}`, undefined, 404, 'SecurityGroupRuleNotFound');
      await t.fails('GET', `/v2.0/security-group-rules/${fromWeb.id}`, undefined, 404, 'SecurityGroupRuleNotFound');
      t.check(!t.ids((await t.ok('GET', `/v2.0/security-groups/${db.id}`)).security_group.security_group_rules).includes(fromWeb.id), "db's rules still list the deleted one");
    },
  }),
  defineCase({
    id: 'services.security_groups.isolation',
    title: "another project's security group is 404 and absent from lists",
    needs: NEEDS,
    async run(t) {
      const sg = await group(t);
      await t.fails('GET', `/v2.0/security-groups/${sg.id}`, undefined, 404, 'SecurityGroupNotFound', BETA);
      t.check(!t.ids(await t.list('security-groups', '', BETA)).includes(sg.id), "beta's list shows alpha's group");
    },
  }),
  defineCase({
    id: 'services.security_groups.rule_isolation',
    title: "another project's rules are 404, and it cannot add rules to, nor take rules from, alpha's groups",
    needs: NEEDS,
    async run(t) {
      const sg = await group(t);
      const r = await addRule(t, sg.id, { protocol: 'tcp', port_range_min: 22, port_range_max: 22 });
      await t.fails('GET', `/v2.0/security-group-rules/${r.id}`, undefined, 404, 'SecurityGroupRuleNotFound', BETA);
      await t.fails('DELETE', `/v2.0/security-group-rules/${r.id}`, undefined, 404, 'SecurityGroupRuleNotFound', BETA);
      await t.fails('POST', '/v2.0/security-group-rules', rule(sg.id, { protocol: 'udp' }), 404, 'SecurityGroupNotFound', BETA);
      const theirs = await group(t, 'theirs', BETA);
      await t.fails('POST', '/v2.0/security-group-rules', rule(theirs.id, { remote_group_id: sg.id }), 404, 'SecurityGroupNotFound', BETA);
      t.check(!t.ids(await t.list('security-group-rules', '', BETA)).includes(r.id), "beta's list shows alpha's rule");
    },
  }),
];
