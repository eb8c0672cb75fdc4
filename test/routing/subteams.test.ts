import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { changedLines, findIpv6Signal, matchSubteams, MAX_REASONS } from '../../src/routing/subteams.js';
import { bigPullRequest, file, patchOf, routingConfig } from './fixtures.js';

const config = routingConfig();
const keys = (files: Parameters<typeof matchSubteams>[0], labels: string[] = []) => matchSubteams(files, labels, config).map((m) => m.key);

describe('realistic pull requests', () => {
  test('a migration-only pull request goes to DB, and says which file matched which glob', () => {
    const files = [
      file('src/netcore/db/migrations/versions/icehouse_add_port_binding_host.ts', patchOf('+export const up = (db) => db.exec("ALTER TABLE ports ADD host TEXT");'), { status: 'added' }),
      file('test/netcore/migrations/icehouse.test.ts', patchOf('+test("adds host", () => {});')),
    ];
    const [db, ...rest] = matchSubteams(files, [], config);
    expect(rest).toEqual([]);
    expect(db).toEqual({
      key: 'db',
      reasons: [
        { kind: 'path', file: 'src/netcore/db/migrations/versions/icehouse_add_port_binding_host.ts', rule: 'src/netcore/db/**' },
        { kind: 'path', file: 'test/netcore/migrations/icehouse.test.ts', rule: 'test/netcore/migrations/**' },
      ],
      moreReasons: 0,
    });
  });

  test('a router change plus IPv6 RA mode handling in a generic file goes to both L3 and IPv6', () => {
    const files = [
      file('src/netcore/api/routers.ts', patchOf('+  if (!body.external_gateway_info) return;')),
      file('src/netcore/api/subnets.ts', patchOf('   const mode = body.subnet.mode;', '+  const raMode = body.subnet.ipv6_ra_mode ?? null;', '+  validateModes(raMode);')),
    ];
    const matches = matchSubteams(files, [], config);
    expect(matches.map((m) => m.key)).toEqual(['l3', 'ipv6']);
    // The patch starts at line 10: context line 10, the first "+" line is new line 11... (after one more context line).
    expect(matches[1]!.reasons).toEqual([{ kind: 'diff', file: 'src/netcore/api/subnets.ts', line: 12, rule: 'keyword "ipv6_ra_mode"' }]);
  });

  test('IPv6 address handling in a generic file is found by its literals, not only by keywords', () => {
    const files = [file('src/netcore/api/ports.ts', patchOf('+  const linkLocal = "fe80::f816:3eff:fe12:3456";'))];
    expect(matchSubteams(files, [], config)).toEqual([
      { key: 'ipv6', reasons: [{ kind: 'diff', file: 'src/netcore/api/ports.ts', line: 11, rule: 'IPv6 literal "fe80::f816:3eff:fe12:3456"' }], moreReasons: 0 },
    ]);
  });

  test('a file claimed by a path glob is not read for keywords (a DB file mentioning routers stays DB)', () => {
    expect(keys([file('src/netcore/db/models/router.ts', patchOf('+  router_id TEXT REFERENCES routers(id),'))])).toEqual(['db']);
  });

  test('only added and removed lines count: a keyword in an unchanged context line does not', () => {
    const patch = '@@ -1,3 +1,3 @@\n // router helpers\n-const a = 1;\n+const a = 2;';
    expect(keys([file('src/netcore/util.ts', patch)])).toEqual([]);
  });

  test('keywords match whole words (plurals allowed): "vip" is not in "gossip", "routers" counts', () => {
    const lbConfig = routingConfig();
    expect(keys([file('src/a.ts', patchOf('+// the schematic view'))])).toEqual([]);
    expect(keys([file('src/a.ts', patchOf('+// list routers for the tenant'))])).toEqual(['l3']);
    expect(matchSubteams([file('src/a.ts', patchOf('+gossip()'))], [], lbConfig)).toEqual([]);
    expect(matchSubteams([file('src/a.ts', patchOf('+const health_monitor = 1'))], [], lbConfig).map((m) => m.key)).toEqual(['lbaas']);
  });

  test('a vendor plugin pull request has no subteam unless its diff names one', () => {
    const plain = [
      file('src/netcore/plugins/acme/driver.ts', patchOf('+export class AcmeDriver implements Plugin {', '+  createNetwork(net) { return this.client.post("/networks", net); }')),
      file('src/netcore/plugins/acme/README.md', patchOf('+# ACME switch driver')),
    ];
    expect(keys(plain)).toEqual([]);
    const withLb = [...plain, file('src/netcore/plugins/acme/lb.ts', patchOf('+  // program the haproxy backend'))];
    expect(keys(withLb)).toEqual(['lbaas']);
  });

  test('a renamed file matches by its new path or by its old one', () => {
    const intoDb = file('src/netcore/db/sqlite_helpers.ts', undefined, { status: 'renamed', previous_filename: 'src/netcore/util/sqlite_helpers.ts' });
    expect(matchSubteams([intoDb], [], config)).toEqual([
      { key: 'db', reasons: [{ kind: 'path', file: 'src/netcore/db/sqlite_helpers.ts', rule: 'src/netcore/db/**' }], moreReasons: 0 },
    ]);
    const outOfL3 = file('src/netcore/common/nat.ts', undefined, { status: 'renamed', previous_filename: 'src/netcore/l3/nat.ts' });
    expect(matchSubteams([outOfL3], [], config)[0]!.reasons).toEqual([
      { kind: 'path', file: 'src/netcore/common/nat.ts', rule: 'src/netcore/l3/** (renamed from src/netcore/l3/nat.ts)' },
    ]);
  });

  test('an area label routes to its subteam, case-insensitively', () => {
    expect(matchSubteams([file('docs/index.md')], ['Area/LBaaS', 'bug'], config)).toEqual([
      { key: 'lbaas', reasons: [{ kind: 'label', rule: 'area/lbaas' }], moreReasons: 0 },
    ]);
  });

  test('a 3,000-file pull request keeps the first reasons per subteam and counts the rest', () => {
    const matches = matchSubteams(bigPullRequest(3000), [], config);
    expect(matches.map((m) => m.key)).toEqual(['l3', 'db']);
    const l3 = matches[0]!;
    expect(l3.reasons).toHaveLength(MAX_REASONS);
    // Every 7th file is under src/netcore/l3 and every 7th under db/migrations; the rest have no keywords.
    expect(l3.reasons.length + l3.moreReasons).toBe(Math.ceil((3000 - 5) / 7));
  });

  test('the default config (no people) still finds subteams, and files without patches are fine', () => {
    expect(matchSubteams([file('src/netcore/lbaas/pool.ts'), file('image.png')], [], DEFAULT_CONFIG).map((m) => m.key)).toEqual(['lbaas']);
  });
});

describe('IPv6 signals', () => {
  test.each([
    ['const gw = "2001:db8::1";', '2001:db8::1'],
    ['cidr: 2001:db8:0:1::/64', '2001:db8:0:1::/64'],
    ['sock = socket(AF_INET6, SOCK_DGRAM)', 'AF_INET6'],
    ['if subnet["ip_version"] == 6:', 'ip_version"] == 6'],
    ['listen on ::1 only', '::1'],
    ['gateway_ip = "fe80::1"', 'fe80::1'],
    ['prefix = "2001:db8::"', '2001:db8::'],
  ])('%s', (line, signal) => expect(findIpv6Signal(line)).toBe(signal));

  test.each(['now = "12:30:45"', 'mac = "fa:16:3e:00:00:01"', 'xs[::2]', 'xs[1::2]', 'grid[10::20]', 'std::vector<int> v;', 'ip_version = 4', 'a::b::c'])('not IPv6: %s', (line) =>
    expect(findIpv6Signal(line)).toBeUndefined(),
  );
});

test('changedLines numbers added lines in the new file and removed lines in the old one', () => {
  const patch = '@@ -5,4 +5,4 @@\n a\n-b\n+B\n c\n\\ No newline at end of file\n@@ -20,1 +20,2 @@\n x\n+y';
  expect([...changedLines(patch)]).toEqual([
    { sign: '-', line: 6, text: 'b' },
    { sign: '+', line: 6, text: 'B' },
    { sign: '+', line: 21, text: 'y' },
  ]);
});
