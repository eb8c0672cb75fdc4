import { createHmac, randomUUID } from 'node:crypto';
import { defineCase } from '../../case.js';
import { BETA, GAMMA, METADATA_SECRET, type Harness, type Json, type Who } from '../../harness.js';
import { addInterface, router } from './routers.js';

// The metadata lookup (not an API extension: the listener of its own that metadata proxies ask).
// Router-based lookups need L3; a network-based one only the core API.

/** A project's network on the shared CIDR 10.0.0.0/24, a router on it, and a VM port at 10.0.0.5. */
async function tenant(t: Harness, who: Who | undefined, withRouter = true): Promise<{ net: Json; sub: Json; vm: Json; r?: Json }> {
  const { net, sub } = await t.networkWithSubnet('10.0.0.0/24', {}, who);
  const r = withRouter ? await router(t, {}, who) : undefined;
  if (r) await addInterface(t, r.id, { subnet_id: sub.id }, who);
  const vm = await t.port(net.id, { device_id: `vm-${who?.project ?? 'alpha'}`, device_owner: 'compute:nova', fixed_ips: [{ ip_address: '10.0.0.5' }] }, who);
  return { net, sub, vm, r };
}

const sign = (instanceId: string) => createHmac('sha256', METADATA_SECRET).update(instanceId).digest('hex');
const via = (address: string, route: { router?: string; network?: string }) => ({
  'x-forwarded-for': address,
  ...(route.router ? { 'x-neutron-router-id': route.router } : {}),
  ...(route.network ? { 'x-neutron-network-id': route.network } : {}),
});

async function expectInstance(t: Harness, headers: Record<string, string>, instance: string, project: string): Promise<void> {
  const res = await t.metadata(headers);
  t.equal([res.status, res.body?.instance_id, res.body?.tenant_id], [200, instance, project], `[status, instance_id, tenant_id] for ${JSON.stringify(headers)}`);
  t.equal(
    [res.headers['x-instance-id'], res.headers['x-tenant-id'], res.headers['x-instance-id-signature']],
    [instance, project, sign(instance)],
    '[X-Instance-ID, X-Tenant-ID, X-Instance-ID-Signature]',
  );
}

async function expectNone(t: Harness, headers: Record<string, string>, status = 404): Promise<void> {
  const res = await t.metadata(headers);
  t.check(res.status === status && typeof res.body?.NeutronError?.message === 'string', `expected ${status} for ${JSON.stringify(headers)}, got ${res.status}: ${JSON.stringify(res.body)}`);
  t.check(res.headers['x-instance-id'] === undefined, `a refused lookup still named an instance: ${String(res.headers['x-instance-id'])}`);
}

export const metadataCases = [
  defineCase({
    id: 'services.metadata.overlapping_ips',
    title: 'three projects on one CIDR: a lookup through each router finds that project\'s instance, signed with HMAC-SHA256',
    needs: ['router'],
    async run(t) {
      const who = [undefined, BETA, GAMMA];
      const tenants = [];
      for (const w of who) tenants.push(await tenant(t, w));
      for (const [i, w] of who.entries()) await expectInstance(t, via('10.0.0.5', { router: tenants[i].r!.id }), `vm-${w?.project ?? 'alpha'}`, w?.project ?? 'alpha');
    },
  }),
  defineCase({
    id: 'services.metadata.by_network',
    title: "a lookup through a network (its DHCP namespace) finds the instance on that network only",
    async run(t) {
      const a = await tenant(t, undefined, false);
      const b = await tenant(t, BETA, false);
      await expectInstance(t, via('10.0.0.5', { network: a.net.id }), 'vm-alpha', 'alpha');
      await expectInstance(t, via('10.0.0.5', { network: b.net.id }), 'vm-beta', 'beta');
      await expectNone(t, via('10.0.0.6', { network: a.net.id }));
    },
  }),
  defineCase({
    id: 'services.metadata.not_found',
    title: 'no port with the address, an unknown router, a port without a device, or both a router and a network named: 404 and no instance',
    needs: ['router'],
    async run(t) {
      const a = await tenant(t, undefined);
      await expectNone(t, via('10.0.0.99', { router: a.r!.id }));
      await expectNone(t, via('10.0.0.5', { router: randomUUID() }));
      await expectNone(t, via('10.0.0.5', { router: a.r!.id, network: a.net.id }));
      await t.port(a.net.id, { fixed_ips: [{ ip_address: '10.0.0.6' }] });
      await expectNone(t, via('10.0.0.6', { router: a.r!.id }));
    },
  }),
  defineCase({
    id: 'services.metadata.bad_requests',
    title: 'a lookup without X-Forwarded-For, with an address that is none, or with neither router nor network is 400',
    async run(t) {
      const a = await tenant(t, undefined, false);
      await expectNone(t, { 'x-neutron-network-id': a.net.id }, 400);
      await expectNone(t, via('10.0.0.500', { network: a.net.id }), 400);
      await expectNone(t, { 'x-forwarded-for': '10.0.0.5' }, 400);
    },
  }),
  defineCase({
    id: 'services.metadata.proxy_addresses',
    title: "an IPv4-mapped IPv6 address is the IPv4 one; an IPv6 link-local address finds the port by the MAC it encodes",
    needs: ['router'],
    async run(t) {
      const a = await tenant(t, undefined);
      await expectInstance(t, via('::ffff:10.0.0.5', { router: a.r!.id }), 'vm-alpha', 'alpha');
      const b = a.vm.mac_address.split(':').map((h: string) => parseInt(h, 16));
      const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
      const linkLocal = `fe80::${hex(b[0] ^ 2, b[1])}:${hex(b[2], 0xff)}:${hex(0xfe, b[3])}:${hex(b[4], b[5])}`;
      await expectInstance(t, via(linkLocal, { router: a.r!.id }), 'vm-alpha', 'alpha');
    },
  }),
  defineCase({
    id: 'services.metadata.follows_changes',
    title: 'a deleted port, or a network detached from the router, is no longer found through it',
    needs: ['router'],
    async run(t) {
      const a = await tenant(t, undefined);
      await t.ok('PUT', `/v2.0/routers/${a.r!.id}/remove_router_interface`, { subnet_id: a.sub.id });
      await expectNone(t, via('10.0.0.5', { router: a.r!.id }));
      await expectInstance(t, via('10.0.0.5', { network: a.net.id }), 'vm-alpha', 'alpha');
      await t.ok('DELETE', `/v2.0/ports/${a.vm.id}`);
      await expectNone(t, via('10.0.0.5', { network: a.net.id }));
    },
  }),
];
