import nock from 'nock';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { examplePayload, TEST_REPO_ID } from '../helpers/payloads.js';
import { createTestBot, mockConfig, mockInstallationToken, type TestBot } from '../helpers/probot.js';

export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const REPO_ID = TEST_REPO_ID;
export const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
export const NEW_SHA = '1111111111111111111111111111111111111111';
const base = `/repos/${OWNER}/${REPO}`;

/** One check run as GitHub keeps it after netbot's calls: each call's body in order, and the current state. */
export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  calls: Record<string, any>[];
  status: string;
  conclusion?: string;
  title?: string;
  summary?: string;
  annotations: any[];
  /** How many times a call completed it. */
  completions: number;
}

/** GitHub's check runs API, faked with nock (persisted): creates and updates are kept per run. */
export class FakeChecks {
  readonly runs: FakeCheckRun[] = [];
  private nextId = 5000;

  constructor() {
    nock('https://api.github.com')
      .persist()
      .post(`${base}/check-runs`)
      .optionally()
      .reply(201, (_uri, body: any) => {
        const run: FakeCheckRun = { id: this.nextId++, name: body.name, head_sha: body.head_sha, calls: [], status: 'queued', annotations: [], completions: 0 };
        this.runs.push(run);
        this.apply(run, body);
        return { id: run.id, name: run.name, head_sha: run.head_sha };
      })
      .patch(/\/repos\/Codertocat\/Hello-World\/check-runs\/\d+$/)
      .optionally()
      .reply(200, (uri, body: any) => {
        const run = this.runs.find((r) => r.id === Number(uri.split('/').at(-1)))!;
        this.apply(run, body);
        return { id: run.id };
      });
  }

  private apply(run: FakeCheckRun, body: any) {
    run.calls.push(body);
    if (body.status) run.status = body.status;
    if (body.conclusion) {
      run.status = 'completed';
      run.conclusion = body.conclusion;
      run.completions++;
    }
    if (body.output) {
      run.title = body.output.title;
      run.summary = body.output.summary;
      run.annotations.push(...(body.output.annotations ?? []));
    }
  }

  named(name: string, sha = SHA): FakeCheckRun[] {
    return this.runs.filter((r) => r.name === name && r.head_sha === sha);
  }

  /** The latest run of a name on a head. */
  latest(name: string, sha = SHA): FakeCheckRun {
    const all = this.named(name, sha);
    if (all.length === 0) throw new Error(`no check run ${name} on ${sha}; have ${this.runs.map((r) => `${r.name}@${r.head_sha.slice(0, 7)}`).join(', ')}`);
    return all.at(-1)!;
  }

  /** Status per call of the latest run of a name (queued, in_progress, ..., completed). */
  states(name: string, sha = SHA): string[] {
    return this.latest(name, sha).calls.map((c) => c.conclusion ?? c.status ?? 'update');
  }
}

/** A fresh test bot with only the checks room, its runner in a folder of its own, the installation token and a config. */
export async function checksBot(opts: { yaml?: string; clock?: { now: Date } } = {}): Promise<TestBot> {
  process.env.NETBOT_CHECKS_DIR = mkdtempSync(join(tmpdir(), 'netbot-checks-room-'));
  process.env.NETBOT_CHECKS_TIMEOUT_S = '30';
  const clock = opts.clock ?? { now: new Date('2026-11-25T12:00:00Z') };
  const bot = await createTestBot({ rooms: ['checks'], now: () => clock.now });
  mockInstallationToken();
  mockConfig(OWNER, REPO, opts.yaml ?? 'checks:\n  plugins: [sqlite, journal]\n');
  return bot;
}

export const api = () => nock('https://api.github.com');

/** The pull request's changed files. */
export function mockFiles(pr: number, files: string[], times = 1) {
  api().get(`${base}/pulls/${pr}/files`).query({ per_page: 100 }).times(times).reply(200, files.map((filename) => ({ filename, status: 'modified' })));
}

/** The head commit's tarball (GitHub redirects to codeload; nock answers the API's path directly). */
export function mockTarball(sha: string, tarball: Buffer | (() => Buffer), times = 1) {
  api().get(`${base}/tarball/${sha}`).times(times).reply(200, () => (typeof tarball === 'function' ? tarball() : tarball), { 'content-type': 'application/x-gzip' });
}

/** The default branch's package-lock.json: its git blob id (the same as the pull request's, or not). */
export function mockDefaultLockfile(blob: string | null) {
  const scope = api().get(`${base}/contents/package-lock.json`).query({ ref: 'master' });
  if (blob === null) scope.reply(404, { message: 'Not Found' });
  else scope.reply(200, { type: 'file', path: 'package-lock.json', sha: blob, encoding: 'base64', content: '' });
}

/** The pull request as `pulls.get` answers (for commands and re-runs). */
export function mockPull(pr: number, patch: (p: any) => void = () => {}) {
  api().get(`${base}/pulls/${pr}`).reply(200, prEvent('opened', patch).pull_request);
}

/** The permission lookup that tells a maintainer (write) from anyone else (404: not a collaborator). */
export function mockPermission(login: string, permission: 'write' | 'read' | null) {
  const scope = api().get(`${base}/collaborators/${login}/permission`);
  if (permission === null) scope.reply(404, { message: 'Not Found' });
  else scope.reply(200, { permission, role_name: permission, user: { login } });
}

/** A real pull_request payload, opened by `author` with an association, on SHA. */
export function prEvent(action: string, patch: (p: any) => void = () => {}) {
  return examplePayload('pull_request', action, () => true, (p) => {
    p.pull_request.head.sha = SHA;
    p.pull_request.user.login = 'vendor-dev';
    p.pull_request.author_association = 'MEMBER';
    p.pull_request.labels = [];
    p.pull_request.state = 'open';
    p.sender.login = 'vendor-dev';
    p.sender.type = 'User';
    patch(p);
  });
}

/** A real issue_comment payload on pull request #`pr`, by `login`. */
let commentSeq = 800;
export function commentEvent(pr: number, body: string, login: string, author = 'outsider') {
  return examplePayload('issue_comment', 'created', () => true, (p) => {
    p.comment.id = ++commentSeq;
    p.issue.number = pr;
    p.issue.pull_request = { url: `https://api.github.com${base}/pulls/${pr}` };
    p.issue.state = 'open';
    p.issue.user.login = author;
    p.comment.body = body;
    p.comment.user.login = login;
    p.comment.user.type = 'User';
    p.sender.login = login;
    p.sender.type = 'User';
  });
}

/** A real check_run.rerequested payload for one of netbot's runs, on the tests' repository. */
export function rerunEvent(checkRunId: number, login = 'vendor-dev') {
  const repository = prEvent('opened').repository;
  return examplePayload('check_run', 'rerequested', () => true, (p) => {
    p.repository = repository;
    p.check_run.id = checkRunId;
    p.check_run.head_sha = SHA;
    p.sender.login = login;
    p.sender.type = 'User';
  });
}

/** A real check_suite.rerequested payload ("Re-run all checks"); a fork's names no pull request. */
export function suiteRerunEvent(opts: { fork?: boolean } = {}) {
  return examplePayload('check_suite', 'rerequested', () => true, (p) => {
    p.check_suite.head_sha = SHA;
    if (opts.fork) p.check_suite.pull_requests = [];
    else p.check_suite.pull_requests = [{ number: 2, head: { sha: SHA }, base: { ref: 'master' } }];
    p.sender.login = 'vendor-dev';
    p.sender.type = 'User';
  });
}
