import type { HandlerEnv } from '../core/on-event.js';
import type { StoredIssueRef } from '../github/sticky-comment.js';
import type { Octokit } from '../github/types.js';
import { applyLabels, FIRST_TIMER_ASSOCIATIONS, hasLabel, isTriagedBug, labelNames, postLhfComment, snapshot, welcomeVars, type IssueLike } from './actions.js';
import { decideAreas, withLearnedAreas } from './areas.js';
import { learnedAreaFinder, starterScorer } from './learn/learner.js';
import type { TriageStore } from './store.js';

/**
 * Classifies an open issue (areas, low-hanging fruit), adds the missing labels, and writes at most one
 * comment: the newcomers' comment when the bot just made it a starter bug (with the welcome on top for a
 * first-timer's new issue), else the welcome alone. `opened`: the issue was just opened (welcome, no
 * comment lookup). Issues outside `bugLabels` only get the welcome.
 */
export function classifyIssue(octokit: Octokit, env: HandlerEnv, store: TriageStore, ref: StoredIssueRef, issue: IssueLike, opened: boolean): Promise<void> {
  // One issue at a time, in any process: an edit right after opening must see what handling `opened` did.
  return env.services.locks.withLock(`triage.classify:${ref.repoId}#${issue.number}`, () => classifyNow(octokit, env, store, ref, issue, opened));
}

async function classifyNow(octokit: Octokit, env: HandlerEnv, store: TriageStore, ref: StoredIssueRef, issue: IssueLike, opened: boolean): Promise<void> {
  const { config, services } = env;
  // The payload may predate the bot's own labels; the store knows them (a human's removal updates it too).
  const row = await store.get(ref.repoId, issue.number);
  const known = row ? [...(row.lhf ? [config.labels.lowHangingFruit] : []), ...row.areas.flatMap((k) => (config.subteams[k] ? [config.subteams[k].label] : []))] : [];
  let labels = [...labelNames(issue), ...known.filter((l) => !hasLabel(labelNames(issue), l))];
  const bug = isTriagedBug(issue, config);
  const text = { title: issue.title, body: issue.body, labels };
  if (known.length > 0) issue = { ...issue, labels };
  // The repository's own learned models when it has them (the built-in score and the configured keywords otherwise).
  const areas = bug ? withLearnedAreas(decideAreas(text, config.subteams), (await learnedAreaFinder(services, ref.repoId, config))(text), config.subteams) : undefined;
  const score = bug ? (await starterScorer(services, ref.repoId, config))(text) : undefined;
  const lhfLabel = config.labels.lowHangingFruit;
  const hadLhf = hasLabel(labels, lhfLabel);
  if (areas && score) {
    const band = score.band;
    const isLhf = band === 'starter';
    const wanted = [...areas.areas.map((a) => a.label), ...(areas.unsure ? [config.labels.needsTriage] : []), ...(isLhf ? [lhfLabel] : [])];
    labels = await applyLabels(octokit, env, ref, labels, wanted);
    env.decide('triage: areas and low-hanging fruit decided', {
      issue: issue.number,
      areas: areas.areas.map((a) => ({ key: a.key, reasons: a.reasons })),
      unsure: areas.unsure,
      // "maybe" (between lhfMaybeThreshold and lhfThreshold) gets no label: when unsure, say nothing; a triager decides.
      lhf: { score: score.score, band, by: score.by, reasons: score.reasons.map((r) => `${r.signal}:${r.weight}`) },
      labels,
    });
  } else {
    env.decide('not a bug by the configured bugLabels: not classified', { issue: issue.number });
  }

  const author = issue.user?.login;
  const firstTimer = opened && config.triage.welcome.enabled && !!author && FIRST_TIMER_ASSOCIATIONS.has(issue.author_association ?? '');
  const welcome = firstTimer && (await store.markWelcomed(ref.repoId, author)) ? welcomeVars(config, env.repo, author, 'issue') : undefined;
  const fresh = opened && (issue.comments ?? 0) === 0;
  try {
    // One bot comment per new issue at most: the welcome rides along with the newcomers' comment, also when an
    // edit handled just before the issue's `opened` event wrote that comment already (it is edited to add it).
    if (score && !hadLhf && hasLabel(labels, lhfLabel)) {
      await postLhfComment(octokit, env, ref, issue, { score, welcome, fresh });
    } else if (welcome && score && hasLabel(labels, lhfLabel) && (await services.comments.has(ref, 'lhf'))) {
      await postLhfComment(octokit, env, ref, issue, { score, welcome });
    } else if (welcome) {
      const body = await services.templates.render(octokit, ref, config, 'triage/welcome.md.njk', welcome);
      await services.comments.upsert(octokit, ref, 'welcome', body, { issueHasNoComments: fresh });
    }
  } catch (error) {
    if (welcome && author) await store.unmarkWelcomed(ref.repoId, author); // not welcomed after all: the retry will
    throw error;
  }
  await snapshot(store, ref.repoId, issue, labels, config, score?.score, score?.band);
}
