import type { NetbotConfig } from '../config.js';
import type { RepoId } from '../core/on-event.js';
import type { AppServices } from '../core/services.js';
import type { Octokit } from '../github/types.js';
import { harvestActions, withHarvest, type AgendaComment, type Harvest } from './actions.js';
import { agendaTitle, type ComposeInput } from './compose.js';
import { meetingBefore } from './meetings.js';
import { agendaQuery, readAgendaData, type AgendaRef, type Gathered, type QueryPlan } from './query.js';
import { agendaStoreFor, type MeetingRow } from './store.js';

const WEEK_MS = 7 * 86_400_000;

/** What gathering needs: the repository, its config, an Octokit with `graphql`. */
export interface AgendaEnv {
  services: AppServices;
  octokit: Pick<Octokit, 'graphql'>;
  repo: RepoId;
  config: NetbotConfig;
}

export interface Prepared {
  input: ComposeInput;
  gathered: Gathered;
  plan: QueryPlan;
  harvest: Harvest;
  row: MeetingRow | undefined;
  previousRow: MeetingRow | undefined;
}

const refOf = (row: MeetingRow | undefined): AgendaRef | undefined => (row?.number ? { kind: row.kind, number: row.number } : undefined);

/**
 * Everything one meeting's agenda is made of: one GraphQL query (every count and list), the store (this
 * meeting's nominations, action items, earlier snapshots) and what the other rooms publish (review load,
 * starter-bug claims, gate health). With `write`, the action items the agendas' task lists and minutes
 * add or close are recorded; without (a preview), they are applied in memory only.
 */
export async function gatherAgenda(
  env: AgendaEnv,
  meetingAt: Date,
  opts: { write: boolean; frozen: boolean; mentions: boolean; step?: (what: string) => void },
): Promise<Prepared> {
  const { services, repo, config } = env;
  const store = agendaStoreFor(services);
  const agenda = config.agenda;
  const [row, previousRow] = await Promise.all([store.meeting(repo.repoId, meetingAt.getTime()), store.previousMeeting(repo.repoId, meetingAt.getTime())]);
  const since = previousRow ? new Date(previousRow.meetingAt) : (meetingBefore(agenda.schedule, agenda.timezone, meetingAt) ?? new Date(meetingAt.getTime() - WEEK_MS));
  const plan = agendaQuery({
    owner: repo.owner,
    repo: repo.repo,
    config,
    since,
    previous: refOf(previousRow),
    current: refOf(row),
    findTitle: row ? undefined : agendaTitle(config, meetingAt),
  });
  opts.step?.('GitHub: one GraphQL query');
  const gathered = readAgendaData(plan, await env.octokit.graphql(plan.document, plan.variables));
  opts.step?.("netbot's store and the other rooms' records");

  const mayAdd = (c: AgendaComment) =>
    config.agenda.openNominations ||
    ['OWNER', 'MEMBER', 'COLLABORATOR'].includes(c.association) ||
    [...config.maintainers, ...config.triagers].some((l) => l.toLowerCase() === c.author.toLowerCase());
  const harvest = harvestActions(
    [gathered.previous, gathered.current].filter((a): a is NonNullable<typeof a> => a !== null),
    mayAdd,
  );
  if (opts.write) {
    for (const number of harvest.ticked) await store.closeAction(repo.repoId, number, 'a ticked box', 'ticked');
    for (const added of harvest.added) await store.addAction(repo.repoId, added);
  }
  const read = services.readModels;
  const [nominations, stored, meetingTimes, snapshots, reviewLoad, starterClaims, gateHealth] = await Promise.all([
    store.nominations(repo.repoId, meetingAt.getTime()),
    store.actions(repo.repoId, since.getTime()),
    store.meetingTimes(repo.repoId, meetingAt.getTime()),
    store.snapshots(repo.repoId, meetingAt.getTime(), agenda.trendWeeks),
    read.reviewLoad ? read.reviewLoad(repo.repoId) : null,
    read.starterClaims ? read.starterClaims(repo.repoId, since, meetingAt) : null,
    read.gateHealth ? read.gateHealth(repo.repoId, since, meetingAt) : null,
  ]);
  const now = services.now();
  const input: ComposeInput = {
    repo: { owner: repo.owner, repo: repo.repo, htmlUrl: repo.htmlUrl ?? `https://github.com/${repo.owner}/${repo.repo}` },
    config,
    meetingAt,
    since,
    now,
    postedAt: row ? new Date(row.postedAt) : now,
    frozen: opts.frozen,
    gathered,
    previousAgenda: previousRow?.url ? { url: previousRow.url, meetingAt: new Date(previousRow.meetingAt) } : null,
    nominations,
    actions: opts.write ? stored : withHarvest(stored, harvest, now.getTime()),
    meetingTimes: [...new Set([...meetingTimes, meetingAt.getTime()])].sort((a, b) => a - b),
    snapshots,
    reviewLoad,
    starterClaims,
    gateHealth,
    mentions: opts.mentions,
  };
  return { input, gathered, plan, harvest, row, previousRow };
}
