import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, parseConfig, type NetbotConfig } from '../../src/config.js';
import { subteamMatcher } from '../../src/core/subteams.js';
import { matchSubteams } from '../../src/routing/subteams.js';
import { decideAreas } from '../../src/triage/areas.js';

// One rule for issues and pull requests: the same keyword or glob matches the same text or path in both.
const config = ((): NetbotConfig => {
  const parsed = parseConfig({
    subteams: {
      l3: { name: 'L3', label: 'area/l3', keywords: ['l3 agent', 'router', 'floating ip'], paths: ['src/netcore/l3/**'] },
      ipv6: { name: 'IPv6', label: 'area/ipv6', keywords: ['slaac', 'ra_mode'], paths: ['src/netcore/ipam/ipv6*'] },
    },
  });
  if (!parsed.ok) throw new Error('config');
  return parsed.config;
})();

const KEYWORDS: [text: string, team: string | null][] = [
  ['the l3 agent crashed', 'l3'],
  ['neutron_l3_agent.py exits', 'l3'], // identifiers: `_` separates words
  ['the l3-agent restarts', 'l3'],
  ['L3   Agent', 'l3'],
  ['two routers', 'l3'], // plural
  ['floating_ip_address is empty', 'l3'],
  ['routerd is a daemon', null], // not a whole word
  ['xl3 agent', null],
  ['ra_mode is slaac', 'ipv6'],
  ['ipv6_ra_mode=slaac', 'ipv6'],
  ['nothing here', null],
];

const PATHS: [path: string, team: string | null][] = [
  ['src/netcore/l3/router.ts', 'l3'],
  ['src/netcore/L3/router.ts', 'l3'], // paths in any case
  ['src/netcore/ipam/ipv6.ts', 'ipv6'],
  ['src/netcore/ipam/IPv6-modes.ts', 'ipv6'],
  ['src/netcore/l3x/router.ts', null],
  ['docs/l3.md', null],
];

describe('keywords, one rule', () => {
  test.each(KEYWORDS)('%s -> %s', (text, team) => {
    const teams = subteamMatcher(config.subteams).keywordHits(text).map((h) => h.team);
    expect([...new Set(teams)]).toEqual(team ? [team] : []);
    // A pull request's changed line and an issue's title meet the same rule.
    const pr = matchSubteams([{ filename: 'misc/notes.txt', status: 'modified', patch: `@@ -1,0 +1,1 @@\n+${text}` }], [], config).map((m) => m.key);
    expect(pr).toEqual(team ? [team] : []);
    const issue = decideAreas({ title: text, body: `${text}\n${text}` }, config.subteams).areas.map((a) => a.key); // thrice: one mention alone is not confident
    expect(issue).toEqual(team ? [team] : []);
  });
});

describe('paths, one rule', () => {
  test.each(PATHS)('%s -> %s', (path, team) => {
    expect(subteamMatcher(config.subteams).pathMatches(path).map((m) => m.team)).toEqual(team ? [team] : []);
    const pr = matchSubteams([{ filename: path, status: 'modified' }], [], config).map((m) => m.key);
    expect(pr).toEqual(team ? [team] : []);
    const issue = decideAreas({ title: 'Crash', body: `It fails in ${path} and again in ${path}:12` }, config.subteams).areas.map((a) => a.key);
    expect(issue).toEqual(team ? [team] : []);
  });
});

test('compiled once per config: the same matcher object for the same subteams', () => {
  expect(subteamMatcher(DEFAULT_CONFIG.subteams)).toBe(subteamMatcher(DEFAULT_CONFIG.subteams));
});

test("every default subteam's paths match files that exist in this repository", async () => {
  const { execFileSync } = await import('node:child_process');
  const files = execFileSync('git', ['ls-files'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const matcher = subteamMatcher(DEFAULT_CONFIG.subteams);
  for (const key of matcher.keys) expect(files.filter((f) => matcher.pathMatches(f).some((m) => m.team === key)).length, key).toBeGreaterThan(0);
});
