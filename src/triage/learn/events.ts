/**
 * The decisions people make on GitHub, kept as labelled examples for the repository's learned models: the
 * starter label set or removed by a person (GitHub lets only people with triage access change labels, so each is
 * a triager's decision), an area label set or removed, `/lhf` and `/not-lhf` (commands.ts), and a starter bug
 * fixed by a newcomer's merged pull request. Records only: they write nothing to GitHub, and run while the
 * config is invalid too.
 */
import type { Probot } from 'probot';
import type { NetbotConfig } from '../../config.js';
import { onEvent } from '../../core/on-event.js';
import type { AppServices } from '../../core/services.js';
import { issueParams } from '../../github/types.js';
import { areasFromLabels, hasLabel, labelNames, type IssueLike } from '../actions.js';
import { linkedIssueNumbers } from '../links.js';
import { triageStoreFor } from '../store.js';
import { learningStoreFor, type ExampleInput } from './store.js';

/** Pull request authors who are not (yet) members or collaborators: a starter they fixed was a good first bug. */
const NEWCOMER_ASSOCIATIONS = new Set(['FIRST_TIME_CONTRIBUTOR', 'FIRST_TIMER', 'NONE', 'CONTRIBUTOR']);

const isAreaLabel = (name: string, config: NetbotConfig) => Object.values(config.subteams).some((t) => t.label.toLowerCase() === name.toLowerCase());

/** The example an issue gives as it stands: its text and labels, and what the decision says. */
export function exampleOf(
  repoId: number,
  issue: Pick<IssueLike, 'number' | 'title' | 'body' | 'labels'>,
  decision: Pick<ExampleInput, 'eventKey' | 'starter' | 'areas' | 'source' | 'actor' | 'at'>,
): ExampleInput {
  return { repoId, number: issue.number, title: issue.title ?? '', body: issue.body ?? '', labels: labelNames(issue as IssueLike), ...decision };
}

export function registerLearningHandlers(app: Probot, services: AppServices): void {
  const learning = learningStoreFor(services);
  const triage = triageStoreFor(services);
  const record = { kind: 'record' as const };

  onEvent(
    app,
    services,
    ['issues.labeled', 'issues.unlabeled'],
    'triage.examples',
    async (context, env) => {
      const issue = context.payload.issue as IssueLike;
      const name = context.payload.label?.name;
      if (issue.pull_request || !name || context.isBot || !env.config.triage.enabled) return;
      const { config } = env;
      const added = context.payload.action === 'labeled';
      const decision = { eventKey: `delivery:${context.id}`, actor: context.payload.sender.login, at: services.now() };
      if (hasLabel([config.labels.lowHangingFruit], name)) {
        await learning.addExample(exampleOf(env.repo.repoId, issue, { ...decision, starter: added, source: added ? 'label-added' : 'label-removed' }));
        if (!added) await triage.setBand(env.repo.repoId, issue.number, 'no'); // settled: off the triagers' "maybe" list
        env.decide(`triage: a person ${added ? 'set' : 'removed'} the starter label: kept as an example`, { issue: issue.number, by: decision.actor });
      } else if (isAreaLabel(name, config)) {
        await learning.addExample(exampleOf(env.repo.repoId, issue, { ...decision, areas: areasFromLabels(labelNames(issue), config), source: 'area-labels' }));
        env.decide(`triage: a person ${added ? 'set' : 'removed'} an area label: kept as an example`, { issue: issue.number, by: decision.actor });
      }
    },
    record,
  );

  onEvent(
    app,
    services,
    'pull_request.closed',
    'triage.fixed-by-newcomer',
    async (context, env) => {
      const pr = context.payload.pull_request;
      if (!pr.merged || !pr.user || !NEWCOMER_ASSOCIATIONS.has(pr.author_association) || !env.config.triage.enabled) return;
      for (const number of linkedIssueNumbers(pr.body, context.repo())) {
        const row = await triage.get(env.repo.repoId, number);
        if (!row?.lhf) continue;
        // The bug's own text (the store keeps its title only): one read, for a starter a newcomer just fixed.
        const { data: issue } = await context.octokit.rest.issues.get(issueParams({ ...env.repo, issue_number: number }));
        await learning.addExample(
          exampleOf(env.repo.repoId, issue as IssueLike, { eventKey: `pr:${pr.number}:fixes:${number}`, starter: true, source: 'fixed-by-newcomer', actor: pr.user.login, at: new Date(pr.merged_at ?? services.now()) }),
        );
        env.decide('triage: a newcomer fixed a starter bug: kept as an example', { issue: number, pull_request: pr.number, author: pr.user.login });
      }
    },
    record,
  );
}
