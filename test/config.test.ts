import nock from 'nock';
import { Probot } from 'probot';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../src/config.js';
import { configCheckRoom, reportInvalidConfigOnce, CONFIG_CHECK_NAME } from '../src/config-check/index.js';
import { RepoConfigs } from '../src/core/config-loader.js';
import { onEvent } from '../src/core/on-event.js';
import { createServices, type AppServices } from '../src/services.js';
import { examplePayload } from './helpers/payloads.js';
import { mockConfig, mockInstallationToken, TEST_APP_ID, TEST_PRIVATE_KEY, TestOctokit } from './helpers/probot.js';

describe('parseConfig', () => {
  test('no file at all: defaults that fit netcore (four subteams, each with label, globs and keywords)', () => {
    const result = parseConfig(null);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.config.subteams)).toEqual(['l3', 'db', 'lbaas', 'ipv6']);
    for (const team of Object.values(result.config.subteams)) {
      expect(team.label).toMatch(/^area\//);
      expect(team.paths.length).toBeGreaterThan(0);
      expect(team.keywords.length).toBeGreaterThan(0);
      expect(team.leads).toEqual([]);
    }
    expect(result.config.labels.lowHangingFruit).toBe('low-hanging-fruit');
    expect(result.config.triage.claims).toEqual({ maxOpenPerPerson: 1, staleDays: 14 });
    expect(result.config).toEqual(DEFAULT_CONFIG);
  });

  test('a valid file: given keys win, the rest default', () => {
    const result = parseConfig({
      maintainers: ['markmcclain'],
      subteams: { l3: { name: 'L3', label: 'L3', leads: ['carl-baldwin'], backups: ['amuller'], paths: ['neutron/agent/l3/**'] } },
      triage: { lhfThreshold: 0.7, claims: { staleDays: 7 } },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.config.subteams)).toEqual(['l3']);
    expect(result.config.subteams.l3).toMatchObject({ leads: ['carl-baldwin'], keywords: [], color: '1d76db' });
    expect(result.config.triage.claims).toEqual({ maxOpenPerPerson: 1, staleDays: 7 });
    expect(result.config.routing.maxOpenReviews).toBe(5);
  });

  test.each([
    ['an unknown top-level key (a typo)', { maintainer: ['x'] }, '(root)', /unknown key: maintainer/],
    ['a wrong type', { triage: { lhfThreshold: 'high' } }, 'triage.lhfThreshold', /number/],
    ['a value out of range', { triage: { lhfThreshold: 1.5 } }, 'triage.lhfThreshold', /<=1/],
    ['a bad login deep in a list', { subteams: { db: { name: 'DB', label: 'area/db', leads: ['ok', 'not a login!'] } } }, 'subteams.db.leads.1', /GitHub login/],
    ['a missing required key', { subteams: { db: { label: 'area/db' } } }, 'subteams.db.name', /string/],
    ['an unknown key inside a subteam', { subteams: { db: { name: 'DB', label: 'x', lead: ['a'] } } }, 'subteams.db', /unknown key: lead/],
    ['a bad colour', { subteams: { db: { name: 'DB', label: 'x', color: '#ff0000' } } }, 'subteams.db.color', /hex/],
    ['a bad subteam key', { subteams: { 'L 3': { name: 'L3', label: 'x' } } }, 'subteams.L 3', /lower-case/],
    ['a list where a mapping belongs', ['a', 'b'], '(root)', /mapping/],
    ['two subteams on one label (any case)', { subteams: { a: { name: 'A', label: 'area/x' }, b: { name: 'B', label: 'Area/X' } } }, 'subteams.b.label', /already the label of subteams\.a/],
    ['a subteam on a triage label', { subteams: { a: { name: 'A', label: 'low-hanging-fruit' } } }, 'subteams.a.label', /labels\.lowHangingFruit/],
    ['a template override naming no template (a typo)', { templates: { 'triage/welcom.md.njk': '.github/welcome.njk' } }, 'templates.triage/welcom.md.njk', /not one of netbot's templates/],
    ['a template override outside templates/', { templates: { '../package.json': 'x' } }, 'templates.../package.json', /not one of netbot's templates/],
    ['a glob picomatch refuses (it would throw in every handler)', { subteams: { a: { name: 'A', label: 'x', paths: ['src/**', `src/${'a'.repeat(70_000)}`] } } }, 'subteams.a.paths.1', /picomatch/],
    ['a keyword of only spaces or punctuation (it would match every text)', { subteams: { a: { name: 'A', label: 'x', keywords: ['ok', ' ', '-'] } } }, 'subteams.a.keywords.1', /letter or digit/],
    ['an agenda schedule that is not a cron expression', { agenda: { schedule: 'every monday' } }, 'agenda.schedule', /cron expression/],
    ['an agenda time zone that does not exist', { agenda: { timezone: 'Mars/Olympus' } }, 'agenda.timezone', /time zone/],
    ['a check plugin that is no plugin name', { checks: { plugins: ['sqlite', 'rm -rf /'] } }, 'checks.plugins.1', /plugin name/],
    ['a check plugin listed twice', { checks: { plugins: ['sqlite', 'sqlite'] } }, 'checks.plugins', /twice/],
  ])('%s is reported with its key path', (_what, raw, path, message) => {
    const result = parseConfig(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.problems.find((p) => p.path === path);
    expect(problem, JSON.stringify(result.problems)).toBeDefined();
    expect(problem!.message).toMatch(message);
  });
});

describe('a repository with an invalid config', () => {
  let services: AppServices;
  let probot: Probot;
  let handled: number;
  const payload = examplePayload('issues', 'opened');
  const owner = payload.repository.owner.login;
  const repo = payload.repository.name;

  beforeEach(async () => {
    nock.disableNetConnect();
    services = await createServices(':memory:');
    handled = 0;
    probot = new Probot({ appId: TEST_APP_ID, privateKey: TEST_PRIVATE_KEY, Octokit: TestOctokit, logLevel: 'fatal' } as any);
    await probot.load((app, options) => {
      configCheckRoom.register(app, services, options);
      onEvent(app, services, 'issues.opened', 'test.feature', async () => {
        handled++;
      });
    });
    mockInstallationToken();
  });
  afterEach(async () => {
    await services.close();
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  /** The one write an invalid config causes: a failed check run on the default branch head, once. */
  function expectOneFailedCheck(match: RegExp) {
    nock('https://api.github.com').get(`/repos/${owner}/${repo}/commits/${payload.repository.default_branch}`).reply(200, { sha: 'c'.repeat(40) });
    nock('https://api.github.com')
      .post(`/repos/${owner}/${repo}/check-runs`, (b) => b.conclusion === 'failure' && b.head_sha === 'c'.repeat(40) && match.test(b.output.summary))
      .reply(201, { id: 3 });
  }

  test('acts on nothing: the feature never runs; the problem is reported once as a failed check run', async () => {
    mockConfig(owner, repo, 'triage:\n  lhfThreshold: lots\n');
    expectOneFailedCheck(/triage\.lhfThreshold/);
    await probot.receive({ id: 'd1', name: 'issues', payload } as any);
    await probot.receive({ id: 'd2', name: 'issues', payload } as any); // cached, and already reported: no calls
    expect(handled).toBe(0);
  });

  test('YAML that does not parse is reported the same way', async () => {
    mockConfig(owner, repo, 'subteams: [unclosed\n');
    expectOneFailedCheck(/\\\(file\\\) \| Configuration could not be parsed/);
    await probot.receive({ id: 'd1', name: 'issues', payload } as any);
    expect(handled).toBe(0);
  });

  test('a valid config lets the feature run', async () => {
    mockConfig(owner, repo, 'maintainers: [octocat]\n');
    await probot.receive({ id: 'd1', name: 'issues', payload } as any);
    expect(handled).toBe(1);
  });

  test('a push that breaks the file gets a failing check run naming each key; fixing it passes and resumes', async () => {
    const push = examplePayload('push', undefined, (p) => p.commits?.length > 0, (p) => {
      p.ref = `refs/heads/${p.repository.default_branch}`;
      p.commits[0].modified = ['.github/netbot.yml'];
      p.after = 'a'.repeat(40);
    });
    const pushOwner = push.repository.owner.login;
    const pushRepo = push.repository.name;
    mockConfig(pushOwner, pushRepo, 'triage:\n  lhfThreshold: 2\nroutng: {}\n');
    let summary = '';
    nock('https://api.github.com')
      .post(`/repos/${pushOwner}/${pushRepo}/check-runs`, (body) => {
        summary = body.output.summary;
        return body.name === CONFIG_CHECK_NAME && body.conclusion === 'failure' && body.head_sha === 'a'.repeat(40);
      })
      .reply(201, { id: 1 });
    await probot.receive({ id: 'p1', name: 'push', payload: push } as any);
    expect(summary).toContain('| triage.lhfThreshold |');
    expect(summary).toContain('unknown key: routng');

    push.after = 'b'.repeat(40);
    mockConfig(pushOwner, pushRepo, 'triage:\n  lhfThreshold: 0.5\n');
    nock('https://api.github.com')
      .post(`/repos/${pushOwner}/${pushRepo}/check-runs`, (body) => body.conclusion === 'success' && body.head_sha === 'b'.repeat(40))
      .reply(201, { id: 2 });
    await probot.receive({ id: 'p2', name: 'push', payload: push } as any);
    const result = await services.configs.get({ repo: () => ({ owner: pushOwner, repo: pushRepo }) } as any);
    expect(result.ok).toBe(true);
  });
});

describe('the config check run is posted once per distinct problem set', () => {
  let services: AppServices;
  let probot: Probot;
  const push = examplePayload('push', undefined, (p) => p.commits?.length > 0, (p) => {
    p.ref = `refs/heads/${p.repository.default_branch}`;
    p.commits[0].modified = ['.github/netbot.yml'];
    p.after = 'a'.repeat(40);
  });
  const owner = push.repository.owner.login;
  const repo = push.repository.name;
  const issue = examplePayload('issues', 'opened', undefined, (p) => (p.repository = push.repository));
  const checkRuns: string[] = [];

  beforeEach(async () => {
    nock.disableNetConnect();
    services = await createServices(':memory:');
    probot = new Probot({ appId: TEST_APP_ID, privateKey: TEST_PRIVATE_KEY, Octokit: TestOctokit, logLevel: 'fatal' } as any);
    await probot.load((app, options) => {
      configCheckRoom.register(app, services, options);
      onEvent(app, services, 'issues.opened', 'test.feature', async () => {});
    });
    mockInstallationToken();
    checkRuns.length = 0;
    nock('https://api.github.com')
      .post(`/repos/${owner}/${repo}/check-runs`, (b) => {
        checkRuns.push(`${b.conclusion} ${b.head_sha}`);
        return true;
      })
      .reply(201, { id: 1 })
      .persist();
    nock('https://api.github.com').get(`/repos/${owner}/${repo}/commits/${push.repository.default_branch}`).reply(200, { sha: 'c'.repeat(40) }).persist();
  });
  afterEach(async () => {
    nock.cleanAll();
    await services.close();
  });

  test('two features handling one event report an invalid config once, not once each', async () => {
    await probot.load((app) => onEvent(app, services, 'issues.opened', 'test.second-feature', async () => {}));
    mockConfig(owner, repo, 'routng: {}\n');
    await probot.receive({ id: 'i1', name: 'issues', payload: issue } as any);
    expect(checkRuns).toEqual([`failure ${'c'.repeat(40)}`]);
  });

  test('a push that reported the problems is not followed by a second identical report from the next event', async () => {
    mockConfig(owner, repo, 'routng: {}\n');
    await probot.receive({ id: 'p1', name: 'push', payload: push } as any);
    await probot.receive({ id: 'i1', name: 'issues', payload: issue } as any);
    expect(checkRuns).toEqual([`failure ${'a'.repeat(40)}`]);
  });

  test('a force push (or one of 20+ commits, which GitHub lists only in part) may change the file unlisted: the config is read again', async () => {
    mockConfig(owner, repo, 'maintainers: []\n');
    await probot.receive({ id: 'i1', name: 'issues', payload: issue } as any); // valid, cached
    const forced = { ...push, forced: true, commits: [], head_commit: null };
    await probot.receive({ id: 'p1', name: 'push', payload: forced } as any);
    mockConfig(owner, repo, 'routng: {}\n');
    await probot.receive({ id: 'i2', name: 'issues', payload: issue } as any);
    expect(checkRuns).toEqual([`failure ${'c'.repeat(40)}`]);
  });

  test('after a fix, the same problems coming back are reported again', async () => {
    mockConfig(owner, repo, 'routng: {}\n');
    await probot.receive({ id: 'i1', name: 'issues', payload: issue } as any); // reported on the branch head
    mockConfig(owner, repo, 'maintainers: []\n');
    await probot.receive({ id: 'p1', name: 'push', payload: push } as any); // fixed: passes
    services.configs.invalidate({ owner, repo }); // broken again by a change outside this repository (its owner's .github)
    mockConfig(owner, repo, 'routng: {}\n');
    await probot.receive({ id: 'i2', name: 'issues', payload: issue } as any);
    expect(checkRuns).toEqual([`failure ${'c'.repeat(40)}`, `success ${'a'.repeat(40)}`, `failure ${'c'.repeat(40)}`]);
  });
});

test('a huge broken file: the check run lists the first 100 problems, a count of the rest, and still ends with the reference', async () => {
  const subteams = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`t${i}`, { name: 'T', label: `l${i}`, leads: ['not a login!'] }]));
  const result = parseConfig({ subteams });
  if (result.ok) throw new Error('expected problems');
  let summary = '';
  const context = {
    repo: () => ({ owner: 'o', repo: 'r' }),
    payload: { repository: { id: 77, default_branch: 'main' } },
    octokit: {
      rest: {
        repos: { getCommit: async () => ({ data: { sha: 'c'.repeat(40) } }) },
        checks: { create: async (body: any) => void (summary = body.output.summary) },
      },
    },
  };
  const services = await createServices(':memory:');
  await reportInvalidConfigOnce(context as any, services, result.problems);
  await services.close();
  expect(summary.match(/^\| subteams\./gm)).toHaveLength(100);
  expect(summary).toContain('…and 200 more problems');
  expect(summary.trimEnd()).toMatch(/README\.$/);
});

describe('loading the file: problems Probot loading would hide', () => {
  const octokit = new TestOctokit({ auth: 'token' }) as any;
  const ref = { owner: 'netcore-org', repo: 'netcore' };
  const file = (repo: string) => `/repos/netcore-org/${repo}/contents/${encodeURIComponent('.github/netbot.yml')}`;
  const raw = { 'content-type': 'application/vnd.github.v3.raw; charset=utf-8' };
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  test('_extends naming a repository that does not exist (or the app cannot read) is reported, not silently dropped', async () => {
    nock('https://api.github.com').get(file('netcore')).reply(200, '_extends: netbot-defaults\nmaintainers: [octocat]\n', raw);
    nock('https://api.github.com').get(file('netbot-defaults')).reply(404, { message: 'Not Found' });
    const result = await new RepoConfigs(parseConfig, DEFAULT_CONFIG).fetch(octokit, ref);
    expect(result).toEqual({ ok: false, problems: [{ path: '_extends', message: expect.stringContaining('netcore-org/netbot-defaults') }] });
  });

  test('YAML that does not parse says where', async () => {
    nock('https://api.github.com').get(file('netcore')).reply(200, 'maintainers: [a\ntriage:\n  enabled: true\n', raw);
    const result = await new RepoConfigs(parseConfig, DEFAULT_CONFIG).fetch(octokit, ref);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]!.message).toMatch(/invalid YAML.*line \d+/);
  });

  test('a scalar at the root is not a mapping (Probot would merge it away into all defaults)', async () => {
    nock('https://api.github.com').get(file('netcore')).reply(200, '42\n', raw);
    const result = await new RepoConfigs(parseConfig, DEFAULT_CONFIG).fetch(octokit, ref);
    expect(result).toEqual({ ok: false, problems: [{ path: '(root)', message: expect.stringMatching(/mapping/) }] });
  });

  test("an invalid default in the owner's .github repository is reported with its key path and the file it is in", async () => {
    nock('https://api.github.com').get(file('netcore')).reply(404, { message: 'Not Found' });
    nock('https://api.github.com').get(file('.github')).reply(200, 'routing:\n  maxOpenReviews: many\n', raw);
    const result = await new RepoConfigs(parseConfig, DEFAULT_CONFIG).fetch(octokit, ref);
    expect(result).toMatchObject({ ok: false, problems: [{ path: 'routing.maxOpenReviews', message: expect.stringMatching(/\(in netcore-org\/\.github:\.github\/netbot\.yml\)$/) }] });
  });
});
