// The starter-bug score as it was hand-tuned on the corpus's design part (commit 7ba1712): the same named signals
// as today (`lhfFeatures()`), with weights set by hand and the rule that only the strongest small kind of change
// counts fully. Kept only so the bench and the quality floor can show it beside the fitted score. Not used by the app.
import type { IssueText } from '../../src/triage/areas.js';
import { lhfFeatures, type LhfSignalName } from '../../src/triage/lhf.js';

export const HAND_TUNED_THRESHOLDS = { lhfThreshold: 0.6, lhfMaybeThreshold: 0.45 } as const;
const BASE_SCORE = 0.3;

export const HAND_TUNED_WEIGHTS: Record<LhfSignalName, { weight: number; small?: true }> = {
  'output-addition': { weight: 0.3, small: true },
  metric: { weight: 0.3, small: true },
  'message-text': { weight: 0.3, small: true },
  docs: { weight: 0.25, small: true },
  rename: { weight: 0.25, small: true },
  validation: { weight: 0.25, small: true },
  'missing-test': { weight: 0.25, small: true },
  'field-addition': { weight: 0.15, small: true },
  'cli-flag': { weight: 0.15, small: true },
  'maintainer-hint': { weight: 0.35 },
  'named-target': { weight: 0.1 },
  'existing-example': { weight: 0.2 },
  pointers: { weight: 0.2 },
  reproduction: { weight: 0.05 },
  'expected-actual': { weight: 0.05 },
  scattered: { weight: -0.15 },
  race: { weight: -0.35 },
  ha: { weight: -0.3 },
  upgrade: { weight: -0.3 },
  regression: { weight: -0.3 },
  crash: { weight: -0.25 },
  security: { weight: -0.45 },
  performance: { weight: -0.3 },
  design: { weight: -0.35 },
  broad: { weight: -0.2 },
  tracking: { weight: -0.3 },
  'low-level': { weight: -0.2 },
  'user-environment': { weight: -0.15 },
  question: { weight: -0.2 },
  'linked-issues': { weight: -0.2 },
  empty: { weight: -0.2 },
  long: { weight: -0.1 },
};

/** The hand-tuned score (0..1) of one issue. */
export function scoreHandTuned(issue: IssueText): number {
  const features = lhfFeatures(issue);
  const fired = (Object.keys(HAND_TUNED_WEIGHTS) as LhfSignalName[]).filter((s) => features[s] === 1);
  const small = fired.filter((s) => HAND_TUNED_WEIGHTS[s].small).sort((a, b) => HAND_TUNED_WEIGHTS[b].weight - HAND_TUNED_WEIGHTS[a].weight);
  // The strongest small change counts fully, a second one a little.
  const sum = fired.reduce((s, name) => s + (HAND_TUNED_WEIGHTS[name].small && name !== small[0] ? 0.05 : HAND_TUNED_WEIGHTS[name].weight), 0);
  return Math.round(Math.min(1, Math.max(0, BASE_SCORE + sum)) * 100) / 100;
}
