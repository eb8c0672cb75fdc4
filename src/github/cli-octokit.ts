import { Octokit as RestOctokit } from '@octokit/rest';
import { ProbotOctokit } from 'probot';
import { appEnv, readCredentials } from '../app-env.js';

/**
 * An Octokit for CLI commands (not webhooks): a token from GITHUB_TOKEN, or the GitHub App's own
 * credentials (read as `serve` reads them, `.env` included) authenticated as its installation on the repo.
 */
export async function cliOctokit(owner: string, repo: string, env: NodeJS.ProcessEnv = appEnv()): Promise<InstanceType<typeof ProbotOctokit> | RestOctokit> {
  if (env.GITHUB_TOKEN) return new RestOctokit({ auth: env.GITHUB_TOKEN, userAgent: 'netbot-cli' });
  const credentials = readCredentials(env);
  if (credentials.mode === 'error') throw new Error(`netbot: ${credentials.message}`);
  if (credentials.mode === 'setup') throw new Error('netbot: set GITHUB_TOKEN, or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH, to reach GitHub from the command line');
  const { appId, privateKey } = credentials;
  const app = new ProbotOctokit({ auth: { appId, privateKey } });
  const { data } = await app.rest.apps.getRepoInstallation({ owner, repo });
  return new ProbotOctokit({ auth: { appId, privateKey, installationId: data.id } });
}

/** Parses `owner/repo`, with a clear error for anything else. */
export function parseRepoArg(value: string): { owner: string; repo: string } {
  const m = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(value.trim());
  if (!m) throw new Error(`expected owner/repo, got "${value}"`);
  return { owner: m[1]!, repo: m[2]! };
}
