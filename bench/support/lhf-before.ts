// The starter-bug scorer as it was before the calibration corpus (commit 4a8c028), kept only so the bench and the
// quality floor can show the old figures beside the new ones in the same run. Not used by the app.
import { findCodeRefs, MAX_SCAN_CHARS } from '../../src/triage/code-refs.js';
import type { IssueText } from '../../src/triage/areas.js';
import type { LhfReason, LhfScore } from '../../src/triage/lhf.js';

/** Where a bug with no signals at all starts: below any sensible threshold. */
const BASE_SCORE = 0.3;

interface Signal {
  signal: string;
  weight: number;
  text: string;
  test: RegExp;
}

// Small kinds of change: the best first contributions. Only the strongest one counts fully (see below).
const SMALL_CHANGES: Signal[] = [
  {
    signal: 'message-text',
    weight: 0.3,
    text: 'the fix is to a message text (typo or wording)',
    test: /\b(typos?|misspel\w*|spelling|grammar|wording|(?:error|log|exception|warning|help) (?:message|text|string)s?|misleading message|message is (?:misleading|wrong|confusing|unclear))\b/i,
  },
  {
    signal: 'docs',
    weight: 0.3,
    text: 'the change is in documentation',
    test: /\b(docs?|documentation|docstrings?|api[- ]ref|readme|release notes?|man page|help text|documented)\b/i,
  },
  {
    signal: 'validation',
    weight: 0.25,
    text: 'a missing input validation: a small, well-defined check',
    test: /\b(validat\w*|should (?:be rejected|reject|return (?:a )?400|fail with (?:a )?400)|accepts? (?:an? )?(?:invalid|negative|empty|bogus|wrong|any)|not validated|badrequest|bad request|returns? 500 instead of 400|invalid value)\b/i,
  },
  {
    signal: 'missing-test',
    weight: 0.25,
    text: 'a missing test: writing it teaches the code without risk',
    test: /\b(missing (?:unit |functional )?tests?|no (?:unit |functional )?tests?|(?:not|un)tested|test coverage|add (?:a |an )?(?:unit |functional |regression )?tests?|lacks? (?:a )?tests?)\b/i,
  },
];

// Negative signals: work that needs deep context or carries risk.
const HARD: Signal[] = [
  { signal: 'race', weight: -0.35, text: 'a race or intermittent failure: hard to reproduce and reason about', test: /\b(race|racy|race condition|intermittent\w*|sporadic\w*|flaky|concurren\w+|deadlocks?|occasionally|randomly|timing)\b/i },
  { signal: 'ha', weight: -0.3, text: 'involves HA (keepalived, VRRP, failover)', test: /\b(HA|L3[ _-]?HA|DVR|high[ -]availability|keepalived|vrrp|fail-?over|split[ -]brain)\b/ },
  { signal: 'upgrade', weight: -0.3, text: 'involves upgrades or schema migrations', test: /\b(upgrades?|upgrading|rolling upgrade|alembic|migration (?:fails?|failed|script)|downgrade)\b/i },
  {
    signal: 'security',
    weight: -0.45,
    text: 'security-sensitive: handled by the core team',
    test: /\b(security(?![ _-]*(?:groups?|group[ _-]rules?|_groups?))|cve-?\d*|vulnerab\w*|ossa|privilege|escalat\w*|non-admin|unauthori[sz]ed|bypass\w*|injection|exploit\w*|spoof\w*)\b/i,
  },
  { signal: 'performance', weight: -0.3, text: 'a performance or scale problem: needs profiling and a test bed', test: /\b(performance|slow(?:ly|ness|er)?|scal(?:e|ing|ability)|latency|timeouts?|timed out|memory leak|cpu|thousands of|O\(n\^?2\))\b/i },
  { signal: 'design', weight: -0.35, text: 'needs a design discussion first', test: /\b(rfe|design|blueprint|spec|proposal|propose|rework|re-?architect\w*|refactor\w*|should we|discussion|discuss)\b/i },
];

// Reproduction: a phrase, a command line, or a numbered list (1. then 2.). Line starts use [ \t]*, never
// \s*, and the list is found in two steps: hostile bodies (70k newlines) must not backtrack quadratically.
const REPRO_PHRASE = /\b(steps to reproduce|how to reproduce|to reproduce|reproduc\w+ steps|reproducer|repro steps)\b/i;
const COMMAND_LINE = /^[ \t]*(?:\$ |(?:openstack|neutron|curl|netbot) \S)/im;
const STEP_ONE = /^[ \t]*1[.)] \S/m;
const STEP_TWO = /^[ \t]*2[.)] \S/m;

function hasReproduction(body: string): boolean {
  if (REPRO_PHRASE.test(body) || COMMAND_LINE.test(body)) return true;
  const one = STEP_ONE.exec(body);
  return one !== null && STEP_TWO.test(body.slice(one.index));
}
const EXPECTED = /\bexpected(?: result| behaviou?r)?\b|\bshould (?:be|return|fail|reject|say)\b/i;
const ACTUAL = /\bactual(?: result| behaviou?r)?\b|\binstead\b|\bbut (?:it |we )?(?:gets?|got|returns?|shows?)\b/i;
const LINKED = /(?:(?<![\w/])#\d{1,7}\b|\bbugs?\.launchpad\.net\/[^\s/]{1,100}\/\+bug\/\d+|\bgithub\.com\/[\w.-]+\/[\w.-]+\/(?:issues|pull)\/\d+|\b(?:related|partial|closes)-bug: #?\d+)/gi;

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * How suitable a bug looks as a first contribution, from the issue text alone, with every signal that
 * moved the score. Pure: no I/O, the same text always scores the same.
 */
export function scoreLowHangingFruitBefore(issue: IssueText): LhfScore {
  const title = String(issue.title ?? '').slice(0, 1000);
  const rawBody = String(issue.body ?? '');
  const body = rawBody.slice(0, MAX_SCAN_CHARS);
  const text = `${title}\n${body}`;
  const reasons: LhfReason[] = [];

  const refs = findCodeRefs(text);
  const pointers = refs.map((r) => r.path).slice(0, 5);
  if (refs.length >= 1 && refs.length <= 3) {
    reasons.push({ signal: 'pointers', weight: 0.2, text: `points at ${refs.length === 1 ? 'one place' : `${refs.length} places`} in the code` });
  } else if (refs.length > 6) {
    reasons.push({ signal: 'scattered', weight: -0.15, text: `touches ${refs.length} places in the code` });
  }

  if (hasReproduction(body)) reasons.push({ signal: 'reproduction', weight: 0.15, text: 'has clear steps to reproduce' });
  if (EXPECTED.test(body) && ACTUAL.test(body)) reasons.push({ signal: 'expected-actual', weight: 0.15, text: 'says what is expected and what happens instead' });

  // The strongest small change counts fully, a second one a little: "typo in the docs" is not twice as easy.
  const small = SMALL_CHANGES.filter((s) => s.test.test(text)).sort((a, b) => b.weight - a.weight);
  small.forEach((s, i) => reasons.push({ signal: s.signal, weight: i === 0 ? s.weight : 0.05, text: s.text }));

  for (const s of HARD) if (s.test.test(text)) reasons.push({ signal: s.signal, weight: s.weight, text: s.text });

  const linked = new Set([...text.matchAll(LINKED)].map((m) => m[0].toLowerCase())).size;
  if (linked >= 3) reasons.push({ signal: 'linked-issues', weight: -0.2, text: `linked to ${linked} other issues: part of a bigger problem` });
  if (rawBody.trim() === '') reasons.push({ signal: 'empty', weight: -0.2, text: 'no description yet' });
  else if (rawBody.length > 20_000) reasons.push({ signal: 'long', weight: -0.1, text: 'a very long report' });

  const score = round(Math.min(1, Math.max(0, BASE_SCORE + reasons.reduce((sum, r) => sum + r.weight, 0))));
  reasons.sort((a, b) => b.weight - a.weight);
  return { score, reasons: reasons.map((r) => ({ ...r, weight: round(r.weight) })), pointers };
}


/** The subteams' keywords before the corpus (commit 4a8c028), so the old area figures can be measured too. */
export const KEYWORDS_BEFORE: Record<string, string[]> = {
  l3: ['router', 'floating ip', 'floatingip', 'fip', 'snat', 'l3 agent', 'l3-agent', 'external gateway', 'gateway port', 'add_router_interface', 'extraroute'],
  db: ['migration', 'alembic', 'schema', 'database', 'sqlite', 'deadlock', 'foreign key', 'db upgrade', 'transaction'],
  lbaas: ['lbaas', 'load balancer', 'loadbalancer', 'vip', 'pool member', 'health monitor', 'haproxy', 'listener'],
  ipv6: ['ipv6', 'slaac', 'dhcpv6', 'eui-64', 'eui64', 'ra_mode', 'ipv6_ra_mode', 'ipv6_address_mode', 'router advertisement', 'radvd', 'prefix delegation'],
};

/** `teams` with the keywords they had before the corpus. */
export function subteamsBefore<T extends { keywords: string[] }>(teams: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(teams).map(([key, team]) => [key, { ...team, keywords: KEYWORDS_BEFORE[key] ?? team.keywords }]));
}
