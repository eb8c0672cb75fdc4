/**
 * A repository's own model, learned from the examples its triagers left: a logistic model over the named
 * signals and the words of the reports (title words apart), with the regularisation and the thresholds chosen
 * by cross-validation on those examples for a target precision. Pure: examples in, model (with its figures) out.
 * Its reasons are the features that weighed most; the built-in weights are its starting point (a prior), so with
 * little evidence it stays near the built-in score.
 */
import type { IssueText } from '../areas.js';
import { LHF_SIGNALS, lhfFeatures, scoreFeatures, type LhfModel, type LhfReason } from '../lhf.js';
import { BUILTIN_LHF_MODEL } from '../lhf-model.js';
import { chooseAndFit, type CvOptions, type Prior } from './cv.js';
import { reportWords } from './words.js';

/** The stored form of a learned model (JSON). `format` changes when an older one can no longer be read. */
export interface LearnedModel extends LhfModel {
  format: 1;
  /** Feature -> the word people wrote (for reasons). */
  forms: Record<string, string>;
  threshold: number;
  maybeThreshold: number;
  examples: { positive: number; negative: number };
  cv: { precision: number; recall: number; met: boolean; targetPrecision: number; averagePrecision: number; maybePrecision: number; maybeRecall: number; lambda: number; prior: string; folds: number; repeats: number };
}

/** A report's features: the signals that fired, `word:<stem>` for each word, `title:<stem>` for each title word. */
export interface ReportFeatures {
  features: string[];
  forms: Record<string, string>;
}

export function reportFeatures(issue: IssueText, opts: { signals?: boolean } = {}): ReportFeatures {
  const words = reportWords(issue);
  const fired = opts.signals === false ? [] : (() => {
    const f = lhfFeatures(issue);
    return LHF_SIGNALS.filter((s) => f[s] === 1) as string[];
  })();
  const forms: Record<string, string> = {};
  for (const [stem, form] of Object.entries(words.forms)) {
    forms[`word:${stem}`] = form;
    forms[`title:${stem}`] = form;
  }
  return { features: [...fired, ...words.all.map((w) => `word:${w}`), ...words.title.map((w) => `title:${w}`)], forms };
}

export interface LearnItem {
  /** Stable id (the issue's number): folds are dealt by it. */
  id: string;
  report: ReportFeatures;
  y: 0 | 1;
}

export interface LearnOptions {
  targetPrecision: number;
  /** Where the "maybe" band starts: this cross-validated precision. */
  maybePrecision?: number;
  /** Weights to start from (the built-in ones for the starter model); none: 0. */
  prior?: Readonly<Record<string, number>>;
  cv?: CvOptions;
  /** Words in fewer reports than this are not features (one report's words would be learned by heart). */
  minReports?: number;
  maxWords?: number;
}

export const LEARN_DEFAULTS = {
  maybePrecision: 0.5,
  lambdas: [0.3, 0.1, 0.03, 0.01],
  cv: { folds: 5, repeats: 3, seed: 'netbot-repository-model' },
  minReports: 2,
  maxWords: 1500,
} as const;

/** Fits a model to labelled reports (several hundred in well under a second). Deterministic. */
export function learnModel(items: readonly LearnItem[], opts: LearnOptions): LearnedModel {
  const reports = new Map<string, number>();
  for (const it of items) for (const f of new Set(it.report.features)) reports.set(f, (reports.get(f) ?? 0) + 1);
  const minReports = opts.minReports ?? LEARN_DEFAULTS.minReports;
  const words = [...reports.entries()]
    .filter(([f, n]) => !LHF_SIGNALS.includes(f as never) && n >= minReports)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, opts.maxWords ?? LEARN_DEFAULTS.maxWords)
    .map(([f]) => f);
  const columns = [...LHF_SIGNALS.filter((s) => reports.has(s) || opts.prior?.[s] !== undefined), ...words];
  const index = new Map(columns.map((f, i) => [f, i]));
  const examples = items.map((it) => ({ id: it.id, example: { x: [...new Set(it.report.features)].flatMap((f) => (index.has(f) ? [index.get(f)!] : [])), y: it.y } }));
  const priors: Prior[] = [{ name: 'zero', mean: columns.map(() => 0) }];
  if (opts.prior) priors.unshift({ name: 'built-in', mean: columns.map((f) => opts.prior![f] ?? 0) });
  const maybePrecision = opts.maybePrecision ?? LEARN_DEFAULTS.maybePrecision;
  const cv = opts.cv ?? LEARN_DEFAULTS.cv;
  const fit = chooseAndFit(examples, columns.length, { lambdas: LEARN_DEFAULTS.lambdas, priors, targetPrecision: opts.targetPrecision, maybePrecision, cv, minPredicted: cv.repeats * 2 });
  const weights: Record<string, number> = {};
  const forms: Record<string, string> = {};
  columns.forEach((f, i) => {
    const w = fit.model.weights[i]!;
    if (Math.abs(w) < 1e-3) return; // nothing to say: keeps the stored model small
    weights[f] = Math.round(w * 10_000) / 10_000;
    const form = items.find((it) => it.report.forms[f])?.report.forms[f];
    if (form) forms[f] = form;
  });
  const r2 = (n: number) => Math.round(n * 100) / 100;
  return {
    format: 1,
    bias: fit.model.bias,
    weights,
    forms,
    // Two decimals, as scores are (rounded down: the reports chosen stay above it).
    threshold: Math.floor(fit.threshold.threshold * 100) / 100,
    maybeThreshold: Math.floor(Math.min(fit.maybe.threshold, fit.threshold.threshold) * 100) / 100,
    examples: { positive: items.filter((i) => i.y === 1).length, negative: items.filter((i) => i.y === 0).length },
    cv: {
      precision: r2(fit.threshold.precision),
      recall: r2(fit.threshold.recall),
      met: fit.threshold.met,
      targetPrecision: opts.targetPrecision,
      averagePrecision: r2(fit.averagePrecision),
      maybePrecision: r2(fit.maybe.precision),
      maybeRecall: r2(fit.maybe.recall),
      lambda: fit.lambda,
      prior: fit.prior ?? 'zero',
      folds: cv.folds,
      repeats: cv.repeats,
    },
  };
}

/** The built-in weights, as the prior a repository's starter model starts from. */
export const BUILTIN_PRIOR: Readonly<Record<string, number>> = BUILTIN_LHF_MODEL.weights;

/** A learned model's score of a report: probability (two decimals) and the features that weighed, strongest first. */
export function scoreLearned(model: LearnedModel, report: ReportFeatures): { score: number; reasons: LhfReason[] } {
  const { score, reasons } = scoreFeatures(model, [...new Set(report.features)], model.forms);
  return { score, reasons };
}
