// The built-in starter score's weights are the output of a fit, not of hand-tuning: refitting on the corpus's design
// part (with the choices in bench/support/fit-builtin.ts) gives exactly the checked-in table.
import { expect, test } from 'vitest';
import { builtinModule, fitBuiltinLhf } from '../../bench/support/fit-builtin.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { LHF_SIGNALS } from '../../src/triage/lhf.js';
import { BUILTIN_LHF_MODEL } from '../../src/triage/lhf-model.js';
import { readFileSync } from 'node:fs';

test('src/triage/lhf-model.ts is what `npm run fit:triage` writes from the design part today', () => {
  const table = fitBuiltinLhf();
  expect(readFileSync(new URL('../../src/triage/lhf-model.ts', import.meta.url), 'utf8')).toBe(builtinModule(table));
  expect(table.provenance.corpus).toMatchObject({ part: 'design', reports: 210, starters: 37 });
});

test('one weight per named signal; the default thresholds are the fitted ones; the CV figures are recorded', () => {
  expect(Object.keys(BUILTIN_LHF_MODEL.weights)).toEqual([...LHF_SIGNALS]);
  expect(DEFAULT_CONFIG.triage.lhfThreshold).toBe(BUILTIN_LHF_MODEL.threshold);
  expect(DEFAULT_CONFIG.triage.lhfMaybeThreshold).toBe(BUILTIN_LHF_MODEL.maybeThreshold);
  const { cv } = BUILTIN_LHF_MODEL.provenance;
  // The threshold has the best F0.5 by cross-validation: precision first, but not at the price of labelling nothing.
  expect(BUILTIN_LHF_MODEL.provenance.fit.fBeta).toBe(0.5);
  expect(cv.precision).toBeGreaterThan(cv.maybePrecision);
  expect(cv.recall).toBeGreaterThanOrEqual(0.4);
  expect(BUILTIN_LHF_MODEL.maybeThreshold).toBeLessThan(BUILTIN_LHF_MODEL.threshold);
});
