import type { NetbotConfig } from '../config.js';
import type { HandlerEnv, RepoId } from '../core/on-event.js';
import type { LabelSpec } from '../github/labels.js';
import type { StoredIssueRef } from '../github/sticky-comment.js';
import type { Octokit, RepoRef } from '../github/types.js';
import { decideAreas } from './areas.js';
import { positiveReasons, scoreLowHangingFruit, type LhfScore } from './lhf.js';
import type { TriageStore } from './store.js';

/** The fields of an issue payload the triage handlers read. */
export interface IssueLike {
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
  state?: string;
  created_at: string;
  comments?: number;
  author_association?: string;
  user: { login: string } | null;
  labels?: ({ name?: string } | string)[];
  assignees?: ({ login: string } | null)[] | null;
  pull_request?: unknown;
}

export const labelNames = (issue: IssueLike): string[] =>
  (issue.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((n) => n !== '');

const hasLabel = (labels: readonly string[], name: string) => labels.some((l) => l.toLowerCase() === name.toLowerCase());

/** `author_association` values that mean "has not contributed here before" (saves a search call). */
export const FIRST_TIMER_ASSOCIATIONS = new Set(['FIRST_TIME_CONTRIBUTOR', 'FIRST_TIMER', 'NONE']);

/** The subteam keys whose area label the issue carries. */
export function areasFromLabels(labels: readonly string[], config: NetbotConfig): string[] {
  return Object.entries(config.subteams)
    .filter(([, t]) => hasLabel(labels, t.label))
    .map(([key]) => key);
}

/** Issues the triage feature acts on: not pull requests, and carrying a configured bug label if any are configured. */
export function isTriagedBug(issue: IssueLike, config: NetbotConfig): boolean {
  if (issue.pull_request) return false;
  const wanted = config.triage.bugLabels;
  return wanted.length === 0 || labelNames(issue).some((l) => hasLabel(wanted, l));
}

export function labelSpecs(config: NetbotConfig, names: readonly string[]): LabelSpec[] {
  const known: LabelSpec[] = [
    ...Object.values(config.subteams).map((t) => ({ name: t.label, color: t.color, description: t.description ?? `Area: ${t.name}`.slice(0, 100) })),
    { name: config.labels.lowHangingFruit, color: '7057ff', description: 'A good first bug for new contributors' },
    { name: config.labels.needsTriage, color: 'ededed', description: 'A triager should decide the area' },
  ];
  return names.map((n) => known.find((k) => k.name.toLowerCase() === n.toLowerCase()) ?? { name: n, color: 'ededed' });
}

/** Ensures and adds the wanted labels the issue lacks, skipping any a human removed; returns the labels it now has. */
export async function applyLabels(octokit: Octokit, env: Pick<HandlerEnv, 'services' | 'config'>, ref: StoredIssueRef, current: string[], wanted: string[]): Promise<string[]> {
  const missing = wanted.filter((l) => !hasLabel(current, l));
  const vetoed = await env.services.labels.vetoed(ref, missing);
  const toAdd = missing.filter((l) => !vetoed.has(l.toLowerCase()));
  if (toAdd.length === 0) return current;
  await env.services.labels.ensure(octokit, ref, labelSpecs(env.config, toAdd));
  const added = await env.services.labels.addMissing(octokit, ref, current, toAdd);
  return [...current, ...added];
}

export function boardLink(config: NetbotConfig, ref: RepoRef): string | undefined {
  const base = config.triage.boardUrl?.replace(/\/+$/, '');
  return base ? `${base}/netbot/starter-bugs/${encodeURIComponent(ref.owner)}/${encodeURIComponent(ref.repo)}` : undefined;
}

export function welcomeVars(config: NetbotConfig, ref: RepoId, login: string, kind: 'issue' | 'pull request') {
  return {
    login,
    kind,
    owner: ref.owner,
    repo: ref.repo,
    // The server's own host (GitHub Enterprise too): the payload says where the repository lives.
    repoUrl: ref.htmlUrl ?? `https://github.com/${encodeURIComponent(ref.owner)}/${encodeURIComponent(ref.repo)}`,
    boardLink: boardLink(config, ref),
    lhfLabel: config.labels.lowHangingFruit,
    autoReviewers: config.routing.enabled, // reviewers are asked by netbot's routing only when it is on
    chat: config.triage.welcome.chat,
    mailingList: config.triage.welcome.mailingList,
  };
}

/** Renders and posts (or edits) the newcomers' comment on a low-hanging-fruit bug. */
export async function postLhfComment(
  octokit: Octokit,
  env: Pick<HandlerEnv, 'services' | 'config'>,
  ref: StoredIssueRef,
  issue: IssueLike,
  opts: { score?: LhfScore; markedBy?: string; welcome?: ReturnType<typeof welcomeVars>; fresh?: boolean },
): Promise<void> {
  const { config } = env;
  const score = opts.score ?? scoreLowHangingFruit({ title: issue.title, body: issue.body });
  const areaKeys = [
    ...new Set([...areasFromLabels(labelNames(issue), config), ...decideAreas({ title: issue.title, body: issue.body, labels: labelNames(issue) }, config.subteams).areas.map((a) => a.key)]),
  ];
  const teams = areaKeys.map((k) => config.subteams[k]!).filter(Boolean);
  const body = await env.services.templates.render(octokit, ref, config, 'triage/lhf-comment.md.njk', {
    ...opts.welcome, // the included welcome template reads its variables at the top level
    number: ref.issue_number,
    reasons: positiveReasons(score),
    pointers: score.pointers,
    startPaths: teams.flatMap((t) => t.paths).slice(0, 4),
    // The area lead is pinged here, once: mentoring newcomers is their job. Not the lead who marked it or reported it.
    mentors: teams
      .filter((t) => t.leads.length > 0)
      .map((t) => ({ area: t.name, lead: t.leads[0]!, quiet: [opts.markedBy, issue.user?.login].some((l) => l?.toLowerCase() === t.leads[0]!.toLowerCase()) })),
    markedBy: opts.markedBy,
    lhfLabel: config.labels.lowHangingFruit,
    welcome: opts.welcome !== undefined,
    staleDays: config.triage.claims.staleDays,
  });
  await env.services.comments.upsert(octokit, ref, 'lhf', body, { issueHasNoComments: opts.fresh });
}

/**
 * Low-hanging fruit was taken off: the newcomers' comment, if netbot wrote one here, becomes a short note so
 * it no longer invites `/claim`. Only a comment netbot has on record is edited: no lookup, never a new one.
 */
export async function retractLhfComment(octokit: Octokit, env: Pick<HandlerEnv, 'services' | 'config'>, ref: StoredIssueRef, by: string): Promise<void> {
  if (!(await env.services.comments.has(ref, 'lhf'))) return;
  const body = await env.services.templates.render(octokit, ref, env.config, 'triage/lhf-retracted.md.njk', { by, lhfLabel: env.config.labels.lowHangingFruit });
  await env.services.comments.upsert(octokit, ref, 'lhf', body);
}

/** Keeps the board's row for this issue current from what the payload shows. */
export function snapshot(store: TriageStore, repoId: number, issue: IssueLike, labels: string[], config: NetbotConfig, score?: number, band?: string): Promise<void> {
  return store.upsertIssue(repoId, {
    number: issue.number,
    title: issue.title ?? '',
    url: issue.html_url,
    author: issue.user?.login ?? 'ghost',
    state: issue.state ?? 'open',
    areas: areasFromLabels(labels, config),
    lhf: hasLabel(labels, config.labels.lowHangingFruit),
    score: score ?? null,
    band: band ?? null,
    createdAt: issue.created_at,
  });
}

export { hasLabel };
