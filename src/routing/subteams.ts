import ipaddr from 'ipaddr.js';
import type { NetbotConfig } from '../config.js';
import { subteamMatcher, type SubteamMatcher } from '../core/subteams.js';

/** A changed file as GitHub's "list pull request files" returns it (patch absent for binary or huge diffs). */
export interface ChangedFile {
  filename: string;
  previous_filename?: string;
  status: string;
  patch?: string;
}

export type ReasonKind = 'path' | 'diff' | 'label' | 'command';

/** Why a subteam was matched: which file (and line) or label matched which rule. */
export interface MatchReason {
  kind: ReasonKind;
  file?: string;
  /** Line in the new file (added lines) or the old file (removed lines). */
  line?: number;
  rule: string;
}

export interface SubteamMatch {
  key: string;
  /** The first MAX_REASONS reasons; `moreReasons` counts the rest. */
  reasons: MatchReason[];
  moreReasons: number;
}

export const MAX_REASONS = 5;

const IPV6_SIGNALS = /\bAF_INET6\b|\bip_?version\b\W{0,6}6\b|\bIPPROTO_IPV6\b/i;
const IPV6_CANDIDATE = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:%\w+)?(?:\/\d{1,3})?(?![\w:])/gi;

/** An IPv6 address or CIDR literal (validated by ipaddr.js), or a socket/ip_version marker of IPv6 code. */
export function findIpv6Signal(text: string): string | undefined {
  const signal = IPV6_SIGNALS.exec(text);
  if (signal) return signal[0];
  if (!text.includes(':')) return undefined; // most changed lines: skip the literal scan
  for (const m of text.matchAll(IPV6_CANDIDATE)) {
    const literal = m[0];
    const address = literal.replace(/\/\d+$/, '').replace(/%\w+$/, '');
    // Real addresses have three groups or a long one (fe80::1, 2001:db8::); Python slices such as `[::2]`
    // and `[1::2]` have neither.
    const groups = address.split(':').filter((g) => g !== '');
    const addressLike = groups.length >= 3 || groups.some((g) => g.length >= 3) || address === '::1';
    if (addressLike && ipaddr.IPv6.isValid(address)) return literal;
  }
  return undefined;
}

/** The added and removed lines of a unified diff, with their line numbers (new file for +, old file for -). */
export function* changedLines(patch: string): Generator<{ sign: '+' | '-'; line: number; text: string }> {
  let oldLine = 0;
  let newLine = 0;
  for (const raw of patch.split('\n')) {
    if (raw.startsWith('@@')) {
      const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)/.exec(raw);
      if (m) {
        oldLine = Number(m[1]);
        newLine = Number(m[2]);
      }
      continue;
    }
    if (raw.startsWith('+')) yield { sign: '+', line: newLine++, text: raw.slice(1) };
    else if (raw.startsWith('-')) yield { sign: '-', line: oldLine++, text: raw.slice(1) };
    else if (!raw.startsWith('\\')) {
      oldLine++;
      newLine++;
    }
  }
}

class Collector {
  private readonly found = new Map<string, SubteamMatch>();
  add(key: string, reason: MatchReason): void {
    let match = this.found.get(key);
    if (!match) {
      match = { key, reasons: [], moreReasons: 0 };
      this.found.set(key, match);
    }
    if (match.reasons.length < MAX_REASONS) match.reasons.push(reason);
    else match.moreReasons++;
  }
  has(key: string): boolean {
    return this.found.has(key);
  }
  inOrder(keys: string[]): SubteamMatch[] {
    return keys.filter((k) => this.found.has(k)).map((k) => this.found.get(k)!);
  }
}

/**
 * The subteams a pull request touches, each with its reasons: path globs over changed files (both names
 * of a renamed file), then the added/removed lines of files no glob claimed (keywords, and IPv6 literals
 * for the IPv6 subteam), then the pull request's area labels. Pure; order follows the config.
 */
export function matchSubteams(files: readonly ChangedFile[], labels: readonly string[], config: NetbotConfig): SubteamMatch[] {
  const matcher = subteamMatcher(config.subteams);
  const diffTeams = Object.entries(config.subteams)
    .filter(([, t]) => t.keywords.length > 0)
    .map(([key, t]) => ({ key, ipv6: t.keywords.some((k) => k.toLowerCase() === 'ipv6') }));
  const out = new Collector();
  for (const file of files) {
    const byName = matcher.pathMatches(file.filename);
    const claimedByName = new Set(byName.map((m) => m.team));
    for (const m of byName) out.add(m.team, { kind: 'path', file: file.filename, rule: m.glob });
    if (file.previous_filename !== undefined) {
      for (const m of matcher.pathMatches(file.previous_filename)) {
        if (!claimedByName.has(m.team)) out.add(m.team, { kind: 'path', file: file.filename, rule: `${m.glob} (renamed from ${file.previous_filename})` });
        claimedByName.add(m.team);
      }
    }
    if (claimedByName.size === 0 && file.patch) matchDiff(file, file.patch, diffTeams, matcher, out);
  }
  const labelSet = new Set(labels.map((l) => l.toLowerCase()));
  for (const [key, team] of Object.entries(config.subteams)) {
    if (labelSet.has(team.label.toLowerCase())) out.add(key, { kind: 'label', rule: team.label });
  }
  return out.inOrder(matcher.keys);
}

/** One reason per (file, subteam): the first changed line that matched. */
function matchDiff(file: ChangedFile, patch: string, teams: { key: string; ipv6: boolean }[], matcher: SubteamMatcher, out: Collector): void {
  const pending = new Set(teams.map((t) => t.key));
  if (pending.size === 0) return;
  for (const { line, text } of changedLines(patch)) {
    for (const team of teams) {
      if (!pending.has(team.key)) continue;
      const word = matcher.firstKeyword(team.key, text);
      const rule = word !== undefined ? `keyword "${word.toLowerCase()}"` : team.ipv6 ? ipv6Rule(text) : undefined;
      if (rule === undefined) continue;
      pending.delete(team.key);
      out.add(team.key, { kind: 'diff', file: file.filename, line, rule });
    }
    if (pending.size === 0) return;
  }
}

function ipv6Rule(text: string): string | undefined {
  const signal = findIpv6Signal(text);
  return signal === undefined ? undefined : `IPv6 literal "${signal.slice(0, 45)}"`;
}
