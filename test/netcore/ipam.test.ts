import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/netcore/db/connection.js';
import { upgradeToHead } from '../../src/netcore/db/migrate.js';
import { eui64, ipToBig, parseCidr } from '../../src/netcore/ipam/address.js';
import { defaultPools, validatePools } from '../../src/netcore/ipam/pools.js';
import { IpamStore } from '../../src/netcore/ipam/store.js';

/** A database with one network and one subnet whose pools the store manages. */
function subnetStore(cidr: string, pools?: { start: string; end: string }[]) {
  const db = openDatabase(':memory:');
  upgradeToHead(db);
  const c = parseCidr(cidr);
  db.prepare(`INSERT INTO networks (id, project_id, status, admin_state_up, created_at, updated_at) VALUES ('n', 'p', 'ACTIVE', 1, '', '')`).run();
  db.prepare(`INSERT INTO subnets (id, project_id, network_id, ip_version, cidr, enable_dhcp, created_at, updated_at) VALUES ('s', 'p', 'n', ?, ?, 1, '', '')`).run(c.version, cidr);
  db.prepare(`INSERT INTO ports (id, project_id, network_id, mac_address, admin_state_up, status, created_at, updated_at) VALUES ('port', 'p', 'n', 'fa:16:3e:00:00:01', 1, 'DOWN', '', '')`).run();
  const store = new IpamStore(db);
  const ranges = validatePools(c, pools ?? defaultPools(c, null), null);
  store.setPools('s', c.version, ranges);
  const size = ranges.reduce((n, r) => n + Number(r.last - r.first + 1n), 0);
  return { db, store, cidr: c, size };
}

describe('address arithmetic', () => {
  it('derives EUI-64 addresses from the MAC', () => {
    expect(eui64(parseCidr('2001:db8::/64'), 'fa:16:3e:33:44:55')).toBe('2001:db8::f816:3eff:fe33:4455');
  });
  it('makes Neutron default pools', () => {
    expect(defaultPools(parseCidr('10.0.0.0/24'), '10.0.0.1')).toEqual([{ start: '10.0.0.2', end: '10.0.0.254' }]);
    expect(defaultPools(parseCidr('2001:db8::/64'), '2001:db8::1')).toEqual([{ start: '2001:db8::2', end: '2001:db8::ffff:ffff:ffff:ffff' }]);
    expect(defaultPools(parseCidr('10.0.0.0/30'), '10.0.0.1')).toEqual([{ start: '10.0.0.2', end: '10.0.0.2' }]);
  });
});

describe('IpamStore', () => {
  it('gives the lowest free address, a named one, and takes back released ones', () => {
    const { store } = subnetStore('10.0.0.0/29');
    expect(store.allocateAny('s', 4)).toBe('10.0.0.1');
    expect(store.take('s', '10.0.0.4')).toBe(true);
    expect(store.take('s', '10.0.0.4')).toBe(false);
    expect(store.allocateAny('s', 4)).toBe('10.0.0.2');
    store.release('s', '10.0.0.1');
    store.release('s', '10.0.0.1'); // twice is harmless
    expect(store.allocateAny('s', 4)).toBe('10.0.0.1');
    expect(['10.0.0.3', '10.0.0.5', '10.0.0.6'].map(() => store.allocateAny('s', 4))).toEqual(['10.0.0.3', '10.0.0.5', '10.0.0.6']);
    expect(store.allocateAny('s', 4)).toBeUndefined();
  });

  it('random allocate/take/release sequences never give an address twice and never leak one', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('any' as const) }),
      fc.record({ kind: fc.constant('take' as const), offset: fc.nat(40) }),
      fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.boolean(), (ops, twoPools) => {
        const pools = twoPools ? [{ start: '10.0.0.3', end: '10.0.0.12' }, { start: '10.0.0.20', end: '10.0.0.30' }] : undefined;
        const { store, size } = subnetStore('10.0.0.0/26', pools);
        const inPool = (ip: bigint) => (twoPools ? (ip >= 3n && ip <= 12n) || (ip >= 20n && ip <= 30n) : ip >= 1n && ip <= 62n);
        const held = new Set<string>();
        for (const o of ops) {
          if (o.kind === 'any') {
            const ip = store.allocateAny('s', 4);
            if (ip === undefined) expect(held.size).toBe(size);
            else {
              expect(held.has(ip)).toBe(false);
              expect(inPool(ipToBig(ip) - ipToBig('10.0.0.0'))).toBe(true);
              held.add(ip);
            }
          } else if (o.kind === 'take') {
            const ip = `10.0.0.${o.offset}`;
            const got = store.take('s', ip);
            expect(got).toBe(!held.has(ip) && inPool(BigInt(o.offset)));
            if (got) held.add(ip);
          } else if (held.size) {
            const ip = [...held][o.pick % held.size];
            held.delete(ip);
            store.release('s', ip);
          }
        }
        // no leak: everything not held is allocatable again, exactly once
        const rest = new Set<string>();
        for (let ip = store.allocateAny('s', 4); ip !== undefined; ip = store.allocateAny('s', 4)) {
          expect(held.has(ip) || rest.has(ip)).toBe(false);
          rest.add(ip);
        }
        expect(held.size + rest.size).toBe(size);
        // and the free ranges stay merged: releasing everything leaves one range per pool
        for (const ip of [...held, ...rest]) store.release('s', ip);
        expect(store.freeRanges('s').length).toBe(twoPools ? 2 : 1);
      }),
      { numRuns: 200 },
    );
  });

  it('costs the same number of rows in a /8 and an IPv6 /64 as in a /24', () => {
    for (const cidr of ['10.0.0.0/8', '2001:db8::/64', '10.0.0.0/24']) {
      const { store, db } = subnetStore(cidr);
      for (let i = 0; i < 100; i++) store.allocateAny('s', parseCidr(cidr).version);
      expect(store.freeRanges('s').length).toBe(1);
      const rows = db.prepare('SELECT count(*) AS n FROM ipavailabilityranges').get() as { n: number };
      expect(rows.n).toBe(1);
    }
  });

  it('rebuilds free ranges around existing allocations when pools change', () => {
    const { store, db } = subnetStore('10.0.0.0/24');
    const ip = store.allocateAny('s', 4)!;
    db.prepare(`INSERT INTO ipallocations (port_id, ip_address, subnet_id, network_id) VALUES ('port', ?, 's', 'n')`).run(ip);
    store.setPools('s', 4, validatePools(parseCidr('10.0.0.0/24'), [{ start: '10.0.0.1', end: '10.0.0.3' }], null));
    expect([store.allocateAny('s', 4), store.allocateAny('s', 4), store.allocateAny('s', 4)]).toEqual(['10.0.0.2', '10.0.0.3', undefined]);
  });
});
