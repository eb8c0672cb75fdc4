// Triage quality on the calibration corpus: the built-in starter score (fitted) beside the hand-tuned one and the
// one before the corpus, and the area decision beside the keywords before the corpus, measured the same way on
// the same entries (used by the bench and the quality floor).
import { DEFAULT_CONFIG } from '../../src/config.js';
import { decideAreas } from '../../src/triage/areas.js';
import { lhfBand, scoreLowHangingFruit } from '../../src/triage/lhf.js';
import { HAND_TUNED_THRESHOLDS, scoreHandTuned } from './lhf-hand-tuned.js';
import { scoreLowHangingFruitBefore, subteamsBefore } from './lhf-before.js';
import { areaFigures, loadCorpus, partOf, scorerView, starterFigures, type AreaFigures, type CorpusEntry, type Part, type StarterFigures } from './triage-corpus.js';

export interface Quality {
  entries: number;
  starters: number;
  withAreas: number;
  /** `before`: the scorer before the corpus; `handTuned`: weights set by hand on the design part; `now`: fitted (the default). */
  starter: { before: StarterFigures; handTuned: StarterFigures; now: StarterFigures };
  areas: { before: AreaFigures; now: AreaFigures };
}

/** Every scorer with the default config on `entries` (the giveaway labels withheld). */
export function measureQuality(entries: CorpusEntry[]): Quality {
  const triage = DEFAULT_CONFIG.triage;
  const teams = DEFAULT_CONFIG.subteams;
  const teamsBefore = subteamsBefore(teams);
  const band = (e: CorpusEntry) => lhfBand(scoreLowHangingFruit(scorerView(e)).score, triage);
  const handBand = (e: CorpusEntry) => lhfBand(scoreHandTuned(scorerView(e)), HAND_TUNED_THRESHOLDS);
  return {
    entries: entries.length,
    starters: entries.filter((e) => e.starter).length,
    withAreas: entries.filter((e) => e.areas?.length).length,
    starter: {
      // The scorer before the corpus had no "maybe" band, and its threshold was 0.6.
      before: starterFigures(entries, (e) => scoreLowHangingFruitBefore(scorerView(e)).score >= HAND_TUNED_THRESHOLDS.lhfThreshold),
      handTuned: starterFigures(entries, (e) => handBand(e) === 'starter', (e) => handBand(e) === 'maybe'),
      now: starterFigures(entries, (e) => band(e) === 'starter', (e) => band(e) === 'maybe'),
    },
    areas: {
      before: areaFigures(entries, (e) => decideAreas(scorerView(e), teamsBefore).areas.map((a) => a.key)),
      now: areaFigures(entries, (e) => decideAreas(scorerView(e), teams).areas.map((a) => a.key)),
    },
  };
}

/** The corpus's entries of one part of the split. */
export const corpusPart = (part: Part): CorpusEntry[] => loadCorpus().filter((e) => partOf(e) === part);
