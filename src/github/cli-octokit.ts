import { Octokit as RestOctokit } from '@octokit/rest';
import { readFileSync } from 'node:fs';
import { ProbotOctokit } from 'probot';
import { appEnv, decodePrivateKey } from '../app-env.js';

/**
 * An Octokit for CLI commands (not webhooks): a token from GITHUB_TOKEN, or the GitHub App's own
 * credentials (APP_ID + PRIVATE_KEY or PRIVATE_KEY_PATH, from the environment or ./.env, as `serve` reads
 * them) authenticated as its installation on the repo.
 */
export async function cliOctokit(owner: string, repo: string, env: NodeJS.ProcessEnv = appEnv()): Promise<InstanceType<typeof ProbotOctokit> | RestOctokit> {
  if (env.GITHUB_TOKEN) return new RestOctokit({ auth: env.GITHUB_TOKEN, userAgent: 'netbot-cli' });
  const privateKey = env.PRIVATE_KEY ? decodePrivateKey(env.PRIVATE_KEY) : env.PRIVATE_KEY_PATH ? readFileSync(env.PRIVATE_KEY_PATH, 'utf8') : undefined;
  if (!env.APP_ID || !privateKey) {
    throw new Error('netbot: set GITHUB_TOKEN, or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH, to reach GitHub from the command line');
  }
  const app = new ProbotOctokit({ auth: { appId: Number(env.APP_ID), privateKey } });
  const { data } = await app.rest.apps.getRepoInstallation({ owner, repo });
  return new ProbotOctokit({ auth: { appId: Number(env.APP_ID), privateKey, installationId: data.id } });
}

/** Parses `owner/repo`, with a clear error for anything else. */
export function parseRepoArg(value: string): { owner: string; repo: string } {
  const m = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(value.trim());
  if (!m) throw new Error(`expected owner/repo, got "${value}"`);
  return { owner: m[1]!, repo: m[2]! };
}
