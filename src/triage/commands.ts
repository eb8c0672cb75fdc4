import type { CommandInvocation, CommandSpec } from '../core/commands.js';
import type { AppServices } from '../core/services.js';
import { issueParams } from '../github/types.js';
import { applyLabels, hasLabel, labelNames, postLhfComment, retractLhfComment, snapshot, type IssueLike } from './actions.js';
import { exampleOf } from './learn/events.js';
import { starterScorer } from './learn/learner.js';
import { learningStoreFor } from './learn/store.js';
import { triageStoreFor, type TriageStore } from './store.js';

const onTriage = (config: { triage: { enabled: boolean } }) => config.triage.enabled;

/** `/lhf`, `/not-lhf` (triagers) and `/claim`, `/unclaim` (anyone), registered with their help. */
export function registerTriageCommands(services: AppServices): void {
  const store = triageStoreFor(services);
  const common = { room: 'triage', on: 'issues' as const, enabled: onTriage };
  services.commands.register({
    ...common,
    name: 'claim',
    usage: '/claim',
    summary: 'take a low-hanging-fruit bug nobody holds (you are assigned)',
    who: 'anyone',
    examples: ['/claim'],
    run: (inv) => claim(inv, store),
  });
  services.commands.register({
    ...common,
    name: 'unclaim',
    usage: '/unclaim',
    summary: 'release a claim',
    who: 'the holder, maintainers',
    examples: ['/unclaim'],
    run: (inv) => unclaim(inv, store),
  });
  services.commands.register({
    ...common,
    name: 'lhf',
    usage: '/lhf',
    summary: 'mark a bug low-hanging fruit (labelled, with the newcomers\' comment)',
    who: 'maintainers, triagers',
    allowed: 'triagers',
    examples: ['/lhf'],
    run: (inv) => markLhf(inv, store),
  });
  services.commands.register({
    ...common,
    name: 'not-lhf',
    usage: '/not-lhf',
    summary: 'take low-hanging fruit off a bug; netbot never puts it back',
    who: 'maintainers, triagers',
    allowed: 'triagers',
    examples: ['/not-lhf'],
    run: (inv) => markNotLhf(inv, store),
  });
}

/** The issue as the comment's payload shows it. */
const issueOf = (inv: CommandInvocation) => (inv.context.payload as { issue: IssueLike }).issue;
const refOf = (inv: CommandInvocation) => ({ ...inv.env.repo, issue_number: inv.target.number });

function reply(inv: CommandInvocation, kind: string, vars: Record<string, unknown> = {}): Promise<string> {
  const { env, context } = inv;
  return env.services.templates.render(context.octokit, env.repo, env.config, 'triage/reply.md.njk', {
    kind,
    login: inv.login,
    command: inv.command.name,
    number: inv.target.number,
    lhfLabel: env.config.labels.lowHangingFruit,
    staleDays: env.config.triage.claims.staleDays,
    max: env.config.triage.claims.maxOpenPerPerson,
    ...vars,
  });
}

async function markLhf(inv: CommandInvocation, store: TriageStore): Promise<undefined> {
  const { env, context, login } = inv;
  const ref = refOf(inv);
  const issue = issueOf(inv);
  const lhfLabel = env.config.labels.lowHangingFruit;
  await env.services.labels.clearVeto(ref, lhfLabel); // a human asked for it: any earlier veto ends
  const labels = await applyLabels(context.octokit, env, ref, labelNames(issue), [lhfLabel]);
  await snapshot(store, ref.repoId, issue, labels, env.config); // labelled: on the board even if the comment below fails
  await recordDecision(inv, true);
  const score = (await starterScorer(env.services, ref.repoId, env.config))({ title: issue.title, body: issue.body });
  await postLhfComment(context.octokit, env, ref, { ...issue, labels }, { markedBy: login, score });
  env.decide('triage: /lhf by a triager: labelled and commented', { issue: issue.number, login });
  return undefined;
}

async function markNotLhf(inv: CommandInvocation, store: TriageStore): Promise<undefined> {
  const { env, context, login } = inv;
  const ref = refOf(inv);
  const issue = issueOf(inv);
  const lhfLabel = env.config.labels.lowHangingFruit;
  const labels = labelNames(issue);
  await env.services.labels.remove(context.octokit, ref, labels, lhfLabel);
  await env.services.labels.recordVeto(ref, lhfLabel, login, env.services.now()); // never put back by the bot
  // Recorded before the comment edit: if that fails, the board must not keep listing the bug.
  await snapshot(store, ref.repoId, issue, labels.filter((l) => l.toLowerCase() !== lhfLabel.toLowerCase()), env.config);
  await store.setBand(ref.repoId, issue.number, 'no'); // settled: off the triagers' "maybe" list
  await recordDecision(inv, false);
  await retractLhfComment(context.octokit, env, ref, login);
  env.decide('triage: /not-lhf by a triager: label removed and vetoed', { issue: issue.number, login });
  return undefined;
}

/** A triager's `/lhf` or `/not-lhf` is a labelled example for the repository's learned model (once per comment). */
function recordDecision(inv: CommandInvocation, starter: boolean): Promise<boolean> {
  const { env } = inv;
  return learningStoreFor(env.services).addExample(
    exampleOf(env.repo.repoId, issueOf(inv), {
      eventKey: `${inv.source.kind}:${inv.source.id}:${inv.command.name}`,
      starter,
      source: 'command',
      actor: inv.login,
      at: env.services.now(),
    }),
  );
}

async function claim(inv: CommandInvocation, store: TriageStore): Promise<string> {
  const { env, context, login } = inv;
  const ref = refOf(inv);
  const issue = issueOf(inv);
  const decide = (why: string) => env.decide(`triage: /claim ${why}`, { issue: issue.number, login });
  await snapshot(store, ref.repoId, issue, labelNames(issue), env.config);
  if (issue.state === 'closed') return decide('on a closed issue'), reply(inv, 'claim-closed');
  // The label is the triagers' decision (and what puts a bug on the board): a bug label is not needed too.
  if (!hasLabel(labelNames(issue), env.config.labels.lowHangingFruit)) return decide('on a bug that is not low-hanging fruit'), reply(inv, 'claim-not-lhf');
  // One person's claims one at a time (in any process): the open-claims limit is counted, then taken.
  return env.services.locks.withLock(`triage.claims:${ref.repoId}:${login.toLowerCase()}`, async () => {
    const row = await store.get(ref.repoId, issue.number);
    const holder = row?.claimedBy ?? issue.assignees?.find((a) => a && a.login.toLowerCase() !== login.toLowerCase())?.login;
    if (holder?.toLowerCase() === login.toLowerCase()) return decide('by the holder'), reply(inv, 'claim-already-yours');
    if (holder) return decide(`refused: held by ${holder}`), reply(inv, 'claim-taken', { holder });
    const releasedBy = await store.releasedByOther(ref.repoId, issue.number, login);
    if (releasedBy) return decide(`refused: ${releasedBy} released their claim before`), reply(inv, 'claim-taken-away', { releasedBy });
    const current = await store.openClaimsOf(ref.repoId, login);
    if (current.length >= env.config.triage.claims.maxOpenPerPerson) {
      return decide('refused: at the open-claims limit'), reply(inv, 'claim-limit', { claims: current.map((c) => ({ number: c.number })) });
    }
    // Taken before any GitHub call, by one conditional write: of two claims at once, in any process, one wins.
    if (!(await store.claim(ref.repoId, issue.number, login))) {
      const winner = (await store.get(ref.repoId, issue.number))?.claimedBy ?? 'someone';
      return decide(`refused: ${winner} claimed it first`), reply(inv, 'claim-taken', { holder: winner });
    }
    let assigned;
    try {
      ({ data: assigned } = await context.octokit.rest.issues.addAssignees({ ...issueParams(ref), assignees: [login] }));
    } catch (error) {
      await store.release(ref.repoId, issue.number, 'assignment failed'); // a failed write leaves no claim behind
      const status = (error as { status?: number }).status ?? 500;
      if (status >= 500) throw error; // GitHub's trouble: a redelivery retries it
      assigned = { assignees: [] }; // refused for good (e.g. 422): say so below rather than stay silent
    }
    // GitHub answers 201 even when it ignores an assignee it cannot assign: only a real assignment is a claim.
    if (Array.isArray(assigned?.assignees) && !assigned.assignees.some((a) => a?.login.toLowerCase() === login.toLowerCase())) {
      if ((await store.get(ref.repoId, issue.number))?.claimedBy) await store.release(ref.repoId, issue.number, 'GitHub did not assign');
      return decide('refused: GitHub did not assign'), reply(inv, 'claim-unassignable');
    }
    decide('granted: assigned');
    return reply(inv, 'claim-ok');
  });
}

async function unclaim(inv: CommandInvocation, store: TriageStore): Promise<string> {
  const { env, context, login } = inv;
  const ref = refOf(inv);
  const holder = (await store.get(ref.repoId, ref.issue_number))?.claimedBy;
  if (!holder) return env.decide('triage: /unclaim with no claim', { issue: ref.issue_number, login }), reply(inv, 'unclaim-none');
  if (holder.toLowerCase() !== login.toLowerCase() && !(await env.people.isMaintainer(login))) {
    return env.decide('triage: /unclaim refused: not the holder', { issue: ref.issue_number, login }), reply(inv, 'unclaim-not-holder', { holder });
  }
  await context.octokit.rest.issues.removeAssignees({ ...issueParams(ref), assignees: [holder] });
  await store.release(ref.repoId, ref.issue_number, `unclaimed by ${login}`, holder.toLowerCase() === login.toLowerCase() ? undefined : login);
  env.decide('triage: /unclaim: released', { issue: ref.issue_number, login, holder });
  return reply(inv, 'unclaim-ok', { holder });
}
