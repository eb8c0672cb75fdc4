import { randomUUID } from 'node:crypto';
import { defineCase } from '../../case.js';
import { BETA, type Harness, type Json } from '../../harness.js';

const NEEDS = ['security-group'];
const sshRule = (sg: string) => ({ security_group_rule: { security_group_id: sg, direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22, ethertype: 'IPv4', remote_ip_prefix: '0.0.0.0/0' } });

async function group(t: Harness, name = 'web'): Promise<Json> {
  return (await t.ok('POST', '/v2.0/security-groups', { security_group: { name, description: 'test' } })).security_group;
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
      const groups = await t.list('security-groups', 'name=default');
      t.equal(groups.length, 1, 'default groups of the project');
      await t.fails('DELETE', `/v2.0/security-groups/${groups[0].id}`, undefined, 409, 'SecurityGroupCannotRemoveDefault');
    },
  }),
  defineCase({
    id: 'services.security_groups.rules',
    title: 'a rule is added and removed; a duplicate is 409 SecurityGroupRuleExists; a bad port range is 400',
    needs: NEEDS,
    async run(t) {
      const sg = await group(t);
      const rule = (await t.ok('POST', '/v2.0/security-group-rules', sshRule(sg.id))).security_group_rule;
      t.equal([rule.security_group_id, rule.port_range_min, rule.port_range_max], [sg.id, 22, 22], 'rule fields');
      await t.fails('POST', '/v2.0/security-group-rules', sshRule(sg.id), 409, 'SecurityGroupRuleExists');
      const bad = sshRule(sg.id);
      bad.security_group_rule.port_range_min = 100;
      bad.security_group_rule.port_range_max = 10;
      await t.fails('POST', '/v2.0/security-group-rules', bad, 400, 'SecurityGroupInvalidPortRange');
      await t.ok('DELETE', `/v2.0/security-group-rules/${rule.id}`);
      await t.fails('GET', `/v2.0/security-group-rules/${rule.id}`, undefined, 404, 'SecurityGroupRuleNotFound');
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
    id: 'services.security_groups.isolation',
    title: "another project's security group is 404 and absent from lists",
    needs: NEEDS,
    async run(t) {
      const sg = await group(t);
      await t.fails('GET', `/v2.0/security-groups/${sg.id}`, undefined, 404, 'SecurityGroupNotFound', BETA);
      t.check(!t.ids(await t.list('security-groups', '', BETA)).includes(sg.id), "beta's list shows alpha's group");
    },
  }),
];
