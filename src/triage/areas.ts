import type { Subteam } from '../config.js';
import { subteamMatcher } from '../core/subteams.js';
import { findCodeRefs, MAX_SCAN_CHARS, type CodeRef } from './code-refs.js';

/** What the area decision reads of an issue. */
export interface IssueText {
  title: string;
  body: string | null | undefined;
  labels?: readonly string[];
}

export interface AreaDecision {
  areas: { key: string; label: string; reasons: string[] }[];
  /** No area reached confidence: label nothing, ask a human (`needs-triage`). */
  unsure: boolean;
}

/** Evidence weights. An area is labelled at CONFIDENT or more; a single passing keyword is not enough. */
export const AREA_WEIGHTS = { label: 10, frame: 2, path: 2, titleKeyword: 2, bodyKeyword: 1, repeatedKeyword: 0.5 } as const;
export const CONFIDENT = 2;

interface KeywordMatch {
  team: string;
  keyword: string;
  start: number;
  end: number;
  inTitle: boolean;
}

type Teams = Record<string, Subteam>;

/** Keyword hits; a hit inside a longer hit ("router" inside "router advertisement") is dropped. */
function keywordMatches(title: string, body: string, teams: Teams): KeywordMatch[] {
  const hits = subteamMatcher(teams).keywordHits(`${title}\n${body}`);
  return withoutContained(hits.map((h) => ({ ...h, inTitle: h.start < title.length })));
}

/**
 * Drops each hit lying inside a strictly longer one, keeping the order. Sorted by start then longest first, a
 * hit is inside a longer one exactly when an earlier hit with a different span ends at or after its end: one
 * pass, not a pairwise comparison (16,000 hits of "fip" in a hostile body took 1.5 s of blocked event loop).
 */
export function withoutContained<T extends { start: number; end: number }>(hits: T[]): T[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const dropped = new Set<T>();
  let maxEndBefore = -1;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.start === sorted[i]!.start && sorted[j]!.end === sorted[i]!.end) j++;
    const group = sorted.slice(i, j); // the same span (two keywords matching the same text): none hides the other
    if (maxEndBefore >= group[0]!.end) for (const h of group) dropped.add(h);
    maxEndBefore = Math.max(maxEndBefore, group[0]!.end);
    i = j;
  }
  return hits.filter((h) => !dropped.has(h));
}

/**
 * Which subteams a bug belongs to, with the evidence for each: an existing area label (certain), file
 * paths and stack frames under the subteam's globs, and its keywords (whole words; title counts more).
 * Pure: the same text and config always give the same decision.
 */
export function decideAreas(issue: IssueText, teams: Teams): AreaDecision {
  const title = String(issue.title ?? '').slice(0, 1000);
  const body = String(issue.body ?? '').slice(0, MAX_SCAN_CHARS);
  const labels = (issue.labels ?? []).map((l) => l.toLowerCase());
  const refs: CodeRef[] = findCodeRefs(`${title}\n${body}`);
  const keywords = keywordMatches(title, body, teams);
  const matcher = subteamMatcher(teams);

  const areas: AreaDecision['areas'] = [];
  for (const [key, team] of Object.entries(teams)) {
    let score = 0;
    const reasons: string[] = [];
    if (labels.includes(team.label.toLowerCase())) {
      score += AREA_WEIGHTS.label;
      reasons.push(`already labelled ${team.label}`);
    }
    for (const ref of refs.filter((r) => matcher.pathMatches(r.path).some((m) => m.team === key)).slice(0, 3)) {
      score += ref.from === 'frame' ? AREA_WEIGHTS.frame : AREA_WEIGHTS.path;
      reasons.push(ref.from === 'frame' ? `stack frame in ${ref.path}` : `mentions ${ref.path}`);
    }
    const hits = keywords.filter((k) => k.team === key);
    const distinct = new Map<string, KeywordMatch[]>();
    for (const h of hits) {
      const word = h.keyword.toLowerCase();
      const found = distinct.get(word);
      if (found) found.push(h); // (not a spread: that copied the list for every hit, quadratic on hostile bodies)
      else distinct.set(word, [h]);
    }
    for (const [keyword, found] of distinct) {
      const inTitle = found.some((f) => f.inTitle);
      score += inTitle ? AREA_WEIGHTS.titleKeyword : AREA_WEIGHTS.bodyKeyword;
      if (found.length >= 3) score += AREA_WEIGHTS.repeatedKeyword;
      reasons.push(`keyword "${keyword}" in the ${inTitle ? 'title' : 'description'}${found.length >= 3 ? ` (${found.length} times)` : ''}`);
    }
    if (score >= CONFIDENT) areas.push({ key, label: team.label, reasons });
  }
  return { areas, unsure: areas.length === 0 };
}

/**
 * The configured decision plus the areas a repository's learned model finds (never instead of it: a configured
 * keyword or path always counts). A learned area adds its label with its own reason.
 */
export function withLearnedAreas(decision: AreaDecision, learned: readonly { key: string; reasons: string[] }[], teams: Teams): AreaDecision {
  const areas = [...decision.areas];
  for (const l of learned) {
    if (areas.some((a) => a.key === l.key) || !teams[l.key]) continue;
    areas.push({ key: l.key, label: teams[l.key]!.label, reasons: l.reasons });
  }
  return { areas, unsure: areas.length === 0 };
}
