import type { Command } from 'commander';
import { Probot } from 'probot';
import { createApp } from './index.js';
import { prepareServe } from './serve.js';
import { createServices } from './services.js';

/**
 * `netbot worker`: runs durable jobs (pull requests' check runs, the sweeps, the agenda) without serving
 * webhooks: as many as needed, on other machines too when the store is PostgreSQL (DATABASE_URL).
 */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run durable jobs (check runs, sweeps, the agenda) without serving webhooks; reads the same environment as serve')
    .option('--concurrency <n>', 'check runs at once in this process (NETBOT_CHECKS_CONCURRENCY)')
    .action(async (opts: { concurrency?: string }) => {
      if (opts.concurrency !== undefined && !/^[1-9]\d*$/.test(opts.concurrency)) throw new Error(`--concurrency takes a positive whole number, not "${opts.concurrency}"`);
      const { credentials, location } = prepareServe();
      if (credentials.mode === 'error') throw new Error(credentials.message);
      if (credentials.mode !== 'app') throw new Error('netbot worker needs the GitHub App credentials (APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH): its jobs write to GitHub');
      if (opts.concurrency !== undefined) process.env.NETBOT_CHECKS_CONCURRENCY = opts.concurrency;
      const services = await createServices(location);
      const probot = new Probot({ appId: credentials.appId, privateKey: credentials.privateKey, logLevel: (process.env.LOG_LEVEL as 'info' | undefined) ?? 'info' });
      await probot.load(createApp({ services, worker: true }));
      probot.log.info({ store: services.store.describe }, 'netbot worker: running jobs (no webhooks served here)');
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      probot.log.info('netbot worker: stopping after the jobs it runs');
      await services.close();
    });
}
