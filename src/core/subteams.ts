import picomatch from 'picomatch';
import type { Subteam } from '../config.js';

/** A keyword found in a text: which subteam, which configured keyword, and where. */
export interface KeywordHit {
  team: string;
  keyword: string;
  start: number;
  end: number;
}

export interface SubteamMatcher {
  keys: string[];
  /** Every keyword hit in `text`, in text order (a hit inside a longer one of another keyword is kept: callers decide). */
  keywordHits(text: string): KeywordHit[];
  /** The first keyword of `team` in `text`, as written there. */
  firstKeyword(team: string, text: string): string | undefined;
  /** The subteams whose path globs match `path`, each with the first glob that did. */
  pathMatches(path: string): { team: string; glob: string }[];
}

/**
 * How subteams' `keywords` and `paths` match, for issues and pull requests alike (one rule, one test table):
 * - a keyword matches as a whole word or phrase, any case; `_`, `-` and spaces between its words are
 *   interchangeable, and it is a word inside identifiers too (`l3 agent` matches `neutron_l3_agent` and
 *   `l3-agent`); a plural `s`/`es` counts;
 * - a path glob (picomatch, dotfiles included) matches paths in any case (`src/netcore/L3/x.ts` is L3's).
 * Compiled once per subteams object (a config's), so a 3,000-file pull request compiles nothing per file.
 */
export function subteamMatcher(subteams: Record<string, Subteam>): SubteamMatcher {
  let matcher = cache.get(subteams);
  if (!matcher) cache.set(subteams, (matcher = compile(subteams)));
  return matcher;
}

const cache = new WeakMap<Record<string, Subteam>, SubteamMatcher>();
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Letters and digits make words; `_` and `-` separate them (identifiers and kebab-case count as words). */
const keywordSource = (keyword: string) => keyword.trim().split(/[\s_-]+/).filter(Boolean).map(escapeRegex).join('[\\s_-]+');
const bounded = (alternatives: string) => `(?<![\\p{L}\\p{N}])(?:${alternatives})(?:e?s)?(?![\\p{L}\\p{N}])`;

function compile(subteams: Record<string, Subteam>): SubteamMatcher {
  const entries = Object.entries(subteams);
  const perKeyword = entries.flatMap(([team, t]) => t.keywords.map((keyword) => ({ team, keyword, re: new RegExp(bounded(keywordSource(keyword)), 'giu') })));
  const perTeam = new Map(
    entries.map(([team, t]) => {
      const sources = [...t.keywords].sort((a, b) => b.length - a.length).map(keywordSource);
      return [team, sources.length ? new RegExp(bounded(sources.join('|')), 'iu') : null] as const;
    }),
  );
  const globs = entries.map(([team, t]) => ({
    team,
    any: t.paths.length ? picomatch(t.paths, { dot: true, nocase: true }) : () => false,
    each: t.paths.map((glob) => ({ glob, test: picomatch(glob, { dot: true, nocase: true }) })),
  }));
  return {
    keys: entries.map(([key]) => key),
    keywordHits(text) {
      const hits: KeywordHit[] = [];
      for (const { team, keyword, re } of perKeyword) {
        re.lastIndex = 0;
        for (const m of text.matchAll(re)) hits.push({ team, keyword, start: m.index!, end: m.index! + m[0].length });
      }
      return hits.sort((a, b) => a.start - b.start || b.end - a.end);
    },
    firstKeyword(team, text) {
      return perTeam.get(team)?.exec(text)?.[0];
    },
    pathMatches(path) {
      return globs.filter((g) => g.any(path)).map((g) => ({ team: g.team, glob: g.each.find((e) => e.test(path))?.glob ?? '' }));
    },
  };
}
