import nock from 'nock';
import { Probot } from 'probot';
import { afterEach, expect, test } from 'vitest';
import { createApp } from '../../src/index.js';
import { createServices } from '../../src/services.js';
import { examplePayload } from '../helpers/payloads.js';
import { createTestBot, expectAllMocksUsed, mockConfig, mockInstallationToken, TEST_APP_ID, TEST_PRIVATE_KEY, TestOctokit } from '../helpers/probot.js';

afterEach(expectAllMocksUsed);
const R = '/repos/Codertocat/Hello-World';

const comment = (body: string) =>
  examplePayload('issue_comment', 'created', () => true, (p) => {
    p.comment.body = body;
    p.comment.user = { ...p.comment.user, login: 'someone', type: 'User' };
    p.sender = { ...p.sender, login: 'someone', type: 'User' };
    delete p.issue.pull_request;
  });

/** The one reply comment netbot posts; returns its body once posted. */
function expectReply() {
  let body = '';
  nock('https://api.github.com')
    .post(`${R}/issues/1/comments`, (b) => Boolean((body = b.body)))
    .reply(201, { id: 1 });
  return () => body;
}

test('/netbot help lists, from the registry, the commands this repository understands', async () => {
  const bot = await createTestBot();
  mockInstallationToken();
  mockConfig('Codertocat', 'Hello-World', 'routing:\n  enabled: false\n');
  const reply = expectReply();
  await bot.receive('issue_comment', comment('/netbot help'));
  const text = reply();
  expect(text).toContain('| `/claim` | anyone | issues |');
  expect(text).toContain('| `/netbot help` |');
  expect(text).not.toContain('/route'); // routing is off here
  expect(text).toContain('`/vacation on\\|off`'); // a `|` in a cell is escaped, or the row splits
  expect(text).toContain("the newcomers' comment"); // the registry's own text: no HTML entities (GitHub would show `&#92;` and split the row)
  expect(text).not.toMatch(/&#\d+;/);
  for (const row of text.split('\n').filter((l) => l.startsWith('| `'))) expect(row.split(/(?<!\\)\|/).length - 2).toBe(4);
  await bot.services.close();
});

test('/netbot alone, or with anything but help, says how to ask for help', async () => {
  const bot = await createTestBot();
  mockInstallationToken();
  mockConfig('Codertocat', 'Hello-World');
  const reply = expectReply();
  await bot.receive('issue_comment', comment('/netbot hello'));
  expect(reply()).toContain('Did you mean `/netbot help`?');
  await bot.services.close();
});

test('where no HTTP server exists (probot receive, serverless), the app loads and handles events, serving no pages', async () => {
  const services = await createServices(':memory:');
  const probot = new Probot({ appId: TEST_APP_ID, privateKey: TEST_PRIVATE_KEY, Octokit: TestOctokit, logLevel: 'fatal' } as any);
  // No addHandler given: Probot's own throws "No server instance" when a room registers a page.
  await expect(probot.load(createApp({ services, worker: false }))).resolves.toBeUndefined();
  nock.disableNetConnect();
  mockInstallationToken();
  mockConfig('Codertocat', 'Hello-World');
  const reply = expectReply();
  await probot.receive({ id: 'serverless-1', name: 'issue_comment', payload: comment('/netbot help') } as any);
  expect(reply()).toContain('/claim');
  await services.close();
});
