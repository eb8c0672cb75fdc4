import type { NetbotConfig } from '../config.js';

/** Who to ask for review, and why others were passed over. Pure: everything it needs comes in. */
export interface ReviewerInput {
  /** Subteam keys in the order they should be served. */
  subteams: readonly string[];
  config: NetbotConfig;
  author: string;
  /** Open review requests per reviewer (lower-case login) in this repository. */
  load: ReadonlyMap<string, number>;
  /** Reviewers away by command (lower-case); the config's `routing.vacation` is added here. */
  vacation: ReadonlySet<string>;
  alreadyRequested: readonly string[];
  alreadyReviewed: readonly string[];
  /** Reviewers a human removed from this pull request (lower-case): never asked again on it. */
  humanRemoved: ReadonlySet<string>;
  /** Reviewers GitHub refused on this pull request (lower-case login → GitHub's message). */
  refused?: ReadonlyMap<string, string>;
  /** Varies the order of equally loaded backups (the pull request number), so the same one is not always picked. */
  seed: number;
}

export type RequestReason = 'lead' | 'backup' | 'default';
export type SkipReason = 'author' | 'vacation' | 'removed-by-human' | 'refused' | 'full';

export interface ReviewRequest {
  login: string;
  /** The subteams this person covers (one person may cover several). */
  subteams: string[];
  reason: RequestReason;
  /** Their open review requests before this one. */
  load: number;
}

export interface SkippedReviewer {
  login: string;
  subteam: string;
  reason: SkipReason;
  /** For `full`: their open requests; for `refused`: GitHub's message. */
  detail?: string;
}

export interface Coverage {
  subteam: string;
  login: string;
  how: 'requested' | 'already-requested' | 'already-reviewed';
}

export interface ReviewerPick {
  requests: ReviewRequest[];
  skipped: SkippedReviewer[];
  covered: Coverage[];
  /** Subteams nobody could be asked for. */
  uncovered: string[];
}

const lower = (s: string) => s.toLowerCase();

/**
 * For each subteam: nothing new if one of its people already reviewed or was already requested; else its
 * first available lead; else its available backup with the fewest open requests (ties rotated by the
 * seed). Someone picked for an earlier subteam covers a later one where they would be picked anyway. The author, people on vacation, people a human removed,
 * people GitHub refused and people at the configured maximum are skipped, and each skip is reported.
 */
export function pickReviewers(input: ReviewerInput): ReviewerPick {
  const { config } = input;
  const max = config.routing.maxOpenReviews;
  const vacation = new Set([...input.vacation, ...config.routing.vacation.map(lower)]);
  const requested = new Set(input.alreadyRequested.map(lower));
  const reviewed = new Set(input.alreadyReviewed.map(lower));
  const load = new Map(input.load);
  const picked = new Map<string, ReviewRequest>();
  const out: ReviewerPick = { requests: [], skipped: [], covered: [], uncovered: [] };
  const reported = new Set<string>();

  const unavailable = (login: string): { reason: SkipReason; detail?: string } | undefined => {
    const key = lower(login);
    if (key === lower(input.author)) return { reason: 'author' };
    if (input.humanRemoved.has(key)) return { reason: 'removed-by-human' };
    const refusal = input.refused?.get(key);
    if (refusal !== undefined) return { reason: 'refused', detail: refusal };
    if (vacation.has(key)) return { reason: 'vacation' };
    if ((load.get(key) ?? 0) >= max) return { reason: 'full', detail: String(load.get(key) ?? 0) };
    return undefined;
  };
  const skip = (login: string, subteam: string, why: { reason: SkipReason; detail?: string }) => {
    const id = `${lower(login)}|${subteam}`;
    if (reported.has(id)) return;
    reported.add(id);
    out.skipped.push({ login, subteam, ...why });
  };

  for (const subteam of input.subteams) {
    const team = config.subteams[subteam];
    if (!team) continue;
    const people = [...team.leads, ...team.backups];
    // The author's own review (a reply to review comments is one) covers nothing.
    const existing = people.find((p) => lower(p) !== lower(input.author) && (reviewed.has(lower(p)) || requested.has(lower(p))));
    if (existing) {
      out.covered.push({ subteam, login: existing, how: reviewed.has(lower(existing)) ? 'already-reviewed' : 'already-requested' });
      continue;
    }
    // Someone picked for an earlier subteam covers this one too when they are its lead, or a backup once no lead is free.
    const cover = (login: string) => {
      picked.get(lower(login))!.subteams.push(subteam);
      out.covered.push({ subteam, login, how: 'requested' });
    };
    let choice: { login: string; reason: RequestReason } | undefined;
    let done = false;
    for (const lead of team.leads) {
      if (picked.has(lower(lead))) {
        cover(lead);
        done = true;
        break;
      }
      const why = unavailable(lead);
      if (!why) {
        choice = { login: lead, reason: 'lead' };
        break;
      }
      skip(lead, subteam, why);
    }
    if (done) continue;
    if (!choice) {
      const leads = new Set(team.leads.map(lower));
      const backups = team.backups.filter((b) => !leads.has(lower(b)));
      const pickedBackup = backups.find((b) => picked.has(lower(b)));
      if (pickedBackup) {
        cover(pickedBackup);
        continue;
      }
      for (const backup of orderByLoad(backups, load, input.seed)) {
        const why = unavailable(backup);
        if (!why) {
          choice = { login: backup, reason: 'backup' };
          break;
        }
        skip(backup, subteam, why);
      }
    }
    if (!choice) {
      out.uncovered.push(subteam);
      continue;
    }
    const key = lower(choice.login);
    const request: ReviewRequest = { login: choice.login, subteams: [subteam], reason: choice.reason, load: load.get(key) ?? 0 };
    picked.set(key, request);
    out.requests.push(request);
    out.covered.push({ subteam, login: choice.login, how: 'requested' });
    load.set(key, (load.get(key) ?? 0) + 1);
  }
  return out;
}

/** The configured default reviewers who can be asked (no load limit: they are the catch-all). */
export function pickDefaultReviewers(input: Omit<ReviewerInput, 'subteams'>): ReviewerPick {
  const vacation = new Set([...input.vacation, ...input.config.routing.vacation.map(lower)]);
  const already = new Set([...input.alreadyRequested, ...input.alreadyReviewed].map(lower));
  const out: ReviewerPick = { requests: [], skipped: [], covered: [], uncovered: [] };
  for (const login of input.config.routing.defaultReviewers) {
    const key = lower(login);
    if (already.has(key)) continue;
    const refusal = input.refused?.get(key);
    if (key === lower(input.author)) out.skipped.push({ login, subteam: '', reason: 'author' });
    else if (input.humanRemoved.has(key)) out.skipped.push({ login, subteam: '', reason: 'removed-by-human' });
    else if (refusal !== undefined) out.skipped.push({ login, subteam: '', reason: 'refused', detail: refusal });
    else if (vacation.has(key)) out.skipped.push({ login, subteam: '', reason: 'vacation' });
    else out.requests.push({ login, subteams: [], reason: 'default', load: input.load.get(key) ?? 0 });
  }
  return out;
}

/** Fewest open requests first; equal loads in an order that changes with the seed. */
export function orderByLoad(logins: readonly string[], load: ReadonlyMap<string, number>, seed: number): string[] {
  return [...logins].sort((a, b) => (load.get(lower(a)) ?? 0) - (load.get(lower(b)) ?? 0) || rotation(a, seed) - rotation(b, seed) || a.localeCompare(b));
}

/** FNV-1a of seed and login: a stable, well-spread tie-breaker. */
function rotation(login: string, seed: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}:${lower(login)}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
