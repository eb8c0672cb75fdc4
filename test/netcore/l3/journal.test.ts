// The journal plugin tells its controller of L3 changes as of core ones: routers, their interface
// and gateway ports, floating IPs and their external ports, in the transaction that made them.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { journalPluginFactory, RecordingController, type JournalPlugin } from '../../../src/netcore/plugins/journal/index.js';
import { makeApi, type Api, type Who } from '../helpers.js';

const A: Who = { project: 'alpha' };
const ADMIN: Who = { project: 'ops', admin: true };

describe('L3 through the journal plugin', () => {
  let api: Api;
  let plugin: JournalPlugin;
  let ctl: RecordingController;
  beforeEach(async () => {
    ctl = new RecordingController();
    api = await makeApi({ plugin: journalPluginFactory(ctl), config: { pluginOptions: { sync: 'manual' } } });
    plugin = api.app.netcore.plugin as JournalPlugin;
  });
  afterEach(() => api.close());

  const since = (n: number) => plugin.journal.entries().slice(n).map((e) => [e.object_type, e.operation, (e.data as { device_owner?: string }).device_owner ?? '']);

  test('a router, its ports and a floating IP reach the controller in order, and their deletes too', async () => {
    const ext = await api.network({ 'router:external': true }, ADMIN);
    const extSub = await api.subnet(ext.id, '172.24.4.0/24', {}, ADMIN);
    const net = await api.network({}, A);
    const sub = await api.subnet(net.id, '10.0.0.0/24', {}, A);
    const vm = await api.port(net.id, {}, A);
    let n = plugin.journal.entries().length;

    const router = (await api.ok('POST', '/v2.0/routers', { router: { external_gateway_info: { network_id: ext.id } } }, A)).router;
    await api.ok('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: sub.id }, A);
    const fip = (await api.ok('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.id } }, A)).floatingip;
    expect(since(n)).toEqual([
      ['port', 'create', 'network:router_gateway'],
      ['router', 'create', ''],
      ['port', 'create', 'network:router_interface'],
      ['router', 'update', ''],
      ['port', 'create', 'network:floatingip'],
      ['floatingip', 'create', ''],
    ]);
    const fipEntry = plugin.journal.entries().at(-1)!;
    expect(fipEntry.depends_on).toEqual([ext.id, router.id, vm.id]);
    expect(fipEntry.data).toMatchObject({ floating_ip_address: fip.floating_ip_address, router_id: router.id });
    await plugin.sync.drain();
    expect(ctl.objects.get(fip.id)).toMatchObject({ port_id: vm.id });
    expect(ctl.objects.get(router.id)).toMatchObject({ external_gateway_info: { network_id: ext.id } });

    n = plugin.journal.entries().length;
    await api.ok('DELETE', `/v2.0/ports/${vm.id}`, undefined, A);
    await api.ok('DELETE', `/v2.0/floatingips/${fip.id}`, undefined, A);
    await api.ok('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: sub.id }, A);
    await api.ok('DELETE', `/v2.0/routers/${router.id}`, undefined, A);
    expect(since(n).map(([type, op]) => `${op} ${type}`)).toEqual([
      'update floatingip', // the port went: disassociated
      'delete port',
      'delete port', // the floating IP's external port
      'delete floatingip',
      'delete port', // the interface
      'update router',
      'delete port', // the gateway
      'delete router',
    ]);
    await plugin.sync.drain();
    expect(plugin.journal.counts()).toMatchObject({ pending: 0, failed: 0 });
    // what the controller holds is what is left: the networks, subnets and the projects' default security groups (with their rules)
    const defaults = (await api.ok('GET', '/v2.0/security-groups?name=default', undefined, ADMIN)).security_groups;
    const sgObjects = defaults.flatMap((g: { id: string; security_group_rules: { id: string }[] }) => [g.id, ...g.security_group_rules.map((r) => r.id)]);
    expect(defaults).toHaveLength(2);
    expect([...ctl.objects.keys()].sort()).toEqual([ext.id, extSub.id, net.id, sub.id, ...sgObjects].sort());
  });

  test('a refused interface or floating IP journals nothing', async () => {
    const ext = await api.network({ 'router:external': true }, ADMIN);
    await api.subnet(ext.id, '172.24.4.0/24', {}, ADMIN);
    const router = (await api.ok('POST', '/v2.0/routers', { router: {} }, A)).router;
    const net = await api.network({}, A);
    const sub = await api.subnet(net.id, '10.0.0.0/24', {}, A);
    await api.ok('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: sub.id }, A);
    const before = plugin.journal.entries().length;
    expect((await api.call('PUT', `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: sub.id }, A)).status).toBe(400);
    expect(plugin.journal.entries().length).toBe(before);
    const vm = await api.port(net.id, {}, A);
    const refused = await api.call('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: ext.id, port_id: vm.id } }, A);
    expect(refused.status).toBe(404);
    expect(plugin.journal.entries().length).toBe(before + 1); // the VM port only
  });
});
