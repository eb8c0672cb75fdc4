import nock from 'nock';
import { generateKeyPairSync } from 'node:crypto';
import { Probot, ProbotOctokit, type ApplicationFunctionOptions } from 'probot';
import { createApp } from '../../src/index.js';
import { createServices, ROOMS, type AppServices } from '../../src/services.js';
import { registerCoreHandlers } from '../../src/core/handlers.js';

export const TEST_APP_ID = 123;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
export const TEST_PRIVATE_KEY = privateKey;

export const TestOctokit = ProbotOctokit.defaults((instanceOptions: any) => ({
  ...instanceOptions,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

type PageHandler = Parameters<ApplicationFunctionOptions['addHandler']>[0];

export interface TestBot {
  probot: Probot;
  services: AppServices;
  /** The HTTP handlers the rooms registered (the board). */
  handlers: PageHandler[];
  /** Delivers a webhook as GitHub would; `id` is the X-GitHub-Delivery id. */
  receive(name: string, payload: unknown, id?: string): Promise<void>;
}

let deliverySeq = 0;

/**
 * A Probot instance running netbot (all rooms, or only those named) on a fresh store, with GitHub mocked by
 * nock (real network off). The store is in-memory SQLite unless `store` names another (a PostgreSQL URL).
 * No background worker: tests run jobs with `services.runner.drain()`.
 */
export async function createTestBot(opts: { now?: () => Date; rooms?: string[]; store?: string } = {}): Promise<TestBot> {
  nock.disableNetConnect();
  nock.enableNetConnect(/(127\.0\.0\.1|localhost)/);
  const services = await createServices(opts.store ?? ':memory:', { now: opts.now });
  const probot = new Probot({ appId: TEST_APP_ID, privateKey: TEST_PRIVATE_KEY, Octokit: TestOctokit, logLevel: 'fatal' } as any);
  const handlers: PageHandler[] = [];
  const addHandler = (h: PageHandler) => void handlers.push(h);
  if (opts.rooms) {
    await probot.load(async (app: Probot, options: ApplicationFunctionOptions) => {
      services.log ??= app.log;
      services.octokitFor ??= async (id) => (await app.auth(id)) as any;
      registerCoreHandlers(app, services);
      for (const room of ROOMS.filter((r) => opts.rooms!.includes(r.name))) room.register(app, services, options);
    }, { cwd: process.cwd(), addHandler });
  } else {
    await probot.load(createApp({ services, worker: false }), { cwd: process.cwd(), addHandler });
  }
  return {
    probot,
    services,
    handlers,
    async receive(name, payload, id = `delivery-${++deliverySeq}`) {
      await probot.receive({ id, name, payload } as any);
    },
  };
}

/** Mocks the installation access token; persist() so every event in the test gets one. */
export function mockInstallationToken(installationId = 2) {
  return nock('https://api.github.com')
    .post(`/app/installations/${installationId}/access_tokens`)
    .reply(200, { token: 'test-token', permissions: { issues: 'write', pull_requests: 'write', checks: 'write', contents: 'read' } })
    .persist();
}

/** Mocks the config lookups: .github/netbot.yml in the repo (404 or YAML text) and the owner's .github repo (404). */
export function mockConfig(owner: string, repo: string, yamlText?: string) {
  const scope = nock('https://api.github.com');
  const path = `/repos/${owner}/${repo}/contents/${encodeURIComponent('.github/netbot.yml')}`;
  if (yamlText === undefined) {
    scope.get(path).reply(404, { message: 'Not Found' });
    scope.get(`/repos/${owner}/.github/contents/${encodeURIComponent('.github/netbot.yml')}`).reply(404, { message: 'Not Found' });
  } else {
    scope.get(path).reply(200, yamlText, { 'content-type': 'application/vnd.github.v3.raw; charset=utf-8' });
  }
  return scope;
}

export function resetNock(): void {
  nock.cleanAll();
}

/** For afterEach: every mocked GitHub call was made (a missing write fails the test), then the mocks are cleared. */
export function expectAllMocksUsed(): void {
  const pending = nock.pendingMocks();
  nock.cleanAll(); // before asserting, so one test's leftovers never fail the next
  if (pending.length > 0) throw new Error(`GitHub calls the test expected but the app never made:\n  ${pending.join('\n  ')}`);
}
