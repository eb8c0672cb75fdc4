import type { NetbotConfig } from '../config.js';
import type { AgendaComment } from './actions.js';

/**
 * The one GraphQL query that gathers a whole agenda (pure: built from config, read back into data). Every
 * count is a `search`'s `issueCount` (never a list fetched to be counted), and every list asks for only as
 * many items as the agenda shows. Each search has a name (`bugs.open`, `team.l3.review`, ...): every section
 * that needs a figure reads it by that name, so no figure is asked for twice.
 */

export interface SearchSpec {
  /** What the sections call it, e.g. `bugs.new` or `team.l3.open`. */
  name: string;
  /** GitHub search syntax. */
  query: string;
  /** How many items the agenda shows (0: only the count). */
  list: number;
}

export interface AgendaRef {
  kind: 'issue' | 'discussion';
  number: number;
}

export interface QueryParams {
  owner: string;
  repo: string;
  config: NetbotConfig;
  /** The previous meeting's start: "new since", "closed since". */
  since: Date;
  /** The previous meeting's agenda (its task list, its comments' minutes) and this meeting's, once posted. */
  previous?: AgendaRef;
  current?: AgendaRef;
  /** The title this meeting's agenda has: looked for when the store has no record of it (a post that died midway). */
  findTitle?: string;
}

export interface QueryPlan {
  document: string;
  variables: Record<string, unknown>;
  searches: SearchSpec[];
}

/** A label as GitHub search takes it: quoted (labels may hold spaces), quotes dropped. */
const label = (name: string) => `"${name.replace(/"/g, '')}"`;
const labels = (names: readonly string[]) => names.map(label).join(',');
/** Whole seconds, UTC: GitHub search reads `created:>=2026-11-23T12:00:00Z`. */
const at = (t: Date) => t.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The searches the agenda needs, in one list. */
export function agendaSearches(p: QueryParams): SearchSpec[] {
  const { config } = p;
  const agenda = config.agenda;
  const repo = `repo:${p.owner}/${p.repo}`;
  // The agendas themselves are issues, never bugs.
  const bug = `${repo} is:issue -label:${label(agenda.label)}${config.triage.bugLabels.length ? ` label:${labels(config.triage.bugLabels)}` : ''}`;
  const since = at(p.since);
  const n = agenda.listLimit;
  const searches: SearchSpec[] = [
    { name: 'bugs.open', query: `${bug} is:open`, list: 0 },
    { name: 'bugs.new', query: `${bug} created:>=${since} sort:created-desc`, list: n },
    { name: 'bugs.closed', query: `${bug} is:closed closed:>=${since} sort:updated-desc`, list: n },
    ...agenda.priorityLabels.map((l) => ({ name: `bugs.priority.${l}`, query: `${bug} is:open label:${label(l)}`, list: 0 })),
    ...(agenda.urgentLabels.length ? [{ name: 'bugs.urgentUnassigned', query: `${bug} is:open no:assignee label:${labels(agenda.urgentLabels)} sort:created-asc`, list: n }] : []),
    { name: 'bugs.untriaged', query: `${repo} is:issue is:open label:${label(config.labels.needsTriage)} sort:created-asc`, list: n },
    { name: 'starter.opened', query: `${repo} is:issue label:${label(config.labels.lowHangingFruit)} created:>=${since}`, list: 0 },
    { name: 'starter.fixed', query: `${repo} is:issue label:${label(config.labels.lowHangingFruit)} is:closed reason:completed closed:>=${since}`, list: 0 },
    { name: 'announcements', query: `${repo} is:open label:${label(agenda.announcementLabel)} sort:created-desc`, list: n },
  ];
  for (const [key, team] of Object.entries(config.subteams)) {
    searches.push(
      { name: `team.${key}.open`, query: `${bug} is:open label:${label(team.label)}`, list: 0 },
      { name: `team.${key}.review`, query: `${repo} is:pr is:open draft:false review:none label:${label(team.label)} sort:created-asc`, list: n },
      { name: `team.${key}.failing`, query: `${repo} is:pr is:open status:failure label:${label(team.label)} sort:updated-desc`, list: n },
    );
  }
  if (p.findTitle) searches.push({ name: 'existing', query: `${repo} is:issue label:${label(agenda.label)} in:title "${p.findTitle.replace(/"/g, '')}"`, list: 1 });
  return searches;
}

/** What a listed item shows: no nested lists (each would cost a request per item in GitHub's rate limit). */
const ITEM_FIELDS = `__typename
        ... on Issue { number title url createdAt closedAt author { login } }
        ... on PullRequest { number title url createdAt closedAt author { login } }`;

const COMMENT_FIELDS = 'comments(last: 100) { nodes { databaseId url body author { login } authorAssociation } }';

function agendaField(alias: string, ref: AgendaRef, variable: string, withComments: boolean): string {
  const field = ref.kind === 'discussion' ? 'discussion' : 'issue';
  return `${alias}: ${field}(number: $${variable}) { number url body ${withComments ? COMMENT_FIELDS : ''} }`;
}

/** The query document and its variables. */
export function agendaQuery(p: QueryParams): QueryPlan {
  const searches = agendaSearches(p);
  const variables: Record<string, unknown> = { owner: p.owner, name: p.repo };
  const declared = ['$owner: String!', '$name: String!'];
  const fields = searches.map((s, i) => {
    variables[`q${i}`] = s.query;
    declared.push(`$q${i}: String!`);
    return `  s${i}: search(query: $q${i}, type: ISSUE, first: ${Math.max(1, s.list)}) { issueCount${s.list ? `\n      nodes { ${ITEM_FIELDS} }` : ''} }`;
  });
  const repoFields = ['id', 'databaseId', 'milestones(first: 5, states: [OPEN], orderBy: { field: DUE_DATE, direction: ASC }) { nodes { title number dueOn url } }'];
  if (p.previous) {
    variables.previous = p.previous.number;
    declared.push('$previous: Int!');
    repoFields.push(agendaField('previous', p.previous, 'previous', true));
  }
  if (p.current) {
    variables.current = p.current.number;
    declared.push('$current: Int!');
    repoFields.push(agendaField('current', p.current, 'current', false));
  }
  if (p.config.agenda.discussionCategory) {
    variables.label = p.config.agenda.label;
    declared.push('$label: String!');
    repoFields.push('discussionCategories(first: 25) { nodes { id name } }', 'label(name: $label) { id }');
  }
  const document = `query Agenda(${declared.join(', ')}) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    ${repoFields.join('\n    ')}
  }
${fields.join('\n')}
}`;
  return { document, variables, searches };
}

export interface Item {
  number: number;
  title: string;
  url: string;
  isPull: boolean;
  author: string;
  createdAt: string;
  closedAt: string | null;
}

export interface GatheredAgenda {
  number: number;
  url: string;
  body: string | null;
  comments: AgendaComment[];
}

/** What the query brought back, by name. */
export interface Gathered {
  repositoryId: string;
  databaseId: number;
  counts: Record<string, number>;
  lists: Record<string, Item[]>;
  milestone: { title: string; number: number; dueOn: string | null; url: string } | null;
  previous: GatheredAgenda | null;
  current: GatheredAgenda | null;
  categories: { id: string; name: string }[];
  labelId: string | null;
  rateLimit: { cost: number; remaining: number } | null;
}

type Nodes<T> = { nodes?: (T | null)[] | null } | null | undefined;
const nodes = <T>(c: Nodes<T>): T[] => (c?.nodes ?? []).filter((x): x is T => x !== null && x !== undefined);

function toItem(n: any): Item | undefined {
  if (n?.__typename !== 'Issue' && n?.__typename !== 'PullRequest') return undefined;
  return {
    number: n.number,
    title: n.title ?? '',
    url: n.url,
    isPull: n.__typename === 'PullRequest',
    author: n.author?.login ?? 'ghost',
    createdAt: n.createdAt,
    closedAt: n.closedAt ?? null,
  };
}

function toAgenda(a: any): GatheredAgenda | null {
  if (!a) return null;
  return {
    number: a.number,
    url: a.url,
    body: a.body ?? null,
    comments: nodes<any>(a.comments).map((c) => ({ id: Number(c.databaseId ?? 0), url: c.url, body: c.body ?? '', author: c.author?.login ?? 'ghost', association: c.authorAssociation ?? 'NONE' })),
  };
}

/** Reads the query's answer back into named counts and lists (pure). */
export function readAgendaData(plan: QueryPlan, data: any): Gathered {
  const repository = data?.repository;
  if (!repository) throw new Error('agenda: GitHub answered without the repository (not found, or not visible to this installation)');
  const counts: Record<string, number> = {};
  const lists: Record<string, Item[]> = {};
  plan.searches.forEach((s, i) => {
    const result = data[`s${i}`];
    counts[s.name] = Number(result?.issueCount ?? 0);
    if (s.list) lists[s.name] = nodes<any>(result).map(toItem).filter((x): x is Item => x !== undefined).slice(0, s.list);
  });
  const milestones = nodes<any>(repository.milestones);
  const milestone = milestones.find((m) => m.dueOn) ?? milestones[0] ?? null;
  return {
    repositoryId: repository.id,
    databaseId: Number(repository.databaseId),
    counts,
    lists,
    milestone: milestone && { title: milestone.title, number: milestone.number, dueOn: milestone.dueOn ?? null, url: milestone.url },
    previous: toAgenda(repository.previous),
    current: toAgenda(repository.current),
    categories: nodes<any>(repository.discussionCategories).map((c) => ({ id: c.id, name: c.name })),
    labelId: repository.label?.id ?? null,
    rateLimit: data.rateLimit ? { cost: data.rateLimit.cost, remaining: data.rateLimit.remaining } : null,
  };
}
