import nock from 'nock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../src/config.js';
import { CORE_MIGRATIONS } from '../../src/core/services.js';
import { migrate, openDatabase, type StoreDb } from '../../src/core/store/index.js';
import { Labels } from '../../src/github/labels.js';
import { MaintainerCheck } from '../../src/github/permissions.js';
import { TestOctokit } from '../helpers/probot.js';

const repo = { owner: 'netcore', repo: 'netcore' };
const issue = { ...repo, repoId: 1001, issue_number: 42 };
const octokit = new TestOctokit({ auth: 'token' }) as any;
const api = () => nock('https://api.github.com');
let store: StoreDb;
let labels: Labels;

beforeEach(async () => {
  nock.disableNetConnect();
  store = openDatabase(':memory:');
  await migrate(store, CORE_MIGRATIONS);
  labels = new Labels(store.db);
});
afterEach(async () => {
  await store.close();
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

test('ensure creates only the missing labels, with colour and description, once per process', async () => {
  api().get('/repos/netcore/netcore/labels').query(true).reply(200, [{ name: 'Area/L3' }]);
  api()
    .post('/repos/netcore/netcore/labels', { name: 'low-hanging-fruit', color: '7057ff', description: 'A good first bug' })
    .reply(201, {});
  const specs = [
    { name: 'area/l3', color: '0e8a16' },
    { name: 'low-hanging-fruit', color: '7057ff', description: 'A good first bug' },
  ];
  await labels.ensure(octokit, repo, specs);
  await labels.ensure(octokit, repo, specs); // cached: no calls
});

test('ensure tolerates a label created meanwhile (422)', async () => {
  api().get('/repos/netcore/netcore/labels').query(true).reply(200, []);
  api().post('/repos/netcore/netcore/labels').reply(422, { message: 'already_exists' });
  await labels.ensure(octokit, repo, [{ name: 'needs-triage', color: 'ededed' }]);
});

test('addMissing adds only labels the issue lacks, case-insensitively, and none a human removed', async () => {
  await labels.recordVeto(issue, 'area/db', 'markmcclain');
  api().post('/repos/netcore/netcore/issues/42/labels', { labels: ['area/ipv6'] }).reply(200, []);
  const added = await labels.addMissing(octokit, issue, ['Area/L3'], ['area/l3', 'area/db', 'area/ipv6']);
  expect(added).toEqual(['area/ipv6']);
  expect(await labels.addMissing(octokit, issue, ['Area/L3'], ['area/l3'])).toEqual([]); // no call at all
});

test('a veto ends when a human asks for the label again', async () => {
  await labels.recordVeto(issue, 'low-hanging-fruit', 'amuller');
  expect(await labels.isVetoed(issue, 'Low-Hanging-Fruit')).toBe(true);
  await labels.clearVeto(issue, 'low-hanging-fruit');
  expect(await labels.isVetoed(issue, 'low-hanging-fruit')).toBe(false);
});

test('a veto belongs to one repository, by id (another repository of the same name keeps none)', async () => {
  await labels.recordVeto(issue, 'area/db', 'markmcclain');
  expect(await labels.isVetoed({ ...issue, repoId: 1002 }, 'area/db')).toBe(false);
  expect(await labels.vetoed(issue, ['area/db', 'area/l3'])).toEqual(new Set(['area/db']));
});

test('maintainers: config list first, then write permission, one lookup per person per event', async () => {
  const parsed = parseConfig({ maintainers: ['markmcclain'] });
  if (!parsed.ok) throw new Error('bad config');
  const people = new MaintainerCheck(octokit, repo, parsed.config);
  expect(await people.isMaintainer('MarkMcClain')).toBe(true);
  api().get('/repos/netcore/netcore/collaborators/amuller/permission').once().reply(200, { permission: 'write', role_name: 'write' });
  api().get('/repos/netcore/netcore/collaborators/newbie/permission').once().reply(200, { permission: 'read', role_name: 'triage' });
  api().get('/repos/netcore/netcore/collaborators/stranger/permission').once().reply(404, {});
  expect(await people.isMaintainer('amuller')).toBe(true);
  expect(await people.isMaintainer('amuller')).toBe(true);
  expect(await people.isMaintainer('newbie')).toBe(false);
  expect(await people.isMaintainer('stranger')).toBe(false);
  expect(await people.isTriager('stranger')).toBe(false);
});

test('triagers from config may triage without write access', async () => {
  const parsed = parseConfig({ triagers: ['sam'] });
  if (!parsed.ok) throw new Error('bad config');
  expect(await new MaintainerCheck(octokit, repo, parsed.config).isTriager('sam')).toBe(true);
  expect(DEFAULT_CONFIG.triagers).toEqual([]);
});

test('remove takes the label off as the issue spells it (GitHub answers 404 for another case, which read as "already gone")', async () => {
  api().delete('/repos/netcore/netcore/issues/42/labels/Area%2FL3').once().reply(200, []);
  expect(await labels.remove(octokit, issue, ['bug', 'Area/L3'], 'area/l3')).toBe(true);
});
