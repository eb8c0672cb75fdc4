// Fits the built-in starter score: the weights of the named signals (lhfFeatures) by L2-regularised logistic
// regression on the calibration corpus's DESIGN part only, with the regularisation and the thresholds chosen
// by cross-validation on that part. The measure part is never read here. `npm run fit:triage` writes the
// result to src/triage/lhf-model.ts; test/triage/builtin-model.test.ts checks that file is this fit's output.
import { createHash } from 'node:crypto';
import { LHF_SIGNAL_SIGNS, LHF_SIGNALS, lhfFeatures } from '../../src/triage/lhf.js';
import { chooseAndFit } from '../../src/triage/learn/cv.js';
import { loadCorpus, partOf, scorerView } from './triage-corpus.js';

/** The choices of the fit, fixed before it ran: a target precision first ("when unsure, say nothing"). */
export const BUILTIN_FIT = {
  /**
   * The starter threshold: the score with the best cross-validated F0.5 (precision weighs twice recall). A first
   * fit took the lowest score reaching the goal's precision 0.7 instead: on the design part that left a recall of
   * 0.13 (a label on almost nothing), and on the held-out part one label, wrong.
   */
  fBeta: 0.5,
  /** Kept for the provenance: the goal's precision, which no threshold with useful recall reaches by cross-validation. */
  targetPrecision: 0.7,
  /** The "maybe" band starts where cross-validated precision is still 0.5: a triager decides those. */
  maybePrecision: 0.5,
  lambdas: [0.1, 0.03, 0.01, 0.003, 0.001, 0.0003],
  /**
   * What the weights are pulled towards: 0, or each signal's sign by its meaning (+1 approachable, -1 hard) times
   * this many log-odds. A sign prior keeps a hard signal negative where the design part has no evidence (a signal
   * that never fires there). Not the hand-set weights: those were tuned on the design part itself, so a prior made
   * of them would leak every fold's answers into cross-validation.
   */
  priorScales: [0, 0.5, 1, 2],
  cv: { folds: 5, repeats: 5, seed: 'netbot-builtin-lhf' },
  /** A threshold must stand on at least this many pooled out-of-fold reports (two per repeat). */
  minPredicted: 10,
} as const;

const r4 = (n: number) => Math.round(n * 10_000) / 10_000;
const r2 = (n: number) => Math.round(n * 100) / 100;

export interface BuiltinTable {
  bias: number;
  weights: Record<string, number>;
  threshold: number;
  maybeThreshold: number;
  provenance: {
    corpus: { part: 'design'; reports: number; starters: number; sha256: string };
    fit: { model: string; lambda: number; prior: string; folds: number; repeats: number; seed: string; targetPrecision: number; fBeta: number; maybePrecision: number };
    cv: { precision: number; recall: number; met: boolean; maybePrecision: number; maybeRecall: number; averagePrecision: number };
    tried: { lambda: number; prior?: string; precision: number; recall: number; met: boolean; averagePrecision: number }[];
  };
}

export function fitBuiltinLhf(): BuiltinTable {
  const design = loadCorpus().filter((e) => partOf(e) === 'design');
  const items = design.map((e) => {
    const f = lhfFeatures(scorerView(e));
    return { id: e.source, example: { x: LHF_SIGNALS.flatMap((s, i) => (f[s] ? [i] : [])), y: (e.starter ? 1 : 0) as 0 | 1 } };
  });
  const priors = BUILTIN_FIT.priorScales.map((k) => ({ name: k === 0 ? 'zero' : `sign x${k}`, mean: LHF_SIGNALS.map((s) => k * LHF_SIGNAL_SIGNS[s]) }));
  const fit = chooseAndFit(items, LHF_SIGNALS.length, { ...BUILTIN_FIT, priors, cv: BUILTIN_FIT.cv });
  const digest = createHash('sha256');
  for (const e of design) digest.update(`${e.source}\n${e.title}\n${e.body}\n${e.starter}\n`);
  return {
    bias: r4(fit.model.bias),
    weights: Object.fromEntries(LHF_SIGNALS.map((s, i) => [s, r4(fit.model.weights[i]!)])),
    // Two decimals, as scores are shown; rounded down so the chosen reports stay above it.
    threshold: Math.floor(fit.threshold.threshold * 100) / 100,
    maybeThreshold: Math.floor(fit.maybe.threshold * 100) / 100,
    provenance: {
      corpus: { part: 'design', reports: design.length, starters: design.filter((e) => e.starter).length, sha256: digest.digest('hex') },
      fit: {
        model: 'logistic regression, L2, Newton-CG (src/triage/learn/logistic.ts)',
        lambda: fit.lambda,
        prior: fit.prior ?? 'zero',
        ...BUILTIN_FIT.cv,
        targetPrecision: BUILTIN_FIT.targetPrecision,
        fBeta: BUILTIN_FIT.fBeta,
        maybePrecision: BUILTIN_FIT.maybePrecision,
      },
      cv: {
        precision: r2(fit.threshold.precision),
        recall: r2(fit.threshold.recall),
        met: fit.threshold.met,
        maybePrecision: r2(fit.maybe.precision),
        maybeRecall: r2(fit.maybe.recall),
        averagePrecision: r2(fit.averagePrecision),
      },
      tried: fit.tried.map((t) => ({ lambda: t.lambda, prior: t.prior, precision: r2(t.precision), recall: r2(t.recall), met: t.met, averagePrecision: r2(t.averagePrecision) })),
    },
  };
}

/** The checked-in TypeScript module for a fitted table. */
export function builtinModule(table: BuiltinTable): string {
  return [
    '// GENERATED by `npm run fit:triage` (bench/support/fit-builtin.ts): do not edit by hand. The built-in starter score:',
    "// each named signal's weight (log-odds), fitted on the calibration corpus's design part with the regularisation and",
    '// the thresholds chosen by cross-validation there (provenance below). test/triage/builtin-model.test.ts refits it.',
    `export const BUILTIN_LHF_MODEL = ${JSON.stringify(table, null, 2)} as const;`,
    '',
  ].join('\n');
}
