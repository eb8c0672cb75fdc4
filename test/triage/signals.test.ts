// Individual starter-bug signals on real reports from the calibration corpus (each test names its source).
import { describe, expect, test } from 'vitest';
import { parseConfig, DEFAULT_CONFIG } from '../../src/config.js';
import { LHF_SIGNALS, lhfBand, lhfFeatures, scoreLowHangingFruit } from '../../src/triage/lhf.js';
import { loadCorpus, scorerView } from '../../bench/support/triage-corpus.js';
import { decideAreas } from '../../src/triage/areas.js';

const corpus = loadCorpus();
function report(source: string) {
  const entry = corpus.find((e) => e.source === source);
  if (!entry) throw new Error(`not in the corpus: ${source}`);
  return scorerView(entry);
}
const signals = (source: string) => scoreLowHangingFruit(report(source)).reasons.map((r) => r.signal);
const { lhfThreshold, lhfMaybeThreshold } = DEFAULT_CONFIG.triage;

describe('shapes of small, well-scoped work', () => {
  test('an addition to the output of an existing command: https://github.com/cilium/cilium/issues/37378', () => {
    const source = 'https://github.com/cilium/cilium/issues/37378';
    expect(signals(source)).toContain('output-addition');
    expect(scoreLowHangingFruit(report(source)).score).toBeGreaterThanOrEqual(lhfThreshold);
  });

  test('something a report tool should also gather: https://github.com/cilium/cilium/issues/12251', () => {
    expect(signals('https://github.com/cilium/cilium/issues/12251')).toContain('output-addition');
  });

  test('expose a value as a metric: https://github.com/cilium/cilium/issues/13132', () => {
    expect(signals('https://github.com/cilium/cilium/issues/13132')).toContain('metric');
  });

  test('rename an option, pointing at one place: https://github.com/cilium/cilium/issues/28842', () => {
    const fired = signals('https://github.com/cilium/cilium/issues/28842');
    expect(fired).toEqual(expect.arrayContaining(['rename', 'pointers']));
    expect(fired).not.toContain('race'); // "occasionally users stumble onto the option" is not a race
  });

  test('a missing validation of named values: https://github.com/cilium/cilium/issues/13070', () => {
    expect(signals('https://github.com/cilium/cilium/issues/13070')).toContain('validation');
  });

  test('"a validation error appears" is a symptom, not a missing check: https://github.com/netbox-community/netbox/issues/13052', () => {
    expect(signals('https://github.com/netbox-community/netbox/issues/13052')).not.toContain('validation');
  });

  test('unit tests for named functions: https://github.com/cilium/cilium/issues/4866', () => {
    expect(signals('https://github.com/cilium/cilium/issues/4866')).toEqual(expect.arrayContaining(['missing-test', 'pointers']));
  });

  test('a log level to lower: https://github.com/cilium/cilium/issues/8472', () => {
    const fired = signals('https://github.com/cilium/cilium/issues/8472');
    expect(fired).toContain('message-text');
    expect(fired).not.toContain('upgrade'); // "downgrade that to an actual Debug message"
  });

  test("the maintainer's own hint (\"happy to mentor\"): https://github.com/cilium/hubble/issues/554", () => {
    expect(signals('https://github.com/cilium/hubble/issues/554')).toContain('maintainer-hint');
  });
});

describe('surface words no longer count', () => {
  test('a link to the docs is not "the change is in documentation": https://github.com/envoyproxy/envoy/issues/38525', () => {
    expect(report('https://github.com/envoyproxy/envoy/issues/38525').body).toContain('[this doc](https://www.envoyproxy.io/docs/');
    expect(signals('https://github.com/envoyproxy/envoy/issues/38525')).not.toContain('docs');
  });

  test('a docs URL as the whole body is not docs work either: https://github.com/rackspace/gophercloud/issues/319', () => {
    expect(signals('https://github.com/rackspace/gophercloud/issues/319')).not.toContain('docs');
  });

  test('"Expected / Observed behavior" headings of a template are not a clear report: https://github.com/netbox-community/netbox/issues/8208', () => {
    const fired = signals('https://github.com/netbox-community/netbox/issues/8208');
    expect(fired).not.toContain('expected-actual');
    expect(fired).not.toContain('reproduction');
  });

  test('an empty bug template is an empty report: https://github.com/kubernetes/kubernetes/issues/33950', () => {
    const fired = signals('https://github.com/kubernetes/kubernetes/issues/33950');
    expect(fired).toContain('empty');
    expect(fired).not.toContain('docs');
    expect(fired).not.toContain('expected-actual');
  });

  test('a CI runner image upgrade is not an upgrade of the product: https://github.com/kmesh-net/kmesh/issues/1301', () => {
    expect(signals('https://github.com/kmesh-net/kmesh/issues/1301')).not.toContain('upgrade');
  });
});

describe('shapes of hard work', () => {
  test('a regression: https://github.com/cilium/cilium/issues/18037', () => {
    expect(signals('https://github.com/cilium/cilium/issues/18037')).toContain('regression');
  });

  test('a tracking list of tasks: https://github.com/cilium/cilium/issues/1942', () => {
    expect(signals('https://github.com/cilium/cilium/issues/1942')).toContain('tracking');
  });

  test('deep in the datapath (neighbour discovery): https://github.com/cilium/cilium/issues/18928', () => {
    expect(signals('https://github.com/cilium/cilium/issues/18928')).toContain('low-level');
  });

  test("a user's environment report: https://github.com/cilium/cilium/issues/30926", () => {
    expect(signals('https://github.com/cilium/cilium/issues/30926')).toContain('user-environment');
  });

  test('a proposal in the title: https://github.com/cilium/cilium/issues/22967', () => {
    expect(signals('https://github.com/cilium/cilium/issues/22967')).toContain('design');
  });
});

describe('signals found on the grown corpus (design part)', () => {
  test('the title names the exact thing to change, with no description: https://github.com/apache/apisix/issues/2379', () => {
    const source = 'https://github.com/apache/apisix/issues/2379';
    const fired = signals(source);
    expect(fired).toEqual(expect.arrayContaining(['docs', 'named-target']));
    // A terse body under a descriptive title is not "too little to act on" (maintainers write starters that way).
    expect(fired).not.toContain('empty');
    expect(scoreLowHangingFruit(report(source)).score).toBeGreaterThanOrEqual(lhfMaybeThreshold);
  });

  test('the same change made elsewhere, a pattern to copy: https://github.com/coredns/coredns/issues/3758', () => {
    expect(signals('https://github.com/coredns/coredns/issues/3758')).toEqual(expect.arrayContaining(['metric', 'existing-example']));
  });

  test('one named property added to something that exists: https://github.com/aws/aws-cdk/issues/6666', () => {
    expect(signals('https://github.com/aws/aws-cdk/issues/6666')).toContain('field-addition');
  });

  test('a broad reorganisation is not one small change: https://github.com/cilium/tetragon/issues/5170', () => {
    const source = 'https://github.com/cilium/tetragon/issues/5170';
    expect(signals(source)).toEqual(expect.arrayContaining(['docs', 'broad']));
    expect(scoreLowHangingFruit(report(source)).score).toBeLessThan(lhfThreshold);
  });

  test('a [Question] tag in the title is a question: https://github.com/apache/eventmesh/issues/832', () => {
    expect(signals('https://github.com/apache/eventmesh/issues/832')).toContain('question');
  });

  test('"address in the logs" is not "add ... to the logs": https://github.com/moby/moby/issues/44408', () => {
    expect(signals('https://github.com/moby/moby/issues/44408')).not.toContain('output-addition');
  });

  test('links to documentation pages are not places in the code: https://github.com/antrea-io/antrea/issues/337', () => {
    const score = scoreLowHangingFruit(report('https://github.com/antrea-io/antrea/issues/337'));
    expect(score.reasons.map((r) => r.signal)).not.toContain('pointers');
    expect(score.pointers).toEqual([]);
  });

  test('a terse title with no description is too little to act on', () => {
    expect(scoreLowHangingFruit({ title: 'Typo', body: '' }).reasons.map((r) => r.signal)).toContain('empty');
  });
});

describe('the feature vector and the "maybe" band', () => {
  test('every named signal has a value; the fired ones are exactly the reasons: https://github.com/cilium/cilium/issues/28842', () => {
    const issue = report('https://github.com/cilium/cilium/issues/28842');
    const features = lhfFeatures(issue);
    expect(Object.keys(features)).toEqual([...LHF_SIGNALS]);
    const fired = Object.entries(features).filter(([, v]) => v === 1).map(([k]) => k);
    expect(fired.sort()).toEqual(scoreLowHangingFruit(issue).reasons.map((r) => r.signal).sort());
    expect(lhfFeatures(structuredClone(issue))).toEqual(features);
  });

  test('between the two thresholds a bug is a "maybe": no label, left to a triager', () => {
    const t = { lhfThreshold: 0.6, lhfMaybeThreshold: 0.45 };
    expect([lhfBand(0.6, t), lhfBand(0.59, t), lhfBand(0.45, t), lhfBand(0.44, t)]).toEqual(['starter', 'maybe', 'maybe', 'no']);
    // https://github.com/cilium/cilium/issues/3080: unit tests for named functions, but no second signal.
    const gaps = scoreLowHangingFruit(report('https://github.com/cilium/cilium/issues/3080')).score;
    expect(lhfBand(gaps, DEFAULT_CONFIG.triage)).toBe('maybe');
  });

  test('a "maybe" threshold above the starter threshold is refused with a clear error', () => {
    const parsed = parseConfig({ triage: { lhfThreshold: 0.5, lhfMaybeThreshold: 0.7 } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(JSON.stringify(parsed)).toContain('lhfMaybeThreshold');
  });
});

describe('areas on real reports (default subteam keywords)', () => {
  const areasOf = (source: string) => decideAreas(report(source), DEFAULT_CONFIG.subteams).areas.map((a) => a.key);

  test('one distinctive keyword in the title is enough: BGP https://github.com/FRRouting/frr/issues/18098', () => {
    expect(areasOf('https://github.com/FRRouting/frr/issues/18098')).toEqual(['l3']);
  });

  test('a NAT gateway is L3: https://github.com/hashicorp/terraform-provider-azurerm/issues/6052', () => {
    expect(areasOf('https://github.com/hashicorp/terraform-provider-azurerm/issues/6052')).toEqual(['l3']);
  });

  test('an SDK migration is not a database migration: https://github.com/hashicorp/terraform-provider-aws/issues/36156', () => {
    expect(areasOf('https://github.com/hashicorp/terraform-provider-aws/issues/36156')).toEqual(['lbaas']);
  });

  test('a plugin JSON schema is not a database schema: https://github.com/apache/apisix/issues/1245', () => {
    expect(areasOf('https://github.com/apache/apisix/issues/1245')).not.toContain('db');
  });
});
