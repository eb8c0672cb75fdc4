// Triage quality on real reports: starter-label precision / recall / F1 and areas right / wrong / missed on the
// calibration corpus (test/fixtures/triage-corpus/), on its design part and on its held-out measure part, for the
// scorer of today beside the scorer before the corpus (the baseline, measured in the same run). Default config;
// the scorer sees title and body only (no labels).
import { DEFAULT_CONFIG } from '../src/config.js';
import { corpusPart, measureQuality } from './support/triage-quality.js';
import { pct, type AreaFigures, type StarterFigures } from './support/triage-corpus.js';

const starterLine = (name: string, f: StarterFigures) =>
  `  ${name.padEnd(7)} precision ${pct(f.precision)}  recall ${pct(f.recall)}  F1 ${pct(f.f1)}   (${f.truePositive} right, ${f.falsePositive} wrong, ${f.falseNegative} missed)` +
  (f.maybe ? `; "maybe", no label: ${f.maybe.count} (${f.maybe.starters} of them starters)` : '');
const areaLine = (name: string, f: AreaFigures) =>
  `  ${name.padEnd(7)} ${f.right} of ${f.expected} right (${pct(f.rightShare)}), ${f.wrong} wrong (${pct(f.wrongShare)} of those given), ${f.missed} missed; ${f.onUnlabelled} given where the source names no area`;

export default async function main(): Promise<void> {
  const { lhfThreshold, lhfMaybeThreshold } = DEFAULT_CONFIG.triage;
  console.log(`default config: starter at >= ${lhfThreshold}, "maybe" from ${lhfMaybeThreshold}; goals on the measure part: precision >= 0.70 at recall >= 0.40; areas >= 0.75 right, <= 0.05 wrong`);
  for (const part of ['design', 'measure'] as const) {
    const q = measureQuality(corpusPart(part));
    console.log(`${part} part: ${q.entries} reports, ${q.starters} starters, ${q.withAreas} with an area label`);
    console.log(' starter label:');
    console.log(starterLine('before', q.starter.before));
    console.log(starterLine('now', q.starter.now));
    console.log(`  ratio now / before: precision ${(q.starter.now.precision / Math.max(q.starter.before.precision, 1e-9)).toFixed(1)}x, recall ${(q.starter.now.recall / Math.max(q.starter.before.recall, 1e-9)).toFixed(1)}x`);
    console.log(' areas:');
    console.log(areaLine('before', q.areas.before));
    console.log(areaLine('now', q.areas.now));
  }
}
