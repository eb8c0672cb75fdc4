import { defineCase } from '../case.js';
import type { Harness, Json } from '../harness.js';

/** Five networks named n0..n4, created in a shuffled order so creation order is not name order. */
async function fiveNetworks(t: Harness): Promise<Json[]> {
  const names = ['n3', 'n0', 'n4', 'n1', 'n2'];
  const nets = (await t.ok('POST', '/v2.0/networks', { networks: names.map((name, i) => ({ name, admin_state_up: i % 2 === 0 })) })).networks as Json[];
  return nets;
}
const names = (items: Json[]) => items.map((i) => i.name);

/** Follows `next` links from a first page; returns the pages' names. */
async function walk(t: Harness, query: string, max = 10): Promise<string[][]> {
  const pages: string[][] = [];
  let url: string | undefined = `/v2.0/networks?${query}`;
  while (url && pages.length < max) {
    const body: Json = await t.ok('GET', url);
    pages.push(names(body.networks));
    const next: Json = (body.networks_links ?? []).find((l: Json) => l.rel === 'next');
    url = next ? next.href.replace(/^https?:\/\/[^/]+/, '') : undefined;
  }
  return pages;
}

export const listCases = [
  defineCase({
    id: 'lists.filter.equality',
    title: 'a field filter returns only matching items',
    async run(t) {
      await fiveNetworks(t);
      t.equal(names(await t.list('networks', 'name=n2')), ['n2'], 'name=n2');
      t.equal(names(await t.list('networks', 'name=n2&admin_state_up=true')), ['n2'], 'name=n2 and admin_state_up=true');
      t.equal(await t.list('networks', 'name=n2&admin_state_up=false'), [], 'name=n2 and admin_state_up=false');
    },
  }),
  defineCase({
    id: 'lists.filter.repeated_or',
    title: 'a repeated filter matches any of its values',
    async run(t) {
      await fiveNetworks(t);
      t.equal(names(await t.list('networks', 'name=n1&name=n3&sort_key=name')).sort(), ['n1', 'n3'], 'name=n1&name=n3');
    },
  }),
  defineCase({
    id: 'lists.filter.boolean',
    title: 'a boolean filter accepts true/false in any case',
    async run(t) {
      await fiveNetworks(t);
      t.equal(names(await t.list('networks', 'admin_state_up=False')).sort(), ['n0', 'n1'], 'admin_state_up=False');
    },
  }),
  defineCase({
    id: 'lists.filter.by_parent',
    title: 'subnets and ports filter by network_id, ports by device_id',
    async run(t) {
      const a = await t.networkWithSubnet('10.0.0.0/24');
      const b = await t.networkWithSubnet('10.1.0.0/24');
      const pa = await t.port(a.net.id, { device_id: 'vm-a' });
      await t.port(b.net.id, { device_id: 'vm-b' });
      t.equal(t.ids(await t.list('subnets', `network_id=${a.net.id}`)), [a.sub.id], 'subnets of network a');
      t.equal(t.ids(await t.list('ports', `network_id=${a.net.id}`)), [pa.id], 'ports of network a');
      t.equal(t.ids(await t.list('ports', 'device_id=vm-a')), [pa.id], 'ports of device vm-a');
    },
  }),
  defineCase({
    id: 'lists.filter.fixed_ips',
    title: 'ports filter by fixed_ips=ip_address=... and subnet_id=...',
    async run(t) {
      const { net, sub } = await t.networkWithSubnet();
      const p = await t.port(net.id, { fixed_ips: [{ ip_address: '10.0.0.42' }] });
      await t.port(net.id);
      t.equal(t.ids(await t.list('ports', `fixed_ips=${encodeURIComponent('ip_address=10.0.0.42')}`)), [p.id], 'fixed_ips=ip_address=10.0.0.42');
      t.equal((await t.list('ports', `fixed_ips=${encodeURIComponent(`subnet_id=${sub.id}`)}`)).length, 2, 'ports by subnet');
    },
  }),
  defineCase({
    id: 'lists.filter.unknown_field',
    title: 'a filter on an unknown field is 400',
    async run(t) {
      await t.fails('GET', '/v2.0/networks?colour=blue', undefined, 400, 'HTTPBadRequest');
    },
  }),
  defineCase({
    id: 'lists.fields',
    title: 'fields= limits each item, in lists and in show',
    async run(t) {
      const nets = await fiveNetworks(t);
      const listed = await t.list('networks', 'fields=id&fields=name');
      t.check(listed.length === 5 && listed.every((n) => Object.keys(n).sort().join() === 'id,name'), `list items have keys ${Object.keys(listed[0] ?? {}).join(',')}`);
      const shown = (await t.ok('GET', `/v2.0/networks/${nets[0].id}?fields=status`)).network;
      t.equal(Object.keys(shown), ['status'], 'keys of a show with fields=status');
    },
  }),
  defineCase({
    id: 'lists.sort.single_key',
    title: 'sort_key and sort_dir order a list',
    async run(t) {
      await fiveNetworks(t);
      t.equal(names(await t.list('networks', 'sort_key=name&sort_dir=asc')), ['n0', 'n1', 'n2', 'n3', 'n4'], 'name asc');
      t.equal(names(await t.list('networks', 'sort_key=name&sort_dir=desc')), ['n4', 'n3', 'n2', 'n1', 'n0'], 'name desc');
    },
  }),
  defineCase({
    id: 'lists.sort.multi_key',
    title: 'several sort keys order by the first, then the next',
    async run(t) {
      await fiveNetworks(t);
      const got = names(await t.list('networks', 'sort_key=admin_state_up&sort_dir=desc&sort_key=name&sort_dir=asc'));
      t.equal(got, ['n2', 'n3', 'n4', 'n0', 'n1'], 'admin_state_up desc, name asc');
    },
  }),
  defineCase({
    id: 'lists.sort.bad_key',
    title: 'sorting on an unknown key is 400',
    async run(t) {
      await t.fails('GET', '/v2.0/networks?sort_key=colour', undefined, 400, 'HTTPBadRequest');
    },
  }),
  defineCase({
    id: 'lists.pagination.pages',
    title: 'limit and marker page through everything once, with next links until the end',
    async run(t) {
      await fiveNetworks(t);
      const pages = await walk(t, 'limit=2&sort_key=name');
      t.equal(pages, [['n0', 'n1'], ['n2', 'n3'], ['n4']], 'pages by name');
    },
  }),
  defineCase({
    id: 'lists.pagination.sorted_desc',
    title: 'pagination follows a descending sort',
    async run(t) {
      await fiveNetworks(t);
      t.equal(await walk(t, 'limit=3&sort_key=name&sort_dir=desc'), [['n4', 'n3', 'n2'], ['n1', 'n0']], 'pages by name desc');
    },
  }),
  defineCase({
    id: 'lists.pagination.by_id',
    title: 'default pagination (by id) neither repeats nor skips an item',
    async run(t) {
      const nets = await fiveNetworks(t);
      const seen = (await walk(t, 'limit=2')).flat();
      t.equal([...seen].sort(), names(nets).sort(), 'every network once');
    },
  }),
  defineCase({
    id: 'lists.pagination.reverse',
    title: 'page_reverse returns the page before the marker, in forward order',
    async run(t) {
      const nets = await fiveNetworks(t);
      const n3 = nets.find((n) => n.name === 'n3');
      const body = await t.ok('GET', `/v2.0/networks?sort_key=name&limit=2&marker=${n3.id}&page_reverse=True`);
      t.equal(names(body.networks), ['n1', 'n2'], 'page before n3');
      t.check((body.networks_links ?? []).some((l: Json) => l.rel === 'previous'), 'no previous link on a reversed page with more before it');
    },
  }),
  defineCase({
    id: 'lists.pagination.bad_marker',
    title: 'an unknown marker is 404',
    async run(t) {
      await fiveNetworks(t);
      const res = await t.call('GET', '/v2.0/networks?limit=2&marker=6b1c9ec8-55d8-4b34-a1c2-000000000000');
      t.equal(res.status, 404, 'status for an unknown marker');
    },
  }),
  defineCase({
    id: 'lists.pagination.ports',
    title: 'ports paginate too, each exactly once',
    async run(t) {
      const net = await t.network();
      const made = (await t.ok('POST', '/v2.0/ports', { ports: Array.from({ length: 7 }, (_, i) => ({ network_id: net.id, name: `p${i}` })) })).ports as Json[];
      const seen: string[] = [];
      let marker = '';
      for (let page = 0; page < 5; page++) {
        const body = await t.ok('GET', `/v2.0/ports?limit=3&sort_key=name${marker}`);
        seen.push(...names(body.ports));
        const next = (body.ports_links ?? []).find((l: Json) => l.rel === 'next');
        if (!next) break;
        marker = `&marker=${body.ports.at(-1).id}`;
      }
      t.equal(seen, names(made), 'ports over every page');
    },
  }),
];
