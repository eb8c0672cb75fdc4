/**
 * The parts of an issue's text the starter-bug signals read. Words count only where a person wrote them about
 * the problem: code blocks (logs, configs), links (a link to the docs is not "the change is in the docs"),
 * HTML comments (template hints) and the headings of a bug template ("### Expected behavior") are set apart.
 * Every step is linear in the length of the body: hostile bodies must not cost more than long ones.
 */
import { MAX_SCAN_CHARS } from './code-refs.js';

export interface IssueParts {
  title: string;
  /** The body as written (first MAX_SCAN_CHARS characters). */
  raw: string;
  /** The body without code blocks, links, URLs and HTML comments: what the reporter said in words. */
  prose: string;
  /** `prose` without template headings and template boilerplate lines. */
  said: string;
  /** Fenced code blocks and indented lines: logs, stack traces, configs. */
  code: string;
}

const FENCE = /^[ \t]*(?:```|~~~)/;
const MD_LINK = /!?\[([^\]\n]{0,300})\]\([^)\s]{0,1000}\)/g;
const URL = /\b(?:https?:\/\/|www\.)[^\s)>\]]{1,2000}/gi;
// A line that is only a heading or a bold label ("### Expected Behavior", "**What happened**:", "*Repro steps*:").
const HEADING_LINE = /^[ \t]*(?:#{1,6}[ \t].{0,120}|[*_]{1,2}[^*_\n]{1,120}[*_]{1,2}[ \t]*:?[ \t]*(?:\(.{0,120}\))?:?|[^\n]{1,80}:[ \t]*)$/;
// Boilerplate lines bug templates put in every report (checklists, "I have searched the existing issues").
const TEMPLATE_LINE = /^[ \t]*(?:- \[[ xX]\] .{0,200}|>.{0,400}|\/(?:kind|sig|area|priority|assign|cc|triage|lifecycle|remove-\S+) .{0,200}|(?:n\/a|none|no|yes)\.?)$/i;

/** `text` without HTML comments (an unclosed one runs to the end), found with indexOf: no regex backtracking. */
function withoutComments(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf('<!--', at);
    if (open < 0) return out + text.slice(at);
    out += `${text.slice(at, open)} `;
    const close = text.indexOf('-->', open + 4);
    if (close < 0) return out;
    at = close + 3;
  }
}

/** The fenced code blocks of `text` and the rest, split line by line (an unclosed fence runs to the end). */
function splitFences(text: string): { prose: string; code: string } {
  const prose: string[] = [];
  const code: string[] = [];
  let inFence = false;
  for (const line of text.split('\n')) {
    if (FENCE.test(line)) {
      inFence = !inFence;
      continue;
    }
    (inFence ? code : prose).push(line);
  }
  return { prose: prose.join('\n'), code: code.join('\n') };
}

export function issueParts(issue: { title?: string | null; body?: string | null }): IssueParts {
  const title = String(issue.title ?? '').slice(0, 1000);
  const raw = String(issue.body ?? '').slice(0, MAX_SCAN_CHARS);
  const { prose: outside, code } = splitFences(withoutComments(raw));
  const prose = outside.replace(MD_LINK, (_m, text: string) => ` ${text.replace(URL, ' ')} `.replace(/\b(?:docs?|documentation|guide|readme)\b/gi, 'link')).replace(URL, ' ');
  const said = prose
    .split('\n')
    .filter((line) => !HEADING_LINE.test(line) && !TEMPLATE_LINE.test(line))
    .join('\n');
  return { title, raw, prose, said, code };
}
