import { routingStoreFor, type RoutingStore } from '../../src/routing/store.js';
import { TEST_REPO_ID } from '../helpers/payloads.js';
import { createTestBot, mockConfig, mockInstallationToken, type TestBot } from '../helpers/probot.js';
import { routingYaml } from './fixtures.js';

/** The repository of the example payloads. */
export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
/** GitHub's id for it: what the stores key by. */
export const REPO_ID = TEST_REPO_ID;

/** The usual set-up: the whole app at a fixed time, the installation token, and the routing config in the repository. */
export async function routingBotWithConfig(now = '2026-11-25T12:00:00Z'): Promise<{ bot: TestBot; store: RoutingStore }> {
  const bot = await createTestBot({ now: () => new Date(now) });
  mockInstallationToken();
  mockConfig(OWNER, REPO, routingYaml());
  return { bot, store: routingStoreFor(bot.services) };
}

/** The repository as store refs name it (sticky comments, label vetoes). */
export const REPO_REF = { owner: OWNER, repo: REPO, repoId: REPO_ID };

/** The REST paths of one pull request: its own (files, reviewers) and its issue's (labels, comments). */
export const pathsOf = (pr: number) => ({ prPath: `/repos/${OWNER}/${REPO}/pulls/${pr}`, issuePath: `/repos/${OWNER}/${REPO}/issues/${pr}` });
