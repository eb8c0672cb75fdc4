import { expect, test } from 'vitest';
import { cliErrorLine } from '../src/cli-error.js';
import { cliOctokit } from '../src/github/cli-octokit.js';

test('a failed command prints one "netbot:" prefix, also for errors that carry their own', async () => {
  const error = await cliOctokit('netcore', 'netcore', {}).catch((e: unknown) => e);
  expect(cliErrorLine(error)).toBe('netbot: set GITHUB_TOKEN, or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH, to reach GitHub from the command line');
  expect(cliErrorLine(new Error('expected owner/repo, got "x"'))).toBe('netbot: expected owner/repo, got "x"');
  expect(cliErrorLine('plain')).toBe('netbot: plain');
});
