import { afterEach, expect, test, vi } from 'vitest';
import { registerWorker } from '../../src/worker.js';
import { runCli } from '../netcore/helpers.js';

afterEach(() => vi.unstubAllEnvs());

test('netbot worker needs the App credentials (its jobs write to GitHub), and a whole --concurrency', async () => {
  for (const name of ['APP_ID', 'PRIVATE_KEY', 'PRIVATE_KEY_PATH']) vi.stubEnv(name, undefined);
  await expect(runCli(registerWorker, 'worker')).rejects.toThrow('netbot worker needs the GitHub App credentials');
  vi.stubEnv('APP_ID', '123');
  await expect(runCli(registerWorker, 'worker')).rejects.toThrow(/PRIVATE_KEY/);
  await expect(runCli(registerWorker, 'worker', '--concurrency', 'two')).rejects.toThrow('--concurrency takes a positive whole number, not "two"');
});
