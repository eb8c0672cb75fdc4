// Triage quality on real reports: starter-label precision / recall / F1 and areas right / wrong / missed on the
// calibration corpus (test/fixtures/triage-corpus/), on its design part and on its held-out measure part, for the
// built-in score (fitted on the design part) beside the hand-tuned one and the one before the corpus (baselines
// measured in the same run); then the design part's cross-validation; then one project's own learner beside the
// built-in score on that project's held-out issues. Default config; the scorers see title and body only.
import { DEFAULT_CONFIG } from '../src/config.js';
import { BUILTIN_LHF_MODEL } from '../src/triage/lhf-model.js';
import { corpusPart, measureQuality } from './support/triage-quality.js';
import { pct, type AreaFigures, type StarterFigures } from './support/triage-corpus.js';
import { HAND_TUNED_THRESHOLDS } from './support/lhf-hand-tuned.js';
import { compareOnProject, PROJECT } from './support/project-learner.js';

const starterLine = (name: string, f: StarterFigures) =>
  `  ${name.padEnd(10)} precision ${pct(f.precision)}  recall ${pct(f.recall)}  F1 ${pct(f.f1)}   (${f.truePositive} right, ${f.falsePositive} wrong, ${f.falseNegative} missed)` +
  (f.maybe ? `; "maybe", no label: ${f.maybe.count} (${f.maybe.starters} of them starters)` : '');
const areaLine = (name: string, f: AreaFigures) =>
  `  ${name.padEnd(10)} ${f.right} of ${f.expected} right (${pct(f.rightShare)}), ${f.wrong} wrong (${pct(f.wrongShare)} of those given), ${f.missed} missed; ${f.onUnlabelled} given where the source names no area`;

export default async function main(): Promise<void> {
  const { lhfThreshold, lhfMaybeThreshold } = DEFAULT_CONFIG.triage;
  console.log(`default config: starter at >= ${lhfThreshold}, "maybe" from ${lhfMaybeThreshold} (the fitted score); hand-tuned: >= ${HAND_TUNED_THRESHOLDS.lhfThreshold}, "maybe" from ${HAND_TUNED_THRESHOLDS.lhfMaybeThreshold}; before the corpus: >= 0.6`);
  console.log('goals on the measure part: precision >= 0.70 at recall >= 0.40; areas >= 0.75 right, <= 0.05 wrong');
  for (const part of ['design', 'measure'] as const) {
    const q = measureQuality(corpusPart(part));
    console.log(`${part} part${part === 'design' ? ' (in-sample: every scorer was designed or fitted here)' : ' (held out)'}: ${q.entries} reports, ${q.starters} starters, ${q.withAreas} with an area label`);
    console.log(' starter label:');
    console.log(starterLine('before', q.starter.before));
    console.log(starterLine('hand-tuned', q.starter.handTuned));
    console.log(starterLine('fitted', q.starter.now));
    console.log(' areas:');
    console.log(areaLine('before', q.areas.before));
    console.log(areaLine('now', q.areas.now));
  }
  const { cv, fit } = BUILTIN_LHF_MODEL.provenance;
  console.log(
    `design part, cross-validated (${fit.folds} folds x ${fit.repeats}, out-of-fold scores): fitted score at >= ${BUILTIN_LHF_MODEL.threshold}: precision ${pct(cv.precision)} recall ${pct(cv.recall)}; ` +
      `"maybe" band from ${BUILTIN_LHF_MODEL.maybeThreshold}: precision ${pct(cv.maybePrecision)} recall ${pct(cv.maybeRecall)}; average precision ${pct(cv.averagePrecision)} (lambda ${fit.lambda}, prior ${fit.prior}). ` +
      'The hand-tuned weights cannot be cross-validated (a person tuned them on the whole design part): their design figures above are in-sample.',
  );
  const p = compareOnProject();
  const m = p.model;
  console.log(
    `one project (${PROJECT}): its own learner trained on its ${p.train.reports} design-part issues (${p.train.starters} starters): cross-validated precision ${pct(m.cv.precision)} recall ${pct(m.cv.recall)} at >= ${m.threshold} ` +
      `(target ${m.cv.targetPrecision}, lambda ${m.cv.lambda}, prior ${m.cv.prior}); measured on its ${p.heldOut.reports} held-out issues (${p.heldOut.starters} starters):`,
  );
  console.log(starterLine('learned', p.learned));
  console.log(starterLine('built-in', p.builtIn));
  console.log(`  ranking of the held-out issues (average precision, any threshold): learned ${pct(p.averagePrecision.learned)}, built-in ${pct(p.averagePrecision.builtIn)}; base rate ${pct(p.heldOut.starters / p.heldOut.reports)}`);
}
