import type { NetbotConfig } from '../config.js';
import { pickDefaultReviewers, pickReviewers, type ReviewerInput, type ReviewerPick } from './reviewers.js';
import { matchSubteams, type ChangedFile, type SubteamMatch } from './subteams.js';

/** Why a human took a subteam off this pull request. */
export type ExclusionReason = 'unrouted' | 'label-removed';

export interface RoutingInput extends Omit<ReviewerInput, 'subteams'> {
  files: readonly ChangedFile[];
  labels: readonly string[];
  /** Subteams a human took off this pull request (`/unroute`, or removing the area label). */
  excluded?: ReadonlyMap<string, ExclusionReason>;
  /** Subteams a human added with `/route`. */
  forced?: readonly string[];
}

export interface RoutingDecision extends ReviewerPick {
  /** The subteams this pull request goes to, with their reasons, in config order. */
  subteams: SubteamMatch[];
  /** Subteams that matched but a human took off. */
  dropped: { key: string; why: ExclusionReason }[];
  /** No subteam matched: the default reviewers were asked. */
  usedDefault: boolean;
  /** The area labels of the routed subteams. */
  labels: string[];
}

/**
 * The whole routing decision for a pull request: its subteams (files, diff, labels, `/route`), minus those
 * a human took off, then its reviewers; the default reviewers when no subteam is left. Pure.
 */
export function decideRouting(input: RoutingInput): RoutingDecision {
  const { config } = input;
  const matched = matchSubteams(input.files, input.labels, config);
  const byKey = new Map(matched.map((m) => [m.key, m]));
  for (const key of input.forced ?? []) {
    if (!config.subteams[key]) continue;
    const reason = { kind: 'command' as const, rule: '/route' };
    const match = byKey.get(key);
    if (match) match.reasons.unshift(reason);
    else byKey.set(key, { key, reasons: [reason], moreReasons: 0 });
  }
  const dropped: RoutingDecision['dropped'] = [];
  const subteams: SubteamMatch[] = [];
  for (const key of Object.keys(config.subteams)) {
    const match = byKey.get(key);
    if (!match) continue;
    const why = input.excluded?.get(key);
    if (why) dropped.push({ key, why });
    else subteams.push(match);
  }
  const usedDefault = subteams.length === 0;
  const pick = usedDefault ? pickDefaultReviewers(input) : pickReviewers({ ...input, subteams: subteams.map((s) => s.key) });
  return { ...pick, subteams, dropped, usedDefault, labels: subteams.map((s) => config.subteams[s.key]!.label) };
}

/** The subteam whose area label this is, if any. */
export function subteamOfLabel(config: NetbotConfig, label: string): string | undefined {
  const wanted = label.toLowerCase();
  return Object.entries(config.subteams).find(([, team]) => team.label.toLowerCase() === wanted)?.[0];
}
