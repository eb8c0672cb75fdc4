import nock from 'nock';
import { examplePayload } from '../helpers/payloads.js';
import { createTestBot, mockConfig, mockInstallationToken } from '../helpers/probot.js';

export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const R = `/repos/${OWNER}/${REPO}`;
export const api = () => nock('https://api.github.com');

export const CONFIG_YAML = `
triagers: [triager-sam]
maintainers: [markmcclain]
subteams:
  l3:
    name: L3
    label: area/l3
    leads: [carl-baldwin]
    paths: [src/netcore/l3/**, src/netcore/api/routers*]
    keywords: [router, floating ip, l3 agent]
  ipv6:
    name: IPv6
    label: area/ipv6
    paths: [src/netcore/ipam/ipv6*]
    keywords: [ipv6, slaac, dhcpv6]
triage:
  welcome:
    chat: https://matrix.to/#/#netcore:example.org
    mailingList: netcore-dev@lists.example.org
  boardUrl: https://netbot.example.org
`;

export const LHF_BODY = `The error message when adding a router interface has a typo: "Router interfase added".

Steps to reproduce:
1. openstack router create r1
2. openstack router add subnet r1 s1

Expected: "Router interface added". Actual: "Router interfase added".
The string is in src/netcore/api/routers.ts.`;

export const HARD_BODY = 'During keepalived failover of an HA router the l3 agent races with the dhcp agent. Intermittent; see #1, #2, #3.';

type Patch = (p: any) => void;

/** A real issues.<action> payload with the issue's fields set for the test. */
export function issuePayload(action: string, issue: Record<string, unknown>, patch: Patch = () => {}) {
  return examplePayload('issues', action, () => true, (p) => {
    Object.assign(p.issue, { comments: 0, labels: [], assignees: [], assignee: null, author_association: 'NONE', state: 'open' }, issue);
    p.issue.user = { ...p.issue.user, login: 'newbie', type: 'User' };
    p.sender = { ...p.sender, login: 'newbie', type: 'User' };
    patch(p);
  });
}

export function commentPayload(body: string, opts: { login?: string; labels?: string[]; state?: string; assignees?: string[]; number?: number; id?: number } = {}) {
  return examplePayload('issue_comment', 'created', () => true, (p) => {
    const login = opts.login ?? 'newbie';
    p.comment.body = body;
    p.comment.id = opts.id ?? Math.floor(Math.random() * 1e9);
    p.comment.user = { ...p.comment.user, login, type: 'User' };
    p.sender = { ...p.sender, login, type: 'User' };
    p.issue.number = opts.number ?? 1;
    p.issue.state = opts.state ?? 'open';
    p.issue.labels = (opts.labels ?? ['low-hanging-fruit']).map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false }));
    p.issue.assignees = (opts.assignees ?? []).map((l) => ({ login: l, type: 'User' }));
    p.issue.assignee = p.issue.assignees[0] ?? null;
    delete p.issue.pull_request;
  });
}

export const labelsOf = (names: string[]) => names.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false }));

/** Every label the tests' config uses, as the repository already has them (so ensure() creates none). */
export const EXISTING_LABELS = labelsOf(['bug', 'area/l3', 'area/ipv6', 'low-hanging-fruit', 'needs-triage']);

/**
 * Like createTestBot, but with only the triage room loaded (with the floor and the config check), so these tests do
 * not depend on what other rooms do with the same events (routing also handles pull_request.opened).
 */
export function createTriageBot(opts: { now?: () => Date; store?: string } = {}) {
  return createTestBot({ ...opts, rooms: ['config-check', 'triage'] });
}

/** A real pull_request.<action> payload in the test repository (edited: the opened example with its action changed). */
export function prPayload(action: string, number: number, body: string, patch: (p: any) => void = () => {}) {
  return examplePayload('pull_request', action === 'edited' ? 'opened' : action, () => true, (p) => {
    p.action = action;
    p.number = number;
    Object.assign(p.pull_request, { number, body, comments: 0, author_association: 'CONTRIBUTOR', merged: false });
    p.pull_request.user = { ...p.pull_request.user, login: 'newbie', type: 'User' };
    p.sender = { ...p.sender, login: 'newbie', type: 'User' };
    p.repository = examplePayload('issues', 'opened').repository;
    patch(p);
  });
}

export type TriageBot = Awaited<ReturnType<typeof createTriageBot>>;

/** The usual test set-up: a triage-only bot at a fixed time, the installation token, and CONFIG_YAML as the repository's config. */
export async function triageBotWithConfig(now = '2026-11-25T12:00:00Z'): Promise<TriageBot> {
  const bot = await createTriageBot({ now: () => new Date(now) });
  mockInstallationToken();
  mockConfig(OWNER, REPO, CONFIG_YAML);
  return bot;
}
