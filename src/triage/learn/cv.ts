/**
 * Cross-validation for the fitted scores: deterministic stratified folds, out-of-fold scores, and the two
 * choices made from them, never from held-out data: the regularisation (which lambda) and the threshold that
 * reaches a target precision ("when unsure, say nothing": precision first, then as much recall as it allows).
 */
import { createHash } from 'node:crypto';
import { fitLogistic, probability, type Example, type LogisticModel } from './logistic.js';

export interface Scored {
  p: number;
  y: 0 | 1;
}

export interface PrecisionRecall {
  threshold: number;
  precision: number;
  recall: number;
  /** How many scored at or above the threshold. */
  predicted: number;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Stratified folds: each class is ordered by a hash of (seed, id) and dealt round-robin, so every fold holds
 * its share of the rare class, and the same ids always land in the same folds.
 */
export function stratifiedFolds(items: readonly { id: string; y: 0 | 1 }[], k: number, seed: string): number[] {
  const fold = new Array<number>(items.length).fill(0);
  for (const cls of [0, 1] as const) {
    const members = items.map((it, i) => ({ i, h: hash(`${seed}:${it.id}`) })).filter(({ i }) => items[i]!.y === cls);
    members.sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
    members.forEach(({ i }, rank) => (fold[i] = rank % k));
  }
  return fold;
}

export interface CvOptions {
  folds: number;
  repeats: number;
  seed: string;
}

export const DEFAULT_CV: CvOptions = { folds: 5, repeats: 3, seed: 'netbot-triage' };

/**
 * Out-of-fold scores: for each repeat and fold, fit on the other folds and score this one. `prepare` turns the
 * training part into a fitted scorer (so anything learned from the data, like a vocabulary, is learned there).
 */
export function outOfFold<T extends { id: string; y: 0 | 1 }>(items: readonly T[], prepare: (train: readonly T[]) => (item: T) => number, cv: CvOptions = DEFAULT_CV): Scored[] {
  const out: Scored[] = [];
  for (let r = 0; r < cv.repeats; r++) {
    const fold = stratifiedFolds(items, cv.folds, `${cv.seed}:${r}`);
    for (let f = 0; f < cv.folds; f++) {
      const train = items.filter((_, i) => fold[i] !== f);
      const test = items.filter((_, i) => fold[i] === f);
      if (test.length === 0) continue;
      const score = prepare(train);
      for (const t of test) out.push({ p: score(t), y: t.y });
    }
  }
  return out;
}

/** Precision and recall of "starter at or above t" for every distinct score, highest threshold first. */
export function precisionRecallCurve(scored: readonly Scored[]): PrecisionRecall[] {
  const sorted = [...scored].sort((a, b) => b.p - a.p);
  const positives = sorted.reduce((s, x) => s + x.y, 0);
  const curve: PrecisionRecall[] = [];
  let tp = 0;
  for (let i = 0; i < sorted.length; i++) {
    tp += sorted[i]!.y;
    if (i + 1 < sorted.length && sorted[i + 1]!.p === sorted[i]!.p) continue; // a threshold takes every tie
    curve.push({ threshold: sorted[i]!.p, precision: tp / (i + 1), recall: positives ? tp / positives : 0, predicted: i + 1 });
  }
  return curve;
}

export function at(scored: readonly Scored[], threshold: number): PrecisionRecall {
  let tp = 0;
  let predicted = 0;
  let positives = 0;
  for (const s of scored) {
    positives += s.y;
    if (s.p >= threshold) {
      predicted++;
      tp += s.y;
    }
  }
  return { threshold, precision: predicted ? tp / predicted : 0, recall: positives ? tp / positives : 0, predicted };
}

/**
 * The lowest threshold whose precision (on the out-of-fold scores) is at least `target`, backed by at least
 * `minPredicted` reports: the most recall precision allows. When no threshold reaches the target, the one with
 * the best precision (ties: more recall), marked `met: false`. The threshold returned sits halfway between
 * the chosen score and the next lower one, so it does not hang on one report's exact score.
 */
export function thresholdForPrecision(scored: readonly Scored[], target: number, minPredicted = 3): PrecisionRecall & { met: boolean } {
  const curve = precisionRecallCurve(scored);
  const eligible = curve.filter((c) => c.predicted >= minPredicted);
  const meeting = eligible.filter((c) => c.precision >= target);
  const chosen = meeting.length
    ? meeting.reduce((best, c) => (c.recall > best.recall ? c : best))
    : eligible.reduce<PrecisionRecall | undefined>((best, c) => (!best || c.precision > best.precision || (c.precision === best.precision && c.recall > best.recall) ? c : best), undefined);
  if (!chosen) return { threshold: 1, precision: 0, recall: 0, predicted: 0, met: false };
  const below = curve[curve.indexOf(chosen) + 1];
  const threshold = below ? (chosen.threshold + below.threshold) / 2 : chosen.threshold;
  return { ...at(scored, threshold), met: meeting.length > 0 };
}

/**
 * The threshold with the best F-beta on the out-of-fold scores (beta 0.5 weighs precision twice recall: a wrong
 * starter label costs a newcomer more than a missed one), backed by at least `minPredicted` reports, placed
 * halfway to the next lower score as `thresholdForPrecision` does.
 */
export function thresholdForFBeta(scored: readonly Scored[], beta: number, minPredicted = 3): PrecisionRecall & { met: boolean; fBeta: number } {
  const curve = precisionRecallCurve(scored);
  const f = (c: PrecisionRecall) => (c.precision + c.recall === 0 ? 0 : ((1 + beta * beta) * c.precision * c.recall) / (beta * beta * c.precision + c.recall));
  const chosen = curve.filter((c) => c.predicted >= minPredicted).reduce<PrecisionRecall | undefined>((best, c) => (!best || f(c) > f(best) + 1e-12 ? c : best), undefined);
  if (!chosen) return { threshold: 1, precision: 0, recall: 0, predicted: 0, met: false, fBeta: 0 };
  const below = curve[curve.indexOf(chosen) + 1];
  const threshold = below ? (chosen.threshold + below.threshold) / 2 : chosen.threshold;
  const reached = at(scored, threshold);
  return { ...reached, met: true, fBeta: f(reached) };
}

/** Area under the precision-recall curve (average precision): how well the scores rank, whatever the threshold. */
export function averagePrecision(scored: readonly Scored[]): number {
  const curve = precisionRecallCurve(scored);
  let ap = 0;
  let lastRecall = 0;
  for (const c of curve) {
    ap += (c.recall - lastRecall) * c.precision;
    lastRecall = c.recall;
  }
  return ap;
}

export interface Prior {
  name: string;
  /** The weights the fit is pulled towards (one per feature). */
  mean: readonly number[];
}

export interface FitChoice {
  lambda: number;
  /** The prior chosen (undefined: weights pulled towards 0). */
  prior?: string;
  model: LogisticModel;
  /** The threshold for the target precision, and what it reached by cross-validation. */
  threshold: PrecisionRecall & { met: boolean };
  /** The "maybe" threshold: where cross-validated precision is still `maybePrecision`. */
  maybe: PrecisionRecall & { met: boolean };
  averagePrecision: number;
  /** Every lambda tried, with its figures: the fit's provenance. */
  tried: { lambda: number; prior?: string; precision: number; recall: number; met: boolean; averagePrecision: number }[];
}

/**
 * Fits over a grid of lambdas (and priors, if any), chooses by cross-validation: the one with the most recall at
 * the target precision (none meeting it: the best average precision), ties to the earlier prior and the larger
 * lambda (weights nearer the prior); then fits that choice on every example. Deterministic.
 */
export function chooseAndFit(
  items: readonly { id: string; example: Example }[],
  features: number,
  opts: {
    lambdas: readonly number[];
    priors?: readonly Prior[];
    /** The starter threshold: the lowest score reaching this precision by cross-validation... */
    targetPrecision: number;
    /** ...or, when given, the score with the best F-beta by cross-validation (lambdas then chosen by it too). */
    fBeta?: number;
    maybePrecision: number;
    cv?: CvOptions;
    minPredicted?: number;
  },
): FitChoice {
  const labelled = items.map((it) => ({ id: it.id, y: it.example.y, x: it.example.x }));
  const tried: FitChoice['tried'] = [];
  let best: { lambda: number; prior?: Prior; scored: Scored[]; key: [number, number, number] } | undefined;
  for (const prior of opts.priors?.length ? opts.priors : [undefined]) {
    for (const lambda of [...opts.lambdas].sort((a, b) => b - a)) {
      const scored = outOfFold(labelled, (train) => {
        const model = fitLogistic(train, features, lambda, { prior: prior?.mean });
        return (item) => probability(model, item.x);
      }, opts.cv);
      const t = opts.fBeta === undefined ? thresholdForPrecision(scored, opts.targetPrecision, opts.minPredicted) : thresholdForFBeta(scored, opts.fBeta, opts.minPredicted);
      const ap = averagePrecision(scored);
      tried.push({ lambda, ...(prior ? { prior: prior.name } : {}), precision: t.precision, recall: t.recall, met: t.met, averagePrecision: ap });
      const key: [number, number, number] = 'fBeta' in t ? [1, t.fBeta as number, ap] : [t.met ? 1 : 0, t.met ? t.recall : ap, ap];
      if (!best || key[0] > best.key[0] || (key[0] === best.key[0] && (key[1] > best.key[1] + 1e-9 || (Math.abs(key[1] - best.key[1]) <= 1e-9 && key[2] > best.key[2] + 1e-9)))) {
        best = { lambda, prior, scored, key };
      }
    }
  }
  if (!best) throw new Error('chooseAndFit: no lambda to try');
  const model = fitLogistic(labelled, features, best.lambda, { prior: best.prior?.mean });
  return {
    lambda: best.lambda,
    ...(best.prior ? { prior: best.prior.name } : {}),
    model,
    threshold: opts.fBeta === undefined ? thresholdForPrecision(best.scored, opts.targetPrecision, opts.minPredicted) : thresholdForFBeta(best.scored, opts.fBeta, opts.minPredicted),
    maybe: thresholdForPrecision(best.scored, opts.maybePrecision, opts.minPredicted),
    averagePrecision: averagePrecision(best.scored),
    tried,
  };
}
