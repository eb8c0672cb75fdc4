// A nock-mocked GitHub for the agenda's tests and benchmark: GraphQL queries are executed against GitHub's
// real schema (@octokit/graphql-schema) over an in-memory repository, with `search` evaluating the search
// syntax the agenda uses (an unknown qualifier throws, so a typo cannot pass); the REST routes the agenda
// and the naive baseline use answer from the same data. Every request is counted.
import { schema as githubSchema } from '@octokit/graphql-schema';
import { buildSchema, graphql, Kind, parse, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import nock from 'nock';

export interface FakeItem {
  number: number;
  title: string;
  body?: string;
  isPull: boolean;
  state: 'open' | 'closed';
  stateReason?: 'completed' | 'not_planned';
  createdAt: string;
  closedAt?: string;
  updatedAt?: string;
  labels: string[];
  assignees: string[];
  author: string;
  draft?: boolean;
  reviews?: number;
  checks?: 'success' | 'failure' | 'pending';
}

export interface FakeComment {
  id: number;
  body: string;
  author: string;
  association: string;
}

export interface FakeRepo {
  owner: string;
  name: string;
  databaseId: number;
  items: FakeItem[];
  comments: Map<number, FakeComment[]>;
  milestones: { number: number; title: string; dueOn: string | null }[];
  categories: { id: string; name: string }[];
  labels: string[];
  discussions: Map<number, { id: string; number: number; title: string; body: string; closed: boolean; labels: string[] }>;
  /** Files of the default branch (template overrides). */
  files: Map<string, string>;
}

export function fakeRepo(init: Partial<FakeRepo> & { owner: string; name: string }): FakeRepo {
  return { databaseId: 1296269, items: [], comments: new Map(), milestones: [], categories: [], labels: [], discussions: new Map(), files: new Map(), ...init };
}

let built: GraphQLSchema | undefined;
/** GitHub's public GraphQL schema, built once per process. */
export function githubGraphqlSchema(): GraphQLSchema {
  return (built ??= buildSchema(githubSchema.idl, { assumeValidSDL: true }));
}

/** Splits GitHub search syntax into terms, keeping quoted parts (`label:"area/l3","x"`, `"a title"`). */
function terms(query: string): string[] {
  return query.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
}

const unquote = (s: string) => s.replace(/"/g, '');

/** Evaluates the search syntax the agenda uses over the repository's issues and pull requests. */
export function searchItems(repo: FakeRepo, query: string): FakeItem[] {
  let items = repo.items;
  let sort = (a: FakeItem, b: FakeItem) => b.createdAt.localeCompare(a.createdAt); // GitHub's default here: best match, newest
  let inTitle = false;
  for (const term of terms(query)) {
    const m = /^(-?)([a-z]+):(.*)$/.exec(term);
    if (!m) {
      const words = unquote(term).toLowerCase();
      if (!inTitle) throw new Error(`fake search: a bare term without in:title: ${term}`);
      items = items.filter((i) => i.title.toLowerCase().includes(words));
      continue;
    }
    const [, neg, key, raw] = m as unknown as [string, string, string, string];
    const value = unquote(raw);
    let keep: (i: FakeItem) => boolean;
    switch (key) {
      case 'repo':
        if (value !== `${repo.owner}/${repo.name}`) throw new Error(`fake search: another repository: ${value}`);
        continue;
      case 'is':
        keep = { issue: (i: FakeItem) => !i.isPull, pr: (i: FakeItem) => i.isPull, open: (i: FakeItem) => i.state === 'open', closed: (i: FakeItem) => i.state === 'closed' }[value] ?? bad(term);
        break;
      case 'label': {
        const wanted = raw.split(',').map((l) => unquote(l).toLowerCase());
        keep = (i) => i.labels.some((l) => wanted.includes(l.toLowerCase()));
        break;
      }
      case 'no':
        if (value !== 'assignee') bad(term);
        keep = (i) => i.assignees.length === 0;
        break;
      case 'created':
      case 'closed': {
        const since = /^>=(.+)$/.exec(value)?.[1] ?? bad(term);
        const field = key === 'created' ? 'createdAt' : 'closedAt';
        keep = (i) => Boolean(i[field]) && Date.parse(i[field]!) >= Date.parse(since);
        break;
      }
      case 'draft':
        keep = (i) => Boolean(i.draft) === (value === 'true');
        break;
      case 'review':
        if (value !== 'none') bad(term);
        keep = (i) => (i.reviews ?? 0) === 0;
        break;
      case 'status':
        keep = (i) => i.checks === value;
        break;
      case 'reason':
        keep = (i) => i.stateReason === value.replace('-', '_');
        break;
      case 'in':
        if (value !== 'title') bad(term);
        inTitle = true;
        continue;
      case 'sort':
        sort =
          { 'created-asc': (a: FakeItem, b: FakeItem) => a.createdAt.localeCompare(b.createdAt), 'created-desc': sort, 'updated-desc': (a: FakeItem, b: FakeItem) => (b.updatedAt ?? b.createdAt).localeCompare(a.updatedAt ?? a.createdAt) }[value] ??
          bad(term);
        continue;
      default:
        bad(term);
    }
    items = items.filter((i) => (neg ? !keep(i) : keep(i)));
  }
  return [...items].sort(sort);
}

function bad(term: string): never {
  throw new Error(`fake search: a qualifier GitHub search does not have (or this fake does not know): ${term}`);
}

const url = (repo: FakeRepo, i: { number: number; isPull?: boolean }) => `https://github.com/${repo.owner}/${repo.name}/${i.isPull ? 'pull' : 'issues'}/${i.number}`;
const page = <T>(list: T[], args: { first?: number; last?: number }) => ({ nodes: args.last !== undefined ? list.slice(-args.last) : list.slice(0, args.first ?? 100) });

function node(repo: FakeRepo, i: FakeItem) {
  return {
    __typename: i.isPull ? 'PullRequest' : 'Issue',
    number: i.number,
    title: i.title,
    url: url(repo, i),
    createdAt: i.createdAt,
    closedAt: i.closedAt ?? null,
    author: { __typename: 'User', login: i.author },
    labels: (args: { first: number }) => page(i.labels.map((name) => ({ name })), args),
    assignees: (args: { first: number }) => page(i.assignees.map((login) => ({ login })), args),
  };
}

function comments(repo: FakeRepo, number: number, isDiscussion: boolean) {
  return (args: { last?: number; first?: number }) =>
    page(
      (repo.comments.get(number) ?? []).map((c) => ({
        databaseId: c.id,
        url: `${url(repo, { number })}#${isDiscussion ? 'discussioncomment' : 'issuecomment'}-${c.id}`,
        body: c.body,
        author: { __typename: 'User', login: c.author },
        authorAssociation: c.association,
      })),
      args,
    );
}

/**
 * What GitHub's rate limit charges a query, by its documented rule: every connection's requests (its
 * parents' page sizes multiplied), summed, divided by 100, at least 1.
 */
export function queryCost(document: string, variables: Record<string, unknown> = {}): number {
  let requests = 0;
  const argValue = (v: any): number | undefined => (v.kind === Kind.INT ? Number(v.value) : v.kind === Kind.VARIABLE ? (variables[v.name.value] as number) : undefined);
  const walk = (set: SelectionSetNode | undefined, multiplier: number) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind !== Kind.FIELD) {
        if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet, multiplier);
        continue;
      }
      const size = sel.arguments?.filter((a) => a.name.value === 'first' || a.name.value === 'last').map((a) => argValue(a.value))[0];
      if (size !== undefined) {
        requests += multiplier;
        walk(sel.selectionSet, multiplier * Math.max(1, size));
      } else walk(sel.selectionSet, multiplier);
    }
  };
  for (const def of parse(document).definitions) if (def.kind === Kind.OPERATION_DEFINITION) walk(def.selectionSet, 1);
  return Math.max(1, Math.round(requests / 100));
}

export interface FakeGitHub {
  repo: FakeRepo;
  /** Every request, as `METHOD /path` (GraphQL as `POST /graphql <operation>`). */
  calls: string[];
  /** Rate-limit points GraphQL queries cost (GitHub's rule), and REST requests (one point each). */
  points: () => { graphql: number; rest: number };
  reset(): void;
  stop(): void;
}

/** Starts the fake on nock (persisting until `stop`). */
export function fakeAgendaGitHub(repo: FakeRepo, opts: { installationToken?: boolean } = {}): FakeGitHub {
  nock.disableNetConnect();
  const schema = githubGraphqlSchema();
  const calls: string[] = [];
  let graphqlPoints = 0;
  let restCalls = 0;
  let nextId = 900_000;
  const base = `/repos/${repo.owner}/${repo.name}`;
  const scope = nock('https://api.github.com').persist();
  if (opts.installationToken ?? true) scope.post(/\/app\/installations\/\d+\/access_tokens/).reply(200, { token: 'fake-token', expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {} });

  const rootValue = {
    rateLimit: () => ({ cost: currentCost, remaining: 5000 - graphqlPoints, resetAt: new Date(Date.now() + 3600_000).toISOString() }),
    search: (args: { query: string; first?: number }) => {
      const found = searchItems(repo, args.query);
      return { issueCount: found.length, nodes: found.slice(0, args.first ?? 10).map((i) => node(repo, i)) };
    },
    repository: (args: { owner: string; name: string }) => {
      if (args.owner !== repo.owner || args.name !== repo.name) return null;
      return {
        id: `R_${repo.databaseId}`,
        databaseId: repo.databaseId,
        milestones: (a: { first: number }) => page([...repo.milestones].sort((x, y) => (x.dueOn ?? '9').localeCompare(y.dueOn ?? '9')).map((m) => ({ ...m, url: `https://github.com/${repo.owner}/${repo.name}/milestone/${m.number}` })), a),
        issue: ({ number }: { number: number }) => {
          const i = repo.items.find((x) => x.number === number && !x.isPull);
          return i && { number, url: url(repo, i), body: i.body ?? '', comments: comments(repo, number, false) };
        },
        discussion: ({ number }: { number: number }) => {
          const d = repo.discussions.get(number);
          return d && { number, url: `https://github.com/${repo.owner}/${repo.name}/discussions/${number}`, body: d.body, comments: comments(repo, number, true) };
        },
        discussionCategories: (a: { first: number }) => page(repo.categories, a),
        label: ({ name }: { name: string }) => (repo.labels.some((l) => l.toLowerCase() === name.toLowerCase()) ? { id: `LA_${name}` } : null),
      };
    },
    createDiscussion: ({ input }: { input: { title: string; body: string } }) => {
      const number = Math.max(0, ...repo.items.map((i) => i.number), ...repo.discussions.keys()) + 1;
      const d = { id: `D_${number}`, number, title: input.title, body: input.body, closed: false, labels: [] as string[] };
      repo.discussions.set(number, d);
      return { discussion: { id: d.id, number, url: `https://github.com/${repo.owner}/${repo.name}/discussions/${number}` } };
    },
    updateDiscussion: ({ input }: { input: { discussionId: string; body: string } }) => {
      const d = [...repo.discussions.values()].find((x) => x.id === input.discussionId)!;
      d.body = input.body;
      return { discussion: { id: d.id } };
    },
    addLabelsToLabelable: ({ input }: { input: { labelableId: string; labelIds: string[] } }) => {
      const d = [...repo.discussions.values()].find((x) => x.id === input.labelableId)!;
      d.labels.push(...input.labelIds.map((id) => id.replace(/^LA_/, '')));
      return { clientMutationId: null };
    },
    addDiscussionComment: ({ input }: { input: { discussionId: string; body: string } }) => {
      const d = [...repo.discussions.values()].find((x) => x.id === input.discussionId)!;
      const list = repo.comments.get(d.number) ?? [];
      list.push({ id: ++nextId, body: input.body, author: 'netbot', association: 'NONE' });
      repo.comments.set(d.number, list);
      return { comment: { id: `DC_${nextId}` } };
    },
    closeDiscussion: ({ input }: { input: { discussionId: string } }) => {
      const d = [...repo.discussions.values()].find((x) => x.id === input.discussionId)!;
      d.closed = true;
      return { discussion: { id: d.id } };
    },
  };
  let currentCost = 1;

  scope.post('/graphql').reply(async function (_uri, body) {
    const { query, variables } = body as { query: string; variables?: Record<string, unknown> };
    const op = /^\s*(query|mutation)\s+(\w+)/.exec(query)?.[2] ?? 'anonymous';
    calls.push(`POST /graphql ${op}`);
    currentCost = queryCost(query, variables);
    graphqlPoints += currentCost;
    const result = await graphql({ schema, source: query, variableValues: variables, rootValue, typeResolver: (v: any) => v.__typename });
    if (result.errors?.length) return [200, { data: result.data ?? null, errors: result.errors.map((e) => ({ message: e.message, path: e.path })) }];
    return [200, { data: result.data }];
  });

  const count = (method: string, path: string) => {
    restCalls++;
    calls.push(`${method} ${path.split('?')[0]!.replace(/\/\d+(?=\/|$)/g, '/:n').replace(/\/commits\/[^/]+\//, '/commits/:ref/')}`);
  };
  const restIssue = (i: FakeItem) => ({
    id: i.number,
    node_id: `I_${i.number}`,
    number: i.number,
    title: i.title,
    body: i.body ?? '',
    state: i.state,
    state_reason: i.stateReason ?? null,
    html_url: url(repo, i),
    user: { login: i.author, type: 'User' },
    labels: i.labels.map((name) => ({ name })),
    assignees: i.assignees.map((login) => ({ login })),
    created_at: i.createdAt,
    closed_at: i.closedAt ?? null,
    updated_at: i.updatedAt ?? i.createdAt,
    draft: i.draft ?? false,
    head: { sha: `sha${i.number}` },
    ...(i.isPull ? { pull_request: { url: '' } } : {}),
  });
  /** One page of a list, with GitHub's Link header. */
  const paged = (path: string, list: unknown[], query: URLSearchParams) => {
    const per = Number(query.get('per_page') ?? 30);
    const n = Number(query.get('page') ?? 1);
    const headers: Record<string, string> = {};
    if (n * per < list.length) {
      query.set('page', String(n + 1));
      headers.link = `<https://api.github.com${path}?${query}>; rel="next"`;
    }
    return [200, list.slice((n - 1) * per, n * per), headers];
  };

  scope.get(/.*/).reply(function (uri) {
    const [path, search = ''] = uri.split('?') as [string, string?];
    const query = new URLSearchParams(search);
    count('GET', path);
    if (path === `${base}/labels`) return paged(path, repo.labels.map((name) => ({ name })), query);
    if (path === `${base}/issues`) {
      const state = query.get('state') ?? 'open';
      const since = query.get('since');
      const labels = query.get('labels')?.split(',') ?? [];
      const list = repo.items
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => !since || Date.parse(i.updatedAt ?? i.closedAt ?? i.createdAt) >= Date.parse(since))
        .filter((i) => labels.every((l) => i.labels.includes(l)))
        .map(restIssue);
      return paged(path, list, query);
    }
    if (path === `${base}/pulls`) return paged(path, repo.items.filter((i) => i.isPull && i.state === (query.get('state') ?? 'open')).map(restIssue), query);
    const reviews = new RegExp(`^${base}/pulls/(\\d+)/reviews$`).exec(path);
    if (reviews) return [200, Array.from({ length: repo.items.find((i) => i.number === Number(reviews[1]))?.reviews ?? 0 }, (_, k) => ({ id: k, state: 'COMMENTED' }))];
    const status = new RegExp(`^${base}/commits/sha(\\d+)/status$`).exec(path);
    if (status) return [200, { state: repo.items.find((i) => i.number === Number(status[1]))?.checks ?? 'pending' }];
    const file = path.startsWith(`${base}/contents/`) ? repo.files.get(decodeURIComponent(path.slice(base.length + 10))) : undefined;
    if (file !== undefined) return [200, file, { 'content-type': 'application/vnd.github.raw; charset=utf-8' }];
    if (path === `${base}/milestones`) return [200, repo.milestones.map((m) => ({ ...m, due_on: m.dueOn, html_url: '' }))];
    return [404, { message: 'Not Found' }];
  });
  scope.post(/.*/).reply(function (uri, body: any) {
    count('POST', uri);
    if (uri === `${base}/labels`) {
      repo.labels.push(body.name);
      return [201, { name: body.name }];
    }
    if (uri === `${base}/issues`) {
      const number = Math.max(0, ...repo.items.map((i) => i.number), ...repo.discussions.keys()) + 1;
      const item: FakeItem = { number, title: body.title, body: body.body, isPull: false, state: 'open', createdAt: new Date().toISOString(), labels: body.labels ?? [], assignees: [], author: 'netbot[bot]' };
      repo.items.push(item);
      return [201, restIssue(item)];
    }
    const comment = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(uri);
    if (comment) {
      const list = repo.comments.get(Number(comment[1])) ?? [];
      list.push({ id: ++nextId, body: body.body, author: 'netbot[bot]', association: 'NONE' });
      repo.comments.set(Number(comment[1]), list);
      return [201, { id: nextId, body: body.body }];
    }
    return [404, { message: 'Not Found' }];
  });
  scope.patch(/.*/).reply(function (uri, body: any) {
    count('PATCH', uri);
    const m = new RegExp(`^${base}/issues/(\\d+)$`).exec(uri);
    const item = m && repo.items.find((i) => i.number === Number(m[1]));
    if (!item) return [404, { message: 'Not Found' }];
    if (body.body !== undefined) item.body = body.body;
    if (body.state) {
      item.state = body.state;
      item.stateReason = body.state_reason;
      item.closedAt = new Date().toISOString();
    }
    return [200, restIssue(item)];
  });

  return {
    repo,
    calls,
    points: () => ({ graphql: graphqlPoints, rest: restCalls }),
    reset() {
      calls.length = 0;
      graphqlPoints = 0;
      restCalls = 0;
    },
    stop() {
      scope.persist(false);
      nock.cleanAll();
    },
  };
}
