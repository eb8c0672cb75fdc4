import nock from 'nock';
import { Probot } from 'probot';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { onEvent } from '../src/core/on-event.js';
import { createServices, type AppServices } from '../src/services.js';
import { examplePayload, TEST_REPO_ID } from './helpers/payloads.js';
import { mockConfig, mockInstallationToken, TEST_APP_ID, TEST_PRIVATE_KEY, TestOctokit } from './helpers/probot.js';

let services: AppServices;
let probot: Probot;
let runs: string[];
let failNext = false;
const payload = examplePayload('issue_comment', 'created');

beforeEach(async () => {
  nock.disableNetConnect();
  services = await createServices(':memory:');
  runs = [];
  probot = new Probot({ appId: TEST_APP_ID, privateKey: TEST_PRIVATE_KEY, Octokit: TestOctokit, logLevel: 'fatal' } as any);
  await probot.load((app) => {
    onEvent(app, services, 'issue_comment.created', 'test.first', async (context) => {
      if (failNext) {
        failNext = false;
        throw new Error('GitHub was down');
      }
      runs.push(`first:${context.id}`);
    });
    onEvent(app, services, 'issue_comment.created', 'test.second', async (context) => void runs.push(`second:${context.id}`));
  });
  mockInstallationToken();
  mockConfig(payload.repository.owner.login, payload.repository.name);
});
afterEach(async () => {
  nock.cleanAll();
  await services.close();
});

const deliver = (id: string) => probot.receive({ id, name: 'issue_comment', payload } as any);

test('the same X-GitHub-Delivery twice runs each handler once', async () => {
  await deliver('abc');
  await deliver('abc');
  expect(runs).toEqual(['first:abc', 'second:abc']);
});

test('a new delivery of the same event runs again', async () => {
  await deliver('abc');
  await deliver('def');
  expect(runs).toEqual(['first:abc', 'second:abc', 'first:def', 'second:def']);
});

test('a handler that failed runs again on redelivery; the one that succeeded does not', async () => {
  failNext = true;
  await expect(deliver('xyz')).rejects.toThrow();
  expect(runs).toEqual(['second:xyz']);
  await deliver('xyz');
  expect(runs).toEqual(['second:xyz', 'first:xyz']);
});

test("events sent by bots (the app's own comments) are ignored", async () => {
  const fromBot = structuredClone(payload);
  fromBot.sender.type = 'Bot';
  fromBot.sender.login = 'netbot[bot]';
  await probot.receive({ id: 'bot-1', name: 'issue_comment', payload: fromBot } as any);
  expect(runs).toEqual([]);
});

test("a record handler runs for bots' events too (records follow GitHub, whoever acted), with no config call", async () => {
  nock.cleanAll(); // no token, no config: any call now fails
  const recorded: string[] = [];
  await probot.load((app) => {
    onEvent(app, services, 'issue_comment.created', 'test.record', async (context, env) => void recorded.push(`${context.id}:${env.repo.repoId}`), { kind: 'record' });
  });
  const fromBot = structuredClone(payload);
  fromBot.sender.type = 'Bot';
  fromBot.sender.login = 'another-app[bot]';
  await probot.receive({ id: 'bot-2', name: 'issue_comment', payload: fromBot } as any);
  await probot.receive({ id: 'bot-2', name: 'issue_comment', payload: fromBot } as any);
  expect(recorded).toEqual([`bot-2:${TEST_REPO_ID}`]);
  expect(runs).toEqual([]);
});

test('handler names are room.handler (they key the delivery records)', async () => {
  await expect(probot.load((app) => onEvent(app, services, 'issues.opened', 'NoRoom', async () => {}))).rejects.toThrow('handler names are room.handler: NoRoom');
});

test('deliveries older than the redelivery window are pruned; recent ones are kept', async () => {
  const now = new Date('2026-11-25T00:00:00Z');
  await services.deliveries.claim('old', 'h', 'issues', new Date('2026-10-01T00:00:00Z'));
  await services.deliveries.claim('recent', 'h', 'issues', new Date('2026-11-20T00:00:00Z'));
  await services.deliveries.done('recent', 'h');
  expect(await services.deliveries.prune(now)).toBe(1);
  expect(await services.deliveries.claim('recent', 'h', 'issues', now)).toBe(false);
  expect(await services.deliveries.claim('old', 'h', 'issues', now)).toBe(true);
});

test('a claim left running by a process that stopped mid-handler is taken over by a later redelivery, not skipped forever', async () => {
  const t0 = new Date('2026-11-25T10:00:00Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
  expect(await services.deliveries.claim('crashed', 'h', 'issues', t0)).toBe(true); // never done: the process died
  expect(await services.deliveries.claim('crashed', 'h', 'issues', at(1))).toBe(false); // maybe still running
  expect(await services.deliveries.claim('crashed', 'h', 'issues', at(11))).toBe(true); // a redelivery runs it
  expect(await services.deliveries.claim('crashed', 'h', 'issues', at(12))).toBe(false);
  await services.deliveries.done('crashed', 'h');
  expect(await services.deliveries.claim('crashed', 'h', 'issues', at(60))).toBe(false); // done stays done
});

test('two features asking about one person in one event cost one permission lookup (cached per event)', async () => {
  const answers: boolean[] = [];
  await probot.load((app) => {
    for (const name of ['test.feature-a', 'test.feature-b']) {
      onEvent(app, services, 'issue_comment.created', name, async (context, env) => void answers.push(await env.people.isMaintainer(context.payload.sender.login)));
    }
  });
  const { owner, name } = { owner: payload.repository.owner.login, name: payload.repository.name };
  nock('https://api.github.com').get(`/repos/${owner}/${name}/collaborators/${payload.sender.login}/permission`).once().reply(200, { permission: 'write', role_name: 'write' });
  await deliver('people-1');
  expect(answers).toEqual([true, true]);
});
