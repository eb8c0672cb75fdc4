// The quality floor: triage on the held-out part of the real-report corpus must not get worse than what was
// measured when the signals were last changed (bench/triage-quality.bench.ts prints the same figures).
import { describe, expect, test } from 'vitest';
import { corpusPart, measureQuality } from '../../bench/support/triage-quality.js';
import { loadCorpus, partOf, scorerView } from '../../bench/support/triage-corpus.js';

// Measured on the measure part with the default config (the fitted score at its F0.5 threshold), rounded down:
// precision 0.31, recall 0.17, 13 labels, 5 starters labelled or "maybe". Far from the goal (0.7 at 0.4): see
// docs/triage.md. Raise them when you improve the score; never lower them to let a change through, and never tune
// on the measure part.
const FLOOR = { precision: 0.3, recall: 0.17, startersSeenByTriagers: 5, areasRight: 0.84, areasWrongAtMost: 0 };

describe('the calibration corpus', () => {
  const corpus = loadCorpus();

  test('real reports, each with its source, labels and answer; no project more than 15% of it', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(350);
    const sources = new Set(corpus.map((e) => e.source));
    expect(sources.size).toBe(corpus.length);
    for (const e of corpus) {
      expect(e.source).toBe(`https://github.com/${e.repo}/issues/${e.number}`);
      expect(e.title.length).toBeGreaterThan(0);
      expect(e.starter).toBe(e.labels.some((l) => /good[ -]?first[ -]?issue|beginner|low[ -]hanging|\beasy\b/i.test(l)));
    }
    const starters = corpus.filter((e) => e.starter).length;
    expect(starters).toBeGreaterThanOrEqual(60);
    expect(corpus.length - starters).toBeGreaterThanOrEqual(300);
    const perRepo = new Map<string, number>();
    for (const e of corpus) perRepo.set(e.repo, (perRepo.get(e.repo) ?? 0) + 1);
    expect(perRepo.size).toBeGreaterThanOrEqual(100);
    expect(Math.max(...perRepo.values()) / corpus.length).toBeLessThanOrEqual(0.15);
  });

  test("areas come from the issue's own labels: at least 60 entries, every subteam represented in both parts", () => {
    const labelled = corpus.filter((e) => e.areas?.length);
    expect(labelled.length).toBeGreaterThanOrEqual(60);
    for (const team of ['l3', 'db', 'lbaas', 'ipv6']) {
      for (const part of ['design', 'measure'] as const) {
        expect(labelled.filter((e) => partOf(e) === part && e.areas!.includes(team)).length).toBeGreaterThanOrEqual(4);
      }
    }
    // An area is only ever read from a label (never guessed from the text).
    for (const e of labelled) expect(e.labels.length).toBeGreaterThan(0);
  });

  test('split once by a hash of the source: about 60/40, the same every time, and both parts hold starters', () => {
    const design = corpus.filter((e) => partOf(e) === 'design');
    expect(design.length / corpus.length).toBeGreaterThan(0.5);
    expect(design.length / corpus.length).toBeLessThan(0.7);
    expect(partOf({ source: 'https://github.com/cilium/cilium/issues/37378' })).toBe(partOf({ source: 'https://github.com/cilium/cilium/issues/37378' }));
    expect(corpusPart('measure').filter((e) => e.starter).length).toBeGreaterThanOrEqual(5);
  });

  test('the scorer sees no label: not the giveaway starter label, not the area label the answer comes from', () => {
    const labelled = corpus.find((e) => e.starter && e.labels.length > 0)!;
    expect(scorerView(labelled)).toEqual({ title: labelled.title, body: labelled.body, labels: [] });
  });
});

describe('quality on the held-out measure part (default config)', () => {
  const q = measureQuality(corpusPart('measure'));

  test(`starter label: precision at least ${FLOOR.precision} at recall at least ${FLOOR.recall}; at least ${FLOOR.startersSeenByTriagers} starters labelled or "maybe"`, () => {
    expect(q.starter.now.precision).toBeGreaterThanOrEqual(FLOOR.precision);
    expect(q.starter.now.recall).toBeGreaterThanOrEqual(FLOOR.recall);
    expect(q.starter.now.truePositive + q.starter.now.maybe!.starters).toBeGreaterThanOrEqual(FLOOR.startersSeenByTriagers);
    // Fewer wrong labels than the hand-tuned weights and the scorer before the corpus.
    expect(q.starter.now.falsePositive).toBeLessThan(q.starter.handTuned.falsePositive);
    expect(q.starter.now.falsePositive).toBeLessThan(q.starter.before.falsePositive);
  });

  test(`areas: at least ${FLOOR.areasRight} right, at most ${FLOOR.areasWrongAtMost} wrong`, () => {
    expect(q.areas.now.rightShare).toBeGreaterThanOrEqual(FLOOR.areasRight);
    expect(q.areas.now.wrongShare).toBeLessThanOrEqual(FLOOR.areasWrongAtMost);
    expect(q.areas.now.rightShare).toBeGreaterThan(q.areas.before.rightShare);
  });
});
