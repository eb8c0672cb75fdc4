// The calibration corpus of real issue reports (test/fixtures/triage-corpus/) and how triage is measured on
// it: the one deterministic split into a design part and a held-out measure part, what the scorer is allowed
// to see of an entry, and precision / recall for starter labels and right / wrong / missed for areas.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import type { IssueText } from '../../src/triage/areas.js';

export interface CorpusEntry {
  /** The issue's URL: where the text was read. */
  source: string;
  repo: string;
  number: number;
  title: string;
  body: string;
  /** Every label the issue carried, the maintainers' starter and area labels included. */
  labels: string[];
  /** Its maintainers labelled it a starter (`good first issue`, `beginner`, ...). */
  starter: boolean;
  /** netcore subteams its own area labels map to (only where the source gives one). */
  areas?: string[];
}

export type Part = 'design' | 'measure';

export const CORPUS_DIR = join(packageRoot(), 'test', 'fixtures', 'triage-corpus');

/** Every entry of every JSON file in the corpus folder, in a stable order. */
export function loadCorpus(dir = CORPUS_DIR): CorpusEntry[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const entries = files.flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CorpusEntry[]);
  return entries.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}

/**
 * The split, decided once and never tuned: 60 in 100 entries (by a hash of the source URL) are for designing and
 * fitting, the rest only for measuring. Adding entries never moves an existing one to the other part.
 */
export function partOf(entry: Pick<CorpusEntry, 'source'>): Part {
  const bucket = parseInt(createHash('sha256').update(entry.source).digest('hex').slice(0, 8), 16) % 100;
  return bucket < 60 ? 'design' : 'measure';
}

/**
 * What a scorer sees of an entry: title and body only. Every label is withheld, the giveaway starter labels and
 * the area labels the answer is read from alike (a bug is scored when it is opened, before anyone labels it).
 */
export function scorerView(entry: CorpusEntry): IssueText {
  return { title: entry.title, body: entry.body, labels: [] };
}

export interface StarterFigures {
  truePositive: number;
  falsePositive: number;
  falseNegative: number;
  precision: number;
  recall: number;
  f1: number;
  /** Labelled "maybe" (no starter label): how many, and how many of those are real starters. */
  maybe?: { count: number; starters: number };
}

export interface AreaFigures {
  /** Area labels the sources give (on the entries that have one). */
  expected: number;
  right: number;
  wrong: number;
  missed: number;
  /** right / expected. */
  rightShare: number;
  /** wrong / (right + wrong): of the labels given, how many were wrong. */
  wrongShare: number;
  /** Area labels given to entries whose source names no mappable area (not counted as wrong: unknown). */
  onUnlabelled: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Starter precision / recall of `isStarter` against the maintainers' labels. */
export function starterFigures(entries: CorpusEntry[], isStarter: (e: CorpusEntry) => boolean, isMaybe?: (e: CorpusEntry) => boolean): StarterFigures {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let maybe = 0;
  let maybeStarters = 0;
  for (const e of entries) {
    const said = isStarter(e);
    if (said && e.starter) tp++;
    else if (said) fp++;
    else if (e.starter) fn++;
    if (!said && isMaybe?.(e)) {
      maybe++;
      if (e.starter) maybeStarters++;
    }
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = ratio(2 * precision * recall, precision + recall);
  return { truePositive: tp, falsePositive: fp, falseNegative: fn, precision, recall, f1, ...(isMaybe ? { maybe: { count: maybe, starters: maybeStarters } } : {}) };
}

/** Areas right / wrong / missed, counted on the entries whose source gives an area. */
export function areaFigures(entries: CorpusEntry[], areasOf: (e: CorpusEntry) => string[]): AreaFigures {
  let expected = 0;
  let right = 0;
  let wrong = 0;
  let missed = 0;
  let onUnlabelled = 0;
  for (const e of entries) {
    const said = new Set(areasOf(e));
    if (!e.areas?.length) {
      onUnlabelled += said.size;
      continue;
    }
    expected += e.areas.length;
    for (const a of e.areas) if (said.has(a)) right++;
    else missed++;
    for (const a of said) if (!e.areas.includes(a)) wrong++;
  }
  return { expected, right, wrong, missed, rightShare: ratio(right, expected), wrongShare: ratio(wrong, right + wrong), onUnlabelled };
}

export const pct = (n: number) => n.toFixed(2);
