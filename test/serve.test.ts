import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { expect, test, vi } from 'vitest';
import { cliOctokit } from '../src/github/cli-octokit.js';
import { readCredentials } from '../src/app-env.js';
import { prepareServe } from '../src/serve.js';
import { TEST_PRIVATE_KEY } from './helpers/probot.js';

const dir = () => mkdtempSync(join(tmpdir(), 'netbot-serve-'));
/** What serve starts with: the app's id and its key, whole. */
const APP = { mode: 'app', appId: 123, privateKey: expect.stringMatching(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n?$/) };

test('nothing set: setup mode', () => {
  expect(readCredentials({}, dir())).toEqual({ mode: 'setup' });
});

test('credentials in .env (where the setup page writes them) are seen: no "no credentials yet" message', () => {
  const cwd = dir();
  writeFileSync(join(cwd, 'key.pem'), TEST_PRIVATE_KEY);
  writeFileSync(join(cwd, '.env'), 'APP_ID=123\nPRIVATE_KEY_PATH=key.pem\nWEBHOOK_SECRET=s\n');
  expect(readCredentials({}, cwd)).toEqual(APP);
});

test('APP_ID alone, or a key alone, is a one-line error naming what is missing', () => {
  const onlyId = readCredentials({ APP_ID: '123' }, dir());
  expect(onlyId).toMatchObject({ mode: 'error', message: expect.stringMatching(/^APP_ID is set but neither PRIVATE_KEY nor PRIVATE_KEY_PATH/) });
  expect(readCredentials({ PRIVATE_KEY: TEST_PRIVATE_KEY }, dir())).toMatchObject({ mode: 'error', message: expect.stringMatching(/APP_ID is not/) });
  expect(readCredentials({ APP_ID: 'my-app', PRIVATE_KEY: TEST_PRIVATE_KEY }, dir())).toEqual({ mode: 'error', message: `APP_ID must be the app's number, not "my-app"` });
});

test('an unreadable PRIVATE_KEY_PATH or a PRIVATE_KEY that is no key is a one-line error, not setup mode', () => {
  const missing = readCredentials({ APP_ID: '123', PRIVATE_KEY_PATH: '/nonexistent/key.pem' }, dir());
  expect(missing).toEqual({ mode: 'error', message: 'cannot read PRIVATE_KEY_PATH /nonexistent/key.pem: no such file' });
  const garbage = readCredentials({ APP_ID: '123', PRIVATE_KEY: 'garbage' }, dir());
  expect(garbage).toMatchObject({ mode: 'error', message: expect.stringMatching(/^PRIVATE_KEY is not a PEM private key/) });
  for (const result of [missing, garbage]) expect((result as { message: string }).message).not.toContain('\n');
});

test('a complete set starts the app, the key as PEM, base64 or with escaped newlines (as Probot reads it)', () => {
  expect(readCredentials({ APP_ID: '123', PRIVATE_KEY: TEST_PRIVATE_KEY }, dir())).toEqual(APP);
  expect(readCredentials({ APP_ID: '123', PRIVATE_KEY: Buffer.from(TEST_PRIVATE_KEY).toString('base64') }, dir())).toEqual(APP);
  expect(readCredentials({ APP_ID: '123', PRIVATE_KEY: TEST_PRIVATE_KEY.trim().replace(/\n/g, '\\n') }, dir())).toEqual(APP);
});

test('APP_ID with the one *.pem file in the working directory starts the app (Probot takes that file)', () => {
  const cwd = dir();
  writeFileSync(join(cwd, 'netbot.2026-11-25.private-key.pem'), TEST_PRIVATE_KEY);
  expect(readCredentials({ APP_ID: '123' }, cwd)).toEqual(APP);
});

test('the CLI reaches GitHub with the credentials serve uses, also when they are in .env (as the setup page writes them)', async () => {
  const cwd = dir();
  writeFileSync(join(cwd, '.env'), `APP_ID=123\nPRIVATE_KEY="${TEST_PRIVATE_KEY.trim()}"\nWEBHOOK_SECRET=s\n`);
  for (const name of ['GITHUB_TOKEN', 'APP_ID', 'PRIVATE_KEY', 'PRIVATE_KEY_PATH']) vi.stubEnv(name, undefined);
  const before = process.cwd();
  process.chdir(cwd);
  try {
    nock.disableNetConnect();
    nock('https://api.github.com').get('/repos/netcore/netcore/installation').reply(200, { id: 9 });
    await expect(cliOctokit('netcore', 'netcore')).resolves.toBeDefined();
    expect(nock.pendingMocks()).toEqual([]);
  } finally {
    process.chdir(before);
    vi.unstubAllEnvs();
    nock.cleanAll();
  }
});

test('NETBOT_DB set in .env is the store serve opens (Probot applies .env only later, after the store was opened)', () => {
  const cwd = dir();
  writeFileSync(join(cwd, '.env'), `NETBOT_DB=${join(cwd, 'from-dotenv.sqlite')}\n`);
  vi.stubEnv('NETBOT_DB', undefined);
  vi.stubEnv('DATABASE_URL', undefined);
  try {
    expect(prepareServe(cwd).location).toBe(join(cwd, 'from-dotenv.sqlite'));
  } finally {
    delete process.env.NETBOT_DB;
    vi.unstubAllEnvs(); // puts back whatever the runner had
  }
});

test('DATABASE_URL set in .env wins over NETBOT_DB: serve opens that PostgreSQL', () => {
  const cwd = dir();
  writeFileSync(join(cwd, '.env'), `DATABASE_URL=postgres://netbot@db.example.org:5432/netbot\nNETBOT_DB=${join(cwd, 'unused.sqlite')}\n`);
  vi.stubEnv('NETBOT_DB', undefined);
  vi.stubEnv('DATABASE_URL', undefined);
  try {
    expect(prepareServe(cwd).location).toBe('postgres://netbot@db.example.org:5432/netbot');
  } finally {
    delete process.env.NETBOT_DB;
    delete process.env.DATABASE_URL;
    vi.unstubAllEnvs();
  }
});
