import { describe, expect, test } from 'vitest';
import { decideRouting, type RoutingInput } from '../../src/routing/decide.js';
import { orderByLoad, pickReviewers, type ReviewerInput } from '../../src/routing/reviewers.js';
import { file, patchOf, routingConfig } from './fixtures.js';

const config = routingConfig();
const base = (over: Partial<ReviewerInput> = {}): ReviewerInput => ({
  subteams: ['db'],
  config,
  author: 'newcomer',
  load: new Map(),
  vacation: new Set(),
  alreadyRequested: [],
  alreadyReviewed: [],
  humanRemoved: new Set(),
  seed: 1,
  ...over,
});

describe('pickReviewers', () => {
  test('the lead first', () => {
    expect(pickReviewers(base())).toEqual({
      requests: [{ login: 'zzzeek', subteams: ['db'], reason: 'lead', load: 0 }],
      skipped: [],
      covered: [{ subteam: 'db', login: 'zzzeek', how: 'requested' }],
      uncovered: [],
    });
  });

  test('the lead is the author: a backup instead, and the skip says why', () => {
    const pick = pickReviewers(base({ author: 'ZZZeek' }));
    expect(pick.requests.map((r) => [r.login, r.reason])).toEqual([[expect.stringMatching(/ihrachys|annp/), 'backup']]);
    expect(pick.skipped).toEqual([{ login: 'zzzeek', subteam: 'db', reason: 'author' }]);
  });

  test('the lead on vacation (by command or in config): a backup', () => {
    expect(pickReviewers(base({ vacation: new Set(['zzzeek']) })).skipped).toEqual([{ login: 'zzzeek', subteam: 'db', reason: 'vacation' }]);
    const inConfig = routingConfig({ routing: { vacation: ['zzzeek'] } });
    expect(pickReviewers(base({ config: inConfig })).requests[0]!.reason).toBe('backup');
  });

  test('the lead full: the backup with the fewest open requests', () => {
    const load = new Map([['zzzeek', 3], ['ihrachys', 2], ['annp', 1]]);
    const pick = pickReviewers(base({ load }));
    expect(pick.requests).toEqual([{ login: 'annp', subteams: ['db'], reason: 'backup', load: 1 }]);
    expect(pick.skipped).toEqual([{ login: 'zzzeek', subteam: 'db', reason: 'full', detail: '3' }]);
  });

  test('equally loaded backups take turns as the pull request number changes', () => {
    const picks = new Set<string>();
    for (let pr = 1; pr <= 30; pr++) picks.add(pickReviewers(base({ author: 'zzzeek', seed: pr })).requests[0]!.login);
    expect(picks).toEqual(new Set(['ihrachys', 'annp']));
    // ...but the same pull request always gets the same answer.
    expect(orderByLoad(['a', 'b', 'c'], new Map(), 42)).toEqual(orderByLoad(['a', 'b', 'c'], new Map(), 42));
  });

  test("the author's own review (replying to review comments) does not cover their subteam: a backup is asked", () => {
    const pick = pickReviewers(base({ author: 'zzzeek', alreadyReviewed: ['zzzeek'] }));
    expect(pick.requests.map((r) => r.reason)).toEqual(['backup']);
    expect(pick.covered.map((c) => c.how)).toEqual(['requested']);
  });

  test('never requests someone who already reviewed or was already requested: the subteam counts as covered', () => {
    expect(pickReviewers(base({ alreadyReviewed: ['annp'] }))).toMatchObject({ requests: [], covered: [{ subteam: 'db', login: 'annp', how: 'already-reviewed' }] });
    expect(pickReviewers(base({ alreadyRequested: ['zzzeek'] }))).toMatchObject({ requests: [], covered: [{ how: 'already-requested' }] });
  });

  test('a reviewer a human removed is not asked again; GitHub refusals are skipped with their message', () => {
    const load = new Map([['annp', 1]]); // ihrachys comes first by load, and is refused
    const pick = pickReviewers(base({ load, humanRemoved: new Set(['zzzeek']), refused: new Map([['ihrachys', 'not a collaborator']]) }));
    expect(pick.requests.map((r) => r.login)).toEqual(['annp']);
    expect(pick.skipped).toEqual([
      { login: 'zzzeek', subteam: 'db', reason: 'removed-by-human' },
      { login: 'ihrachys', subteam: 'db', reason: 'refused', detail: 'not a collaborator' },
    ]);
  });

  test('nobody available: the subteam is uncovered and every skip is reported', () => {
    const pick = pickReviewers(base({ subteams: ['lbaas'], vacation: new Set(['dougwig']), load: new Map([['blogan', 9]]) }));
    expect(pick.requests).toEqual([]);
    expect(pick.uncovered).toEqual(['lbaas']);
    expect(pick.skipped).toEqual([
      { login: 'dougwig', subteam: 'lbaas', reason: 'vacation' },
      { login: 'blogan', subteam: 'lbaas', reason: 'full', detail: '9' },
    ]);
  });

  test('one person can cover several subteams, and a pick counts toward their load', () => {
    const shared = routingConfig({
      subteams: {
        l3: { name: 'L3', label: 'area/l3', leads: ['carl'], backups: [], paths: [] },
        ipv6: { name: 'IPv6', label: 'area/ipv6', leads: ['sean'], backups: ['carl'], paths: [] },
        db: { name: 'DB', label: 'area/db', leads: ['carl'], backups: [], paths: [] },
      },
      routing: { maxOpenReviews: 2 },
    });
    const pick = pickReviewers(base({ config: shared, subteams: ['l3', 'ipv6', 'db'], author: 'sean', load: new Map([['carl', 1]]) }));
    expect(pick.requests).toEqual([{ login: 'carl', subteams: ['l3', 'ipv6', 'db'], reason: 'lead', load: 1 }]);
  });
});

describe('decideRouting', () => {
  const input = (over: Partial<RoutingInput>): RoutingInput => ({ ...base(), files: [], labels: [], ...over });

  test('router + IPv6 change: both subteams, both leads, both labels', () => {
    const files = [file('src/netcore/api/routers.ts'), file('src/netcore/api/subnets.ts', patchOf('+ slaac_only = true'))];
    const d = decideRouting(input({ files }));
    expect(d.subteams.map((s) => s.key)).toEqual(['l3', 'ipv6']);
    expect(d.requests.map((r) => r.login)).toEqual(['carl-baldwin', 'sc68cal']);
    expect(d.labels).toEqual(['area/l3', 'area/ipv6']);
    expect(d.usedDefault).toBe(false);
  });

  test('no subteam: the default reviewers, except the author', () => {
    const d = decideRouting(input({ files: [file('README.md')], author: 'salv-orlando' }));
    expect(d).toMatchObject({ usedDefault: true, subteams: [], labels: [] });
    expect(d.requests).toEqual([{ login: 'markmcclain', subteams: [], reason: 'default', load: 0 }]);
    expect(d.skipped).toEqual([{ login: 'salv-orlando', subteam: '', reason: 'author' }]);
  });

  test('/route adds a subteam with its reason first; a subteam a human took off is dropped, not relabelled', () => {
    const files = [file('src/netcore/db/x.ts'), file('src/netcore/l3/y.ts')];
    const d = decideRouting(input({ files, forced: ['lbaas', 'nonsense'], excluded: new Map([['l3', 'label-removed' as const]]) }));
    expect(d.subteams.map((s) => s.key)).toEqual(['db', 'lbaas']);
    expect(d.subteams[1]!.reasons).toEqual([{ kind: 'command', rule: '/route' }]);
    expect(d.dropped).toEqual([{ key: 'l3', why: 'label-removed' }]);
    expect(d.labels).toEqual(['area/db', 'area/lbaas']);
  });

  test('when every matched subteam was taken off, the default reviewers get it', () => {
    const d = decideRouting(input({ files: [file('src/netcore/db/x.ts')], excluded: new Map([['db', 'unrouted' as const]]) }));
    expect(d.usedDefault).toBe(true);
    expect(d.requests.map((r) => r.login)).toEqual(['markmcclain', 'salv-orlando']);
  });
});
