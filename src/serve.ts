import type { Command } from 'commander';
import { run } from 'probot';
import { appEnv, readCredentials, type Credentials } from './app-env.js';
import { storeLocation } from './core/store/index.js';
import { createApp } from './index.js';
import { createServices } from './services.js';

/** `netbot serve`: the GitHub App server (webhooks at /api/github/webhooks, plus the app's pages), with a job worker. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the GitHub App server and a job worker (reads APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, DATABASE_URL or NETBOT_DB)')
    .action(async () => {
      const { credentials, location } = prepareServe();
      // A half-set or unreadable key would otherwise print Probot's stack trace and fall back to setup mode.
      if (credentials.mode === 'error') throw new Error(credentials.message);
      const services = await createServices(location);
      if (credentials.mode === 'setup') {
        // Probot's setup mode would otherwise download smee-client at run time; webhooks proxying is opt-in.
        process.env.NO_SMEE_SETUP ??= 'true';
        const port = process.env.PORT ?? '3000';
        console.warn(
          [
            'netbot: no GitHub App credentials yet (APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH are not set).',
            `  Store ready at ${services.store.describe}. Starting in setup mode:`,
            `  1. open http://localhost:${port}/probot and press "Register GitHub App": it registers netbot from app.yml`,
            '     and writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET into .env;',
            '  2. or register it by hand (see README, "Registering the app") and put those three in .env;',
            '  3. then restart `npm start`.',
          ].join('\n'),
        );
      }
      await run(createApp({ services, worker: credentials.mode === 'app' }));
    });
}

/**
 * Applies ./.env as Probot's `run` will (it overrides the environment), but first, so that DATABASE_URL,
 * NETBOT_DB and PORT set there are the ones used, then checks the credentials.
 */
export function prepareServe(cwd = process.cwd()): { credentials: Credentials; location: string } {
  Object.assign(process.env, appEnv(cwd, {}));
  return { credentials: readCredentials(process.env, cwd), location: storeLocation() };
}
