/**
 * The words of a report, as a learned model reads them: tokenised and stemmed by wink-nlp (its English lite model,
 * an npm package: nothing is downloaded), stop words, numbers, URLs and punctuation dropped. Only the words a
 * person wrote about the problem count (the same parts the signals read: no code blocks, links or template
 * headings). Each stem keeps the surface form seen first, so a reason can say "the report says "metrics"".
 */
import winkNLP, { type ItemToken } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import type { IssueText } from '../areas.js';
import { issueParts } from '../lhf-text.js';

let nlp: ReturnType<typeof winkNLP> | undefined;
/** Loaded on first use (about 0.2 s): a process that never learns never pays for it. */
function engine() {
  nlp ??= winkNLP(model);
  return nlp;
}

/** Most of a report's words are in its first part; a hostile body must not cost more than a long one. */
const MAX_WORD_CHARS = 20_000;

export interface ReportWords {
  /** Distinct stems of the title. */
  title: string[];
  /** Distinct stems of title and description together. */
  all: string[];
  /** Stem -> the first surface form it was seen as. */
  forms: Record<string, string>;
}

function stems(text: string, forms: Record<string, string>): string[] {
  const n = engine();
  const its = n.its;
  const out = new Set<string>();
  n.readDoc(text.slice(0, MAX_WORD_CHARS))
    .tokens()
    .each((t: ItemToken) => {
      if (t.out(its.type) !== 'word' || t.out(its.stopWordFlag)) return;
      const surface = t.out(its.normal).toLowerCase();
      // One letter says nothing; a long run is an identifier or a hash, not a word people use about the problem.
      if (surface.length < 2 || surface.length > 30 || !/\p{L}/u.test(surface)) return;
      // (wink's types declare its.stem with an addons parameter that t.out does not accept; it works as the docs show)
      const stem = String(t.out(its.stem as unknown as typeof its.normal)).toLowerCase();
      out.add(stem);
      forms[stem] ??= surface;
    });
  return [...out];
}

export function reportWords(issue: IssueText): ReportWords {
  const parts = issueParts(issue);
  const forms: Record<string, string> = {};
  const title = stems(parts.title.replace(/`/g, ' '), forms);
  const all = [...new Set([...title, ...stems(parts.said.replace(/`/g, ' '), forms)])];
  return { title, all, forms };
}
