import nunjucks from 'nunjucks';
import { render } from '../templates.js';
import type { SuiteOutcome } from './runner/pipeline.js';
import type { CheckRun } from './store.js';
import { OK_TO_TEST_LABEL } from './trust.js';

/** GitHub takes 50 annotations per request; netbot sends at most this many per check run (the rest are counted in the summary). */
export const ANNOTATIONS_PER_REQUEST = 50;
export const MAX_ANNOTATIONS = 500;
/** A check run's summary holds 65 535 characters. */
const SUMMARY_LIMIT = 65_000;
/** Failed cases listed in the summary with their messages (the annotations carry them all). */
const LISTED_FAILURES = 30;

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure';
  title: string;
  message: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
}

/** Untrusted text as a fenced block no backtick run inside can close; its end kept when too long. */
export function codeBlock(text: string, max = 3000): nunjucks.runtime.SafeString {
  let body = text.replace(/\r/g, '').replace(/\n+$/, '');
  if (body.length > max) body = `…${body.slice(-max)}`;
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return new nunjucks.runtime.SafeString(`${fence}text\n${body}\n${fence}`);
}

const short = (sha: string) => sha.slice(0, 7);
const cap = (text: string) => (text.length > SUMMARY_LIMIT ? `${text.slice(0, SUMMARY_LIMIT)}\n\n…(cut at GitHub's limit)` : text);

export function queuedOutput(run: CheckRun, history?: string): CheckOutput {
  return { title: 'Queued', summary: cap(render('checks/run.md.njk', { kind: 'queued', sha: short(run.headSha), trigger: run.trigger, reasons: run.reasons, history })) };
}

export function skippedOutput(run: CheckRun): CheckOutput {
  return { title: `Skipped: ${run.reasons[0] ?? 'not needed'}`.slice(0, 250), summary: cap(render('checks/run.md.njk', { kind: 'skipped', reasons: run.reasons })) };
}

export function approvalOutput(run: CheckRun, trust: string): CheckOutput {
  return {
    title: `Waiting for a maintainer's /ok-to-test on ${short(run.headSha)}`,
    summary: cap(render('checks/run.md.njk', { kind: 'action_required', trust, sha: short(run.headSha), label: OK_TO_TEST_LABEL, reasons: run.reasons })),
  };
}

export interface Step {
  name: string;
  state: string;
}

export function progressOutput(run: CheckRun, steps: Step[], last?: string): CheckOutput {
  return {
    title: `Running (${steps.at(-1)?.name ?? 'starting'})`,
    summary: cap(render('checks/run.md.njk', { kind: 'in_progress', sha: short(run.headSha), trigger: run.trigger, reasons: run.reasons, steps, last: last ? codeBlock(last, 1500) : undefined })),
  };
}

/** The command that runs this suite in a checkout. */
export function localCommand(run: Pick<CheckRun, 'suite' | 'plugin'>): string {
  return run.suite === 'migrations' ? 'npx netbot migrations test' : `npx netbot conformance --plugin ${run.plugin}`;
}

/** A completed run's output and its annotations (failed cases at their location, when that is a file of the tree). */
export function completedOutput(run: CheckRun, outcome: SuiteOutcome, opts: { flaky?: string[]; fresh?: string[] } = {}): { output: CheckOutput; annotations: Annotation[] } {
  const report = outcome.report;
  const failedCases = report?.cases.filter((c) => c.status === 'failed') ?? [];
  const located = new Set(outcome.located ?? []);
  const annotations: Annotation[] = failedCases
    .filter((c) => c.location && located.has(c.location.path))
    .slice(0, MAX_ANNOTATIONS)
    .map((c) => ({
      path: c.location!.path,
      start_line: c.location!.start_line,
      end_line: Math.max(c.location!.start_line, c.location!.end_line),
      annotation_level: 'failure',
      title: c.id.slice(0, 250),
      message: (c.message ?? `${c.title} failed`).slice(0, 4000),
    }));
  const failed = failedCases.slice(0, LISTED_FAILURES).map((c) => ({
    id: c.id,
    title: c.title,
    where: c.location ? `${c.location.path}:${c.location.start_line}` : undefined,
    message: c.message ? codeBlock(c.message, 1500) : undefined,
  }));
  const showLog = outcome.conclusion !== 'success' && (!report || outcome.problem !== undefined) && outcome.log.trim() !== '';
  const summary = render('checks/summary.md.njk', {
    report,
    duration: report ? `${(report.duration_ms / 1000).toFixed(1)} s` : undefined,
    title: outcome.title,
    problem: outcome.problem,
    failed,
    moreFailed: Math.max(0, failedCases.length - failed.length),
    flaky: opts.flaky ?? [],
    fresh: opts.fresh ?? [],
    log: showLog ? codeBlock(outcome.log) : undefined,
    sha: short(run.headSha),
    trigger: run.trigger,
    reasons: run.reasons,
    local: localCommand(run),
    rerun: outcome.conclusion !== 'success',
  });
  return { output: { title: outcome.title.slice(0, 250), summary: cap(summary) }, annotations };
}
