import type { NetbotConfig } from '../config.js';
import type { RoutingDecision } from './decide.js';

/** What the routing comment template needs: the decision with subteam keys turned into display names. */
export function commentView(decision: RoutingDecision, config: NetbotConfig): Record<string, unknown> {
  const name = (key: string) => config.subteams[key]?.name ?? key;
  return {
    usedDefault: decision.usedDefault,
    defaultReviewers: config.routing.defaultReviewers,
    maxOpenReviews: config.routing.maxOpenReviews,
    subteams: decision.subteams.map((s) => ({ name: name(s.key), label: config.subteams[s.key]!.label, reasons: s.reasons, more: s.moreReasons })),
    requests: decision.requests.map((r) => ({ ...r, subteams: r.subteams.map(name) })),
    already: decision.covered.filter((c) => c.how !== 'requested').map((c) => ({ ...c, subteam: name(c.subteam) })),
    skipped: decision.skipped.map((s) => ({ ...s, subteam: s.subteam ? name(s.subteam) : '' })),
    uncovered: decision.uncovered.map(name),
    dropped: decision.dropped.map((d) => ({ name: name(d.key), why: d.why })),
    keys: Object.keys(config.subteams),
  };
}
