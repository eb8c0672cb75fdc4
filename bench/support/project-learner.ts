// One real project's own learner beside the built-in score: the per-repository model (src/triage/learn/) trained on
// the project's issues in the corpus's design part, measured on its issues in the measure part, beside the built-in
// score on the same held-out issues. The project's issues: those in the calibration corpus plus
// test/fixtures/triage-corpus-cilium/ (more of the same project, split by the same hash).
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { lhfBand, scoreLowHangingFruit } from '../../src/triage/lhf.js';
import { averagePrecision } from '../../src/triage/learn/cv.js';
import { BUILTIN_PRIOR, learnModel, reportFeatures, scoreLearned, type LearnedModel } from '../../src/triage/learn/model.js';
import { CORPUS_DIR, loadCorpus, partOf, scorerView, starterFigures, type CorpusEntry, type StarterFigures } from './triage-corpus.js';

export const PROJECT = 'cilium/cilium';
export const PROJECT_DIR = join(CORPUS_DIR, '..', 'triage-corpus-cilium');

export interface ProjectComparison {
  train: { reports: number; starters: number };
  heldOut: { reports: number; starters: number };
  model: LearnedModel;
  learned: StarterFigures;
  builtIn: StarterFigures;
  /** How well each ranks the held-out issues, whatever the threshold (area under the precision-recall curve). */
  averagePrecision: { learned: number; builtIn: number };
}

export function projectEntries(): CorpusEntry[] {
  const seen = new Set<string>();
  return [...loadCorpus(), ...loadCorpus(PROJECT_DIR)].filter((e) => e.repo === PROJECT && !seen.has(e.source) && seen.add(e.source));
}

export function compareOnProject(targetPrecision = DEFAULT_CONFIG.triage.learning.targetPrecision): ProjectComparison {
  const entries = projectEntries();
  const train = entries.filter((e) => partOf(e) === 'design');
  const heldOut = entries.filter((e) => partOf(e) === 'measure');
  const model = learnModel(
    train.map((e) => ({ id: e.source, report: reportFeatures(scorerView(e)), y: e.starter ? 1 : 0 })),
    { targetPrecision, prior: BUILTIN_PRIOR },
  );
  const learnedBand = (e: CorpusEntry) => lhfBand(scoreLearned(model, reportFeatures(scorerView(e))).score, { lhfThreshold: model.threshold, lhfMaybeThreshold: model.maybeThreshold });
  const builtInBand = (e: CorpusEntry) => lhfBand(scoreLowHangingFruit(scorerView(e)).score, DEFAULT_CONFIG.triage);
  const count = (list: CorpusEntry[]) => ({ reports: list.length, starters: list.filter((e) => e.starter).length });
  return {
    train: count(train),
    heldOut: count(heldOut),
    model,
    learned: starterFigures(heldOut, (e) => learnedBand(e) === 'starter', (e) => learnedBand(e) === 'maybe'),
    builtIn: starterFigures(heldOut, (e) => builtInBand(e) === 'starter', (e) => builtInBand(e) === 'maybe'),
    averagePrecision: {
      learned: averagePrecision(heldOut.map((e) => ({ p: scoreLearned(model, reportFeatures(scorerView(e))).score, y: e.starter ? 1 : 0 }))),
      builtIn: averagePrecision(heldOut.map((e) => ({ p: scoreLowHangingFruit(scorerView(e)).score, y: e.starter ? 1 : 0 }))),
    },
  };
}
