/**
 * Learning from a repository's own triagers: refitting its models from the examples in the store, and choosing
 * for each issue which score is in charge (the learned model when there is one, else the built-in score).
 */
import type { NetbotConfig } from '../../config.js';
import type { IssueText } from '../areas.js';
import { lhfBand, lhfPointers, scoreLowHangingFruit, type LhfBand, type LhfScore } from '../lhf.js';
import { BUILTIN_PRIOR, learnModel, reportFeatures, scoreLearned, type LearnedModel, type LearnItem } from './model.js';
import { learningStoreFor, type Example, type LearningStore } from './store.js';

export const LHF_MODEL = 'lhf';
export const AREAS_MODEL = 'areas';

/** The per-area models of a repository (each one says "this area or not" from the report's words). */
export interface LearnedAreas {
  format: 1;
  areas: Record<string, LearnedModel>;
}

type Services = Parameters<typeof learningStoreFor>[0];
type LearningConfig = NetbotConfig['triage']['learning'];

const itemOf = (e: Example, y: boolean, signals: boolean): LearnItem => ({
  id: String(e.number),
  report: reportFeatures({ title: e.title, body: e.body }, { signals }),
  y: y ? 1 : 0,
});

export interface StarterOutcome {
  positives: number;
  negatives: number;
  /** Stored as this version; undefined: too few examples (the built-in score stays in charge). */
  version?: number;
  model?: LearnedModel;
}

export interface LearnOutcome {
  starter: StarterOutcome;
  areas: Record<string, { positives: number; negatives: number; model?: LearnedModel }>;
  areasVersion?: number;
  /** Nothing new since the last fit: nothing was refitted. */
  unchanged?: true;
}

/**
 * Refits the repository's models from every example people gave there, if there is anything new (or `force`).
 * With fewer than `minExamples` of each kind the model is dropped: the built-in score (or configured keywords)
 * is in charge again. Pure of GitHub: reads and writes the store only.
 */
export async function refitRepository(services: Services, repoId: number, config: NetbotConfig, opts: { force?: boolean } = {}): Promise<LearnOutcome> {
  const store = learningStoreFor(services);
  const learning = config.triage.learning;
  const mark = await store.examplesMark(repoId);
  if (!opts.force) {
    const [lhf, areas] = await Promise.all([store.latestModel(repoId, LHF_MODEL), store.latestModel(repoId, AREAS_MODEL)]);
    const seen = Math.max(lhf?.examplesSeen ?? 0, areas?.examplesSeen ?? 0);
    if (seen === mark && (lhf || areas || mark === 0)) return { starter: { positives: 0, negatives: 0 }, areas: {}, unchanged: true };
  }
  const decisions = await store.decisions(repoId);
  const starter = await refitStarter(store, repoId, decisions.starter, learning, mark);
  const areas = await refitAreas(store, repoId, decisions.areas, Object.keys(config.subteams), learning, mark);
  return { starter, ...areas };
}

async function refitStarter(store: LearningStore, repoId: number, examples: Example[], learning: LearningConfig, mark: number): Promise<StarterOutcome> {
  const positives = examples.filter((e) => e.starter).length;
  const negatives = examples.length - positives;
  if (!learning.enabled || positives < learning.minExamples || negatives < learning.minExamples) {
    await store.dropModels(repoId, LHF_MODEL);
    return { positives, negatives };
  }
  const model = learnModel(examples.map((e) => itemOf(e, e.starter === true, true)), { targetPrecision: learning.targetPrecision, prior: BUILTIN_PRIOR });
  const version = await store.saveModel(repoId, LHF_MODEL, model, mark);
  return { positives, negatives, version, model };
}

async function refitAreas(store: LearningStore, repoId: number, examples: Example[], teams: string[], learning: LearningConfig, mark: number): Promise<Pick<LearnOutcome, 'areas' | 'areasVersion'>> {
  const out: LearnOutcome['areas'] = {};
  const models: Record<string, LearnedModel> = {};
  for (const key of teams) {
    const positives = examples.filter((e) => e.areas!.includes(key)).length;
    const negatives = examples.length - positives;
    out[key] = { positives, negatives };
    if (!learning.enabled || positives < learning.minExamples || negatives < learning.minExamples) continue;
    // Words only: the starter signals say nothing about an area.
    models[key] = learnModel(examples.map((e) => itemOf(e, e.areas!.includes(key), false)), { targetPrecision: learning.targetPrecision });
    out[key]!.model = models[key];
  }
  if (Object.keys(models).length === 0) {
    await store.dropModels(repoId, AREAS_MODEL);
    return { areas: out };
  }
  const areasVersion = await store.saveModel(repoId, AREAS_MODEL, { format: 1, areas: models } satisfies LearnedAreas, mark);
  return { areas: out, areasVersion };
}

export interface StarterVerdict extends LhfScore {
  band: LhfBand;
  /** Which score decided: the repository's learned model (with its version) or the built-in one. */
  by: { kind: 'learned'; version: number; threshold: number; maybeThreshold: number } | { kind: 'built-in'; threshold: number; maybeThreshold: number };
}

/** A scorer for one repository: its learned model when it has one (and learning is on), else the built-in score. */
export async function starterScorer(services: Services, repoId: number, config: NetbotConfig): Promise<(issue: IssueText) => StarterVerdict> {
  const stored = config.triage.learning.enabled ? await learningStoreFor(services).latestModel<LearnedModel>(repoId, LHF_MODEL) : undefined;
  if (stored && stored.model.format === 1) {
    const { model, version } = stored;
    const by = { kind: 'learned' as const, version, threshold: model.threshold, maybeThreshold: model.maybeThreshold };
    return (issue) => {
      const { score, reasons } = scoreLearned(model, reportFeatures(issue));
      return { score, reasons, pointers: lhfPointers(issue), band: lhfBand(score, { lhfThreshold: model.threshold, lhfMaybeThreshold: model.maybeThreshold }), by };
    };
  }
  const { lhfThreshold, lhfMaybeThreshold } = config.triage;
  const by = { kind: 'built-in' as const, threshold: lhfThreshold, maybeThreshold: lhfMaybeThreshold };
  return (issue) => {
    const s = scoreLowHangingFruit(issue);
    return { ...s, band: lhfBand(s.score, config.triage), by };
  };
}

/** Areas the repository's learned area models find in a report, with the words that weighed most. */
export async function learnedAreaFinder(services: Services, repoId: number, config: NetbotConfig): Promise<(issue: IssueText) => { key: string; reasons: string[] }[]> {
  const stored = config.triage.learning.enabled ? await learningStoreFor(services).latestModel<LearnedAreas>(repoId, AREAS_MODEL) : undefined;
  if (!stored || stored.model.format !== 1) return () => [];
  const models = Object.entries(stored.model.areas).filter(([key]) => Object.hasOwn(config.subteams, key));
  return (issue) => {
    const report = reportFeatures(issue, { signals: false });
    return models.flatMap(([key, model]) => {
      const { score, reasons } = scoreLearned(model, report);
      if (score < model.threshold) return [];
      const words = reasons.filter((r) => r.weight > 0).slice(0, 3).map((r) => `"${model.forms[r.signal] ?? r.signal.replace(/^\w+:/, '')}"`);
      return [{ key, reasons: [`learned from this repository's area labels (${score.toFixed(2)}): ${words.join(', ')}`] }];
    });
  };
}
