import { findCodeRefs } from './code-refs.js';
import type { IssueText } from './areas.js';
import { issueParts, type IssueParts } from './lhf-text.js';
import { sigmoid } from './learn/logistic.js';
import { BUILTIN_LHF_MODEL } from './lhf-model.js';

export interface LhfReason {
  /** Stable name of the signal, e.g. `output-addition`, `race`. */
  signal: string;
  /** What it added to (or took from) the score. */
  weight: number;
  /** One line for people: why this signal matters. */
  text: string;
}

export interface LhfScore {
  /** 0..1: how suitable the bug looks as a first contribution. */
  score: number;
  /** Every signal that fired, strongest first. Positive ones are why it looks approachable. */
  reasons: LhfReason[];
  /** Repository paths to start from (at most five). */
  pointers: string[];
}

/**
 * Every named signal with the value it took on one issue (1 fired, 0 not): the built-in score is a weighted sum
 * of these, and a model learned from a repository's own triagers can be fitted over the same vector.
 */
export type LhfFeatures = Record<LhfSignalName, 0 | 1>;

interface Context {
  parts: IssueParts;
  /** Title and the reporter's own sentences (no headings, code, links). */
  text: string;
  /** `text` without inline code spans: words about the problem, not names of things. */
  words: string;
  /** Distinct places in the code the issue points at. */
  places: string[];
}

interface Signal {
  signal: string;
  /** What the signal means, fixed by its meaning before any data: +1 an approachable shape, -1 a hard one. */
  sign: 1 | -1;
  text: string;
  fires: (c: Context) => boolean;
}

const test = (re: RegExp) => (s: string) => re.test(s);

// ---- small, well-scoped kinds of change ----
const MESSAGE = test(
  /\b(?:typos?|misspel\w*|spelling|grammar|wording|(?:error|log|exception|warning|help|usage) (?:message|text|string|output)s?|misleading (?:message|output|name)|message is (?:misleading|wrong|confusing|unclear)|log(?:ging)? level|demote\w*|(?:to|into|as) (?:an? )?(?:actual )?(?:debug|info)(?: level| log)?(?: messages?)?\b|description of (?:the )?(?:`[^`\n]{1,40}` )?flag)/i,
);
// The docs are the change: said in the title (links removed), or a sentence asking to change or fix them.
const DOCS_TITLE = test(/(?:^|[\s[(:])(?:docs?|documentation|documents?|readme|style guide|help text|man page|docstrings?)\b/i);
const DOCS_BODY = test(
  /\b(?:(?:update|fix|improve|clarify|correct|extend|expand|rewrite|add (?:a |an )?(?:note|section|example|rule|line|paragraph)s? to) (?:the )?(?:docs?|documentation|readme|guide|style guide|help text|man page|docstrings?)|(?:docs?|documentation|readme|guide) (?:is|are|says|shows|mentions|refers|still)\b[^\n.]{0,60}\b(?:wrong|outdated|incorrect|missing|misleading|confusing|stale|old)|not documented|undocumented|missing (?:documentation|docs))\b/i,
);
// A missing check on a named input, not any sentence with "validation" in it.
const VALIDATION = test(
  /\b(?:(?:is|are) not (?:being )?validated|no (?:input )?validation (?:of|for|on)|missing (?:input )?validation|should (?:be rejected|reject|return (?:a )?400|fail with (?:a )?400|validate)|accepts? (?:an? )?(?:invalid|negative|empty|bogus|wrong|any|nonsense)|accepts? [^\n.]{0,40}\b(?:smaller|larger|greater|less|bigger|longer|shorter) than|validation belongs in|returns? 500 instead of 400|happily (?:ate|accepts?))\b/i,
);
const MISSING_TEST = test(
  /\b(?:missing (?:unit |functional |e2e )?tests?|no (?:unit |functional )?tests? (?:for|cover\w*)|(?:not|un)tested|test coverage|coverage of|add (?:a |an |some |more )?(?:unit |functional |regression |simple )?tests?|(?:unit|simple) tests? (?:for|against|written)|having unit tests|lacks? (?:a )?tests?)\b/i,
);
// An addition to what an existing command, report or tool already prints or gathers.
const OUTPUT_ADDITION = test(
  /\b(?:(?:add|include|show|print|display|dump|output|list|collect|copy|get|gather|capture)(?:s|es|ed|d|ing|ding|ting|ping)?\b[^\n.]{0,80}\b(?:to|in|into|when running|when gathering|as part of)\s+(?:(?:the|its|our|a)\s+)?(?:(?:`[^`\n]{1,60}`|[\w-]+)\s+){0,2}(?:output|bugtool|sysdump|status|describe|report|debuginfo|logs?)\b|(?:show|output|print|display|include|list)(?:s|es|ed|d|ing|ting)?\b[^\n.]{0,60}\b(?:in|to)\s+(?:the output of\s+)?`[^`\n]{2,60}`|(?:bugtool|sysdump|debuginfo|status|describe|report)\b[^\n.]{0,40}\bshould (?:also )?(?:dump|include|show|print|collect|list|display|gather)|(?:the )?output (?:of|from) `[^`\n]{1,60}`)/i,
);
const METRIC = test(/\b(?:(?:expose|export|add|emit|publish)(?:s|es|ed|d|ing|ding)?\b[^\n.]{0,50}\bmetrics?|metrics? (?:are|is) (?:not|never) (?:being )?exposed|as an? (?:prometheus |new )?(?:metric|gauge|counter))\b/i);
const RENAME = test(/\b(?:renam\w+\b[^\n.]{0,50}\b(?:flag|option|command|field|function|metric|label|parameter|variable|setting)s?|(?:flag|option|command|field|parameter)s? (?:should be|to be) renamed)\b|^\s*rename\b/im);
// One named property, attribute or option added to something that exists ("support the `x` option on Y").
const FIELD_ADDITION = test(/\b(?:(?:support|add|expose|allow)(?:s|es|ed|d|ing|ding)?\b[^\n.]{0,40}\b(?:property|properties|props?|attributes?|parameters?|fields?|options?|settings?)\b|missing (?:the )?(?:`[^`\n]{1,40}` )?(?:property|attribute|parameter|field|option))/i);
// The same change was already made elsewhere: a pattern to copy.
const EXISTING_EXAMPLE = test(
  /\b(?:similar(?:ly)? to (?:what|how|the|#|`|\w+ (?:does|has|is))|(?:in )?the same way (?:as|that|`|\w+)|like (?:`[^`\n]+`|the \w+) (?:does|has|already|works)|such as \S+ (?:has|does)|refer(?:ence)? to (?:the )?(?:current|existing) implementation|(?:as|like) (?:it )?(?:was|is) done (?:in|for|here|with)|equivalent (?:on|in|of) the|follow(?:ing)? the (?:same )?(?:pattern|approach|example))\b/i,
);
const CLI_FLAG = test(/\badd (?:a |an )?(?:new )?(?:`[^`\n]{1,40}` |--[\w-]{1,40} )?(?:cli |command[- ]line )?(?:flag|option)\b|\bflags? (?:are|is) silently (?:dropped|ignored)/i);

// ---- a maintainer's own hint ----
const HINT = test(
  /\b(?:should be (?:easy|simple|straightforward|trivial|quick)|good first (?:issue|bug|contribution|task)|first[- ]time contributors?|(?:happy|glad|willing) to (?:mentor|help|guide|review)|mentor(?:ing)? (?:a |this |such )|(?:an? )?(?:easy|simple|small|trivial|quick|minor) (?:fix|change|task|patch)|low[- ]hanging|for newcomers|for new contributors|beginner[- ]friendly|(?:would|do) you (?:like|want) to (?:send|submit|open) a (?:patch|pr|pull request)|(?:prs?|pull requests?|patches|contributions?) (?:are |is )?(?:very )?welcome)\b/i,
);

// ---- hard work ----
const RACE = test(/\b(?:race|racy|race condition|intermittent\w*|sporadic\w*|flaky|flak(?:es|ing)|concurren\w+|deadlocks?|randomly|timing issue)\b/i);
const HA = (s: string) => /\b(?:HA|L3[ _-]?HA|DVR)\b/.test(s) || /\b(?:high[ -]availability|keepalived|vrrp|fail-?over|split[ -]brain|leader election)\b/i.test(s);
const UPGRADE = test(/\b(?:rolling upgrade|upgrade path|(?:after|when|while|since|before) (?:the )?upgrad\w+|upgrad\w+ (?:from|to) v?\d|alembic|migration (?:fails?|failed|script)|schema migration)\b/i);
const REGRESSION = test(/\b(?:regression(?! tests?\b| here would| would)|used to work|no longer works?|worked (?:fine |well )?(?:in|on|with|before) v?\d|still works (?:in|on|with) v?\d|broke(?:n)? (?:in|since|after) v?\d)\b/i);
const CRASH_TRACE = test(/(?:\bpanic: |goroutine \d+ \[|Traceback \(most recent call last\)|SIGSEGV|segmentation fault|nil pointer dereference|CrashLoopBackOff|core dumped)/i);
const CRASH_WORDS = test(/\b(?:crash\w*|panics?|segfaults?|oops)\b/i);
const SECURITY = test(/\b(?:security(?![ _-]*(?:groups?|group[ _-]rules?|_groups?))|cve-?\d*|vulnerab\w*|ossa|privilege|escalat\w*|non-admin|unauthori[sz]ed|bypass\w*|injection|exploit\w*|spoof\w*)\b/i);
const PERFORMANCE = test(/\b(?:performance|slow(?:ly|ness|er)?|scalability|at scale|latency|timed out|times out|timeout errors?|memory leak|thousands of|O\(n\^?2\))\b/i);
const BROAD = test(/\b(?:complete (?:documentation|docs|guide|rewrite|overhaul|redesign)|comprehensive|reorgani[sz]\w*|restructur\w*|overhaul\w*|revamp\w*|rework\w*|rewrite|umbrella|all (?:the )?(?:\w+ )?commands|every (?:command|plugin|resource))\b/i);
const DESIGN_TITLE = test(/\b(?:rfe|cfp|kep|proposal|design|epic|roadmap|umbrella|meta|tracking issue)\b|☂/i);
const DESIGN_BODY = test(/\b(?:design (?:doc|discussion|proposal)|needs? (?:a )?design|blueprint|re-?architect\w*|should we\b|(?:needs|worth) (?:a )?discussion|discuss (?:this|it|whether)|enhancement proposal|feature proposal)\b/i);
const LOW_LEVEL = test(/\b(?:e?bpf|datapath|kernel|xdp|conntrack|iptables|ip6tables|ipvs|nftables|netfilter|openflow|ovs flows?|neighbou?r (?:discovery|solicitation|advertisement)s?|ndp|vxlan|geneve|ipsec|mtu)\b/i);
const FIRST_PERSON_SETUP = test(/\b(?:i want|i'm (?:using|trying|running)|i am (?:using|trying|running)|i(?:'ve| have) (?:recently |just )?(?:started|build|built|installed|deployed|activated)|in my (?:cluster|environment|setup|lab)|we are (?:currently )?(?:on|using|running)|our (?:cluster|environment|setup|deployment))\b/i);
const ENVIRONMENT = /\b(?:kernel|kubernetes|k8s|cilium|metallb|netbox|python|terraform|envoy|openstack|neutron|helm(?: chart)?|os|client|server) version\b|\buname -a\b|\bkubectl version\b/gi;
const QUESTION_TITLE = test(/\?\s*$|^\s*\[(?:question|query)\]|^\s*(?:how (?:to|do|can)|why (?:does|is|do)|is (?:it|this|there)|can (?:i|we|you)|does)\b/i);
const CHECKBOX = /^[ \t]*[-*] \[[ xX]\]/gm;
const REPRO_PHRASE = /\b(?:steps to reproduce|how to reproduce|to reproduce|reproduc\w+ steps|reproducer|repro steps)\b/i;
const COMMAND_LINE = /^[ \t]*(?:\$ |(?:openstack|neutron|curl|netbot|kubectl|cilium|helm) \S)/im;
const STEP_ONE = /^[ \t]*1[.)] \S/m;
const STEP_TWO = /^[ \t]*2[.)] \S/m;
const EXPECTED = /\bexpected(?: result| behaviou?r)?\b|\bshould (?:be|return|fail|reject|say)\b/i;
const ACTUAL = /\bactual(?: result| behaviou?r)?\b|\binstead\b|\bbut (?:it |we )?(?:gets?|got|returns?|shows?)\b/i;
const LINKED = /(?:(?<![\w/])#\d{1,7}\b|\bbugs?\.launchpad\.net\/[^\s/]{1,100}\/\+bug\/\d+|\bgithub\.com\/[\w.-]+\/[\w.-]+\/(?:issues|pull)\/\d+|\b(?:related|partial|closes)-bug: #?\d+)/gi;
const BLOB_LINK = /\bgithub\.com\/[\w.-]{1,100}\/[\w.-]{1,100}\/blob\/[\w.-]{1,100}\/([\w./@-]{1,300})/g;
const DOC_FILE = /(?:\.(?:md|markdown|rst|adoc|txt)$|(?:^|\/)docs?\/)/i;
// A file with an extension, or a path at least two folders deep (a bare `packages/` points nowhere).
const CODE_PLACE = /\.\w+$|\/[^/]+\/[^/]+/;
const NAMED_FUNCTION = /`([A-Za-z_][\w.]{1,80})\(\)`/g;

function hasReproduction(said: string): boolean {
  if (REPRO_PHRASE.test(said) || COMMAND_LINE.test(said)) return true;
  const one = STEP_ONE.exec(said);
  return one !== null && STEP_TWO.test(said.slice(one.index));
}

const count = (re: RegExp, s: string) => {
  re.lastIndex = 0;
  return new Set([...s.matchAll(re)].map((m) => m[0].toLowerCase())).size;
};

/** Every signal, in the order its reason is listed when weights tie. Their weights are fitted (lhf-model.ts). */
const SIGNALS = [
  { signal: 'output-addition', sign: 1, text: 'adds something to what an existing command or report already shows', fires: (c) => OUTPUT_ADDITION(c.text) },
  { signal: 'metric', sign: 1, text: 'exposes a value as a metric: one well-trodden pattern', fires: (c) => METRIC(c.text) },
  { signal: 'message-text', sign: 1, text: 'the fix is to a message text (typo, wording or log level)', fires: (c) => MESSAGE(c.text) },
  { signal: 'docs', sign: 1, text: 'the change is in documentation', fires: (c) => DOCS_TITLE(c.parts.title.replace(/`[^`]*`/g, ' ')) || DOCS_BODY(c.parts.said) },
  { signal: 'rename', sign: 1, text: 'a rename of a named flag, option or function', fires: (c) => RENAME(c.text) },
  { signal: 'validation', sign: 1, text: 'a missing input validation: a small, well-defined check', fires: (c) => VALIDATION(c.text) },
  { signal: 'missing-test', sign: 1, text: 'a missing test: writing it teaches the code without risk', fires: (c) => MISSING_TEST(c.text) },
  { signal: 'field-addition', sign: 1, text: 'adds one named property or option to something that exists', fires: (c) => FIELD_ADDITION(c.text) },
  { signal: 'cli-flag', sign: 1, text: 'a flag or option of an existing command', fires: (c) => CLI_FLAG(c.text) },
  { signal: 'maintainer-hint', sign: 1, text: 'the maintainers say it is approachable', fires: (c) => HINT(c.text) },
  { signal: 'named-target', sign: 1, text: 'the title names the exact thing to change', fires: (c) => /`[^`\n]{1,60}`/.test(c.parts.title) },
  { signal: 'existing-example', sign: 1, text: 'the same change was made elsewhere: a pattern to copy', fires: (c) => EXISTING_EXAMPLE(c.text) },
  { signal: 'pointers', sign: 1, text: 'points at one to three places in the code', fires: (c) => c.places.length >= 1 && c.places.length <= 3 },
  { signal: 'reproduction', sign: 1, text: 'has clear steps to reproduce', fires: (c) => hasReproduction(c.parts.said) },
  { signal: 'expected-actual', sign: 1, text: 'says in words what is expected and what happens instead', fires: (c) => EXPECTED.test(c.parts.said) && ACTUAL.test(c.parts.said) },
  { signal: 'scattered', sign: -1, text: 'touches more than six places in the code', fires: (c) => c.places.length > 6 },
  { signal: 'race', sign: -1, text: 'a race or intermittent failure: hard to reproduce and reason about', fires: (c) => RACE(c.words) },
  { signal: 'ha', sign: -1, text: 'involves HA (keepalived, VRRP, failover)', fires: (c) => HA(c.words) },
  { signal: 'upgrade', sign: -1, text: 'involves upgrades or schema migrations', fires: (c) => UPGRADE(c.words) },
  { signal: 'regression', sign: -1, text: 'a regression: needs bisecting between versions', fires: (c) => REGRESSION(c.words) },
  { signal: 'crash', sign: -1, text: 'a crash with a stack trace: needs debugging first', fires: (c) => CRASH_TRACE(c.parts.raw) || CRASH_WORDS(c.parts.title) },
  { signal: 'security', sign: -1, text: 'security-sensitive: handled by the core team', fires: (c) => SECURITY(c.words) },
  { signal: 'performance', sign: -1, text: 'a performance or scale problem: needs profiling and a test bed', fires: (c) => PERFORMANCE(c.words) },
  { signal: 'design', sign: -1, text: 'needs a design discussion first', fires: (c) => DESIGN_TITLE(c.parts.title) || DESIGN_BODY(c.words) },
  { signal: 'broad', sign: -1, text: 'a broad rework (complete, reorganise, overhaul): not one small change', fires: (c) => BROAD(c.text) },
  { signal: 'tracking', sign: -1, text: 'a list of tasks: a tracking issue, not one change', fires: (c) => count(CHECKBOX, c.parts.raw) >= 5 },
  { signal: 'low-level', sign: -1, text: 'deep in the datapath (kernel, BPF, iptables, conntrack)', fires: (c) => LOW_LEVEL(c.words) },
  { signal: 'user-environment', sign: -1, text: "a user's environment report: it must be reproduced first", fires: (c) => count(ENVIRONMENT, c.parts.raw) >= 2 || FIRST_PERSON_SETUP(c.parts.said) },
  { signal: 'question', sign: -1, text: 'asked as a question: no change is agreed yet', fires: (c) => QUESTION_TITLE(c.parts.title) },
  { signal: 'linked-issues', sign: -1, text: 'linked to three or more other issues: part of a bigger problem', fires: (c) => count(LINKED, `${c.parts.title}\n${c.parts.raw}`) >= 3 },
  { signal: 'empty', sign: -1, text: 'no description and a terse title: too little to act on', fires: (c) => c.parts.said.replace(/[^\p{L}]/gu, '').length < 12 && c.parts.title.trim().split(/\s+/).length < 4 },
  { signal: 'long', sign: -1, text: 'a very long report', fires: (c) => c.parts.raw.length > 20_000 },
] as const satisfies readonly Signal[];

export type LhfSignalName = (typeof SIGNALS)[number]['signal'];

/** The names of every signal, in a fixed order: the columns of the feature vector. */
export const LHF_SIGNALS: readonly LhfSignalName[] = SIGNALS.map((s) => s.signal);

/** Each signal's direction by its meaning (+1 approachable, -1 hard): the prior the fitted weights start from. */
export const LHF_SIGNAL_SIGNS: Readonly<Record<LhfSignalName, 1 | -1>> = Object.fromEntries(SIGNALS.map((s) => [s.signal, s.sign])) as Record<LhfSignalName, 1 | -1>;

function context(issue: IssueText): Context {
  const parts = issueParts(issue);
  const text = `${parts.title}\n${parts.said}`;
  const refs = findCodeRefs(`${parts.title}\n${parts.raw}`).map((r) => r.path);
  const links = [...parts.raw.matchAll(BLOB_LINK)].map((m) => m[1]!.replace(/#.*$/, ''));
  const functions = [...`${parts.title}\n${parts.prose}`.matchAll(NAMED_FUNCTION)].map((m) => `${m[1]}()`);
  // Documentation pages and bare folders are not places in the code to start from.
  const codePlaces = [...refs, ...links].filter((p) => !DOC_FILE.test(p) && CODE_PLACE.test(p));
  return { parts, text, words: text.replace(/`[^`\n]{0,200}`/g, ' '), places: [...new Set([...codePlaces, ...functions])] };
}

function fire(c: Context): LhfFeatures {
  return Object.fromEntries(SIGNALS.map((s) => [s.signal, s.fires(c) ? 1 : 0])) as LhfFeatures;
}

/** The named signal values of one issue, for a learned model beside the built-in score. Pure. */
export function lhfFeatures(issue: IssueText): LhfFeatures {
  return fire(context(issue));
}

const round = (n: number) => Math.round(n * 100) / 100;

/** A starter score that is a logistic model over named features: the built-in one (signals) or a learned one. */
export interface LhfModel {
  /** Log-odds with no feature. */
  bias: number;
  /** Feature name (a signal's name, or `word:<stem>` for a learned model) -> log-odds it adds when present. */
  weights: Readonly<Record<string, number>>;
}

const SIGNAL_TEXT: ReadonlyMap<string, string> = new Map(SIGNALS.map((s) => [s.signal, s.text]));

/** One line for people about a feature: a signal's own text, or the word a learned model weighs. */
export function featureText(feature: string, wordForms?: Readonly<Record<string, string>>): string {
  const text = SIGNAL_TEXT.get(feature);
  if (text) return text;
  const word = feature.replace(/^(?:word|title):/, '');
  const shown = wordForms?.[feature] ?? word;
  return feature.startsWith('title:') ? `the title says "${shown}"` : `the report says "${shown}"`;
}

/**
 * The score of present features under a logistic model: the probability (0..1, two decimals) and every
 * present feature with the weight it carries, strongest first (ties keep the signals' order).
 */
export function scoreFeatures(model: LhfModel, present: readonly string[], wordForms?: Readonly<Record<string, string>>): Pick<LhfScore, 'score' | 'reasons'> {
  let z = model.bias;
  const reasons: LhfReason[] = [];
  for (const f of present) {
    const w = model.weights[f];
    if (w === undefined || w === 0) continue;
    z += w;
    reasons.push({ signal: f, weight: round(w), text: featureText(f, wordForms) });
  }
  reasons.sort((a, b) => b.weight - a.weight);
  return { score: round(sigmoid(z)), reasons };
}

/** The names of the signals that fired. */
export const firedSignals = (features: LhfFeatures): LhfSignalName[] => LHF_SIGNALS.filter((s) => features[s] === 1);

/**
 * How suitable a bug looks as a first contribution, from the issue text alone, with every signal that moved
 * the score. The built-in weights are fitted on the calibration corpus's design part (lhf-model.ts); a
 * weight is in log-odds. Pure: no I/O, the same text always scores the same.
 */
export function scoreLowHangingFruit(issue: IssueText, model: LhfModel = BUILTIN_LHF_MODEL): LhfScore {
  const c = context(issue);
  const { score, reasons } = scoreFeatures(model, firedSignals(fire(c)));
  return { score, reasons, pointers: pointersOf(c) };
}

/** The paths an issue points at (at most five, no function names): where a newcomer starts. */
const pointersOf = (c: Context): string[] => c.places.filter((p) => !p.endsWith('()')).slice(0, 5);
export const lhfPointers = (issue: IssueText): string[] => pointersOf(context(issue));

/** The reasons to show a newcomer: those that made it look approachable. */
export const positiveReasons = (s: LhfScore): LhfReason[] => s.reasons.filter((r) => r.weight > 0);

export type LhfBand = 'starter' | 'maybe' | 'no';

/**
 * When unsure, say nothing: at or above `lhfThreshold` a bug is a starter; between `lhfMaybeThreshold` and it, a
 * "maybe" that gets no label (a triager decides); below, not a starter.
 */
export function lhfBand(score: number, thresholds: { lhfThreshold: number; lhfMaybeThreshold: number }): LhfBand {
  if (score >= thresholds.lhfThreshold) return 'starter';
  return score >= thresholds.lhfMaybeThreshold ? 'maybe' : 'no';
}
