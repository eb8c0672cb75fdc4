import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalPluginFactory, RecordingController, type JournalPlugin } from '../../../src/netcore/plugins/journal/index.js';
import coreOnly from '../conformance/core-only-plugin.js';
import { errorType, makeApi, type Api, type Who } from '../helpers.js';

const A: Who = { project: 'alpha' };
const B: Who = { project: 'beta' };
const ADMIN: Who = { project: 'ops', admin: true };

describe('security groups over HTTP', () => {
  let api: Api;
  beforeEach(async () => {
    api = await makeApi();
  });
  afterEach(() => api.close());

  const group = async (body: object = {}, who: Who = A) => (await api.ok('POST', '/v2.0/security-groups', { security_group: { name: 'web', ...body } }, who)).security_group;

  it("shows Neutron's attributes for groups and rules (a group's rules carry tags, Neutron's own rules no description)", async () => {
    const sg = await group({ description: 'front' });
    expect(Object.keys(sg).sort()).toEqual(['created_at', 'description', 'id', 'name', 'project_id', 'revision_number', 'security_group_rules', 'tags', 'tenant_id', 'updated_at']);
    expect(sg.security_group_rules.map((r: any) => [r.direction, r.ethertype, r.description, r.tags])).toEqual([
      ['egress', 'IPv4', null, []],
      ['egress', 'IPv6', null, []],
    ]);
    const rule = (await api.ok('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 443, port_range_max: 443 } }, A)).security_group_rule;
    expect(Object.keys(rule).sort()).toEqual(
      ['created_at', 'description', 'direction', 'ethertype', 'id', 'port_range_max', 'port_range_min', 'project_id', 'protocol', 'remote_group_id', 'remote_ip_prefix', 'revision_number', 'security_group_id', 'tenant_id', 'updated_at'].sort(),
    );
    expect(rule).toMatchObject({ description: '', ethertype: 'IPv4', remote_ip_prefix: null, remote_group_id: null, project_id: 'alpha' });
    // a rule's change is its group's
    expect((await api.ok('GET', `/v2.0/security-groups/${sg.id}`, undefined, A)).security_group.revision_number).toBe(sg.revision_number + 1);
  });

  it('makes the default group on first use only for the caller: a project listing another one makes none', async () => {
    expect((await api.ok('GET', '/v2.0/security-groups?project_id=beta', undefined, A)).security_groups).toEqual([]);
    expect((await api.ok('GET', '/v2.0/security-groups', undefined, ADMIN)).security_groups.map((g: any) => g.project_id)).toEqual(['ops']);
    // admin listing a project's groups makes that project's default, as Neutron does
    expect((await api.ok('GET', '/v2.0/security-groups?project_id=beta', undefined, ADMIN)).security_groups.map((g: any) => [g.name, g.project_id])).toEqual([['default', 'beta']]);
  });

  it('answers a rule update with 405: rules are replaced, not changed', async () => {
    const sg = await group();
    const [egress] = sg.security_group_rules;
    const res = await api.call('PUT', `/v2.0/security-group-rules/${egress.id}`, { security_group_rule: {} }, A);
    expect([res.status, errorType(res)]).toEqual([405, 'HTTPMethodNotAllowed']);
    const field = await api.call('PUT', `/v2.0/security-group-rules/${egress.id}`, { security_group_rule: { protocol: 'tcp' } }, A);
    expect([field.status, errorType(field)]).toEqual([400, 'HTTPBadRequest']);
  });

  it('filters and sorts rules', async () => {
    const sg = await group();
    for (const port of [80, 22, 443]) {
      await api.ok('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg.id, direction: 'ingress', protocol: 'tcp', port_range_min: port, port_range_max: port } }, A);
    }
    const ports = async (q: string) => (await api.ok('GET', `/v2.0/security-group-rules?${q}`, undefined, A)).security_group_rules.map((r: any) => r.port_range_min);
    expect(await ports(`security_group_id=${sg.id}&direction=ingress&sort_key=port_range_min`)).toEqual([22, 80, 443]);
    expect(await ports(`security_group_id=${sg.id}&protocol=tcp&port_range_min=443`)).toEqual([443]);
    expect(await ports(`security_group_id=${sg.id}&direction=egress`)).toEqual([null, null]);
  });

  it('adds security_groups and port_security_enabled to ports and networks, and checks them', async () => {
    const net = await api.network({}, A);
    expect(net.port_security_enabled).toBe(true);
    await api.subnet(net.id, '10.0.0.0/24', {}, A);
    const bad = await api.call('POST', '/v2.0/ports', { port: { network_id: net.id, security_groups: 'x' } }, A);
    expect([bad.status, bad.body.NeutronError.message]).toEqual([400, "Invalid input for security_groups. Reason: 'x' is not a list."]);
    const filter = await api.call('GET', '/v2.0/ports?security_groups=x', undefined, A);
    expect([filter.status, errorType(filter)]).toEqual([400, 'HTTPBadRequest']);
    // on a shared network only its owner (or admin) decides a port's port security
    const shared = await api.network({ shared: true }, ADMIN);
    await api.subnet(shared.id, '10.1.0.0/24', {}, ADMIN);
    const res = await api.call('POST', '/v2.0/ports', { port: { network_id: shared.id, port_security_enabled: false } }, B);
    expect([res.status, errorType(res)]).toEqual([403, 'PolicyNotAuthorized']);
    expect((await api.port(shared.id, {}, B)).security_groups).toHaveLength(1);
  });

  it('router ports get no groups and no port security, and keep what a port brought to add_router_interface', async () => {
    const net = await api.network({}, A);
    const sub = await api.subnet(net.id, '10.0.0.0/24', {}, A);
    const router = (await api.ok('POST', '/v2.0/routers', { router: {} }, A)).router;
    const info = await api.ok('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: sub.id }, A);
    const port = (await api.ok('GET', `/v2.0/ports/${info.port_id}`, undefined, A)).port;
    expect([port.security_groups, port.port_security_enabled]).toEqual([[], false]);
    const net2 = await api.network({}, A);
    await api.subnet(net2.id, '10.2.0.0/24', {}, A);
    const vm = await api.port(net2.id, {}, A);
    await api.ok('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { port_id: vm.id }, A);
    expect((await api.ok('GET', `/v2.0/ports/${vm.id}`, undefined, A)).port.security_groups).toEqual(vm.security_groups);
  });

  it('without the service the attributes and collections are absent (400, 404), as on a Neutron without the extension', async () => {
    const plain = await makeApi({ plugin: coreOnly as never });
    try {
      const net = await plain.network({}, A);
      expect(net).not.toHaveProperty('port_security_enabled');
      expect((await plain.call('POST', '/v2.0/ports', { port: { network_id: net.id, security_groups: [] } }, A)).status).toBe(400);
      expect((await plain.call('GET', '/v2.0/security-groups', undefined, A)).status).toBe(404);
      expect((await plain.call('GET', '/v2.0/routers', undefined, A)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('journals groups and rules through the journal plugin, their rules after them', async () => {
    const ctl = new RecordingController();
    const j = await makeApi({ plugin: journalPluginFactory(ctl), config: { pluginOptions: { sync: 'manual' } } });
    try {
      const plugin = j.app.netcore.plugin as JournalPlugin;
      const sg = (await j.ok('POST', '/v2.0/security-groups', { security_group: { name: 'web' } }, A)).security_group;
      const rule = (await j.ok('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: sg.id, direction: 'ingress', remote_group_id: sg.id } }, A)).security_group_rule;
      const dflt = (await j.ok('GET', '/v2.0/security-groups?name=default', undefined, A)).security_groups[0];
      const entries = () => plugin.journal.entries().map((e) => [e.object_type, e.operation, e.depends_on]);
      // each rule waits for its group (a rule from the group itself names it once)
      const ruleOf = (group: string) => ['security_group_rule', 'create', [group]];
      expect(entries()).toEqual([
        ['security_group', 'create', []], // alpha's default, and its four rules
        ...[dflt.id, dflt.id, dflt.id, dflt.id].map(ruleOf),
        ['security_group', 'create', []],
        ...[sg.id, sg.id, sg.id].map(ruleOf),
      ]);
      expect(plugin.journal.entries().at(-1)!.object_uuid).toBe(rule.id);
      await j.ok('DELETE', `/v2.0/security-groups/${sg.id}`, undefined, A);
      // created and deleted before any sync: the group's and its rules' entries were dropped, the controller hears of the default only
      expect(plugin.journal.entries().filter((e) => e.object_type === 'security_group').map((e) => e.object_uuid)).toEqual([dflt.id]);
      expect(plugin.journal.entries()).toHaveLength(5);
      await plugin.sync.drain();
      expect([...ctl.objects.values()].filter((o: any) => o.name !== undefined).map((o: any) => o.name)).toEqual(['default']);
      expect(ctl.objects.size).toBe(5);
    } finally {
      await j.close();
    }
  });
});
