import type { Command } from 'commander';
import { run } from 'probot';
import { createApp } from './index.js';
import { createServices } from './services.js';
import { storePath } from './store/store.js';

/** `netbot serve`: the GitHub App's HTTP server (webhooks at /api/github/webhooks, plus the app's pages). */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the GitHub App server (reads APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, NETBOT_DB)')
    .action(async () => {
      const dbFile = storePath();
      const services = createServices(dbFile);
      const hasCredentials = Boolean(process.env.APP_ID && (process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH));
      if (!hasCredentials) {
        // Probot's setup mode would otherwise download smee-client at run time; webhooks proxying is opt-in.
        process.env.NO_SMEE_SETUP ??= 'true';
        const port = process.env.PORT ?? '3000';
        console.warn(
          [
            'netbot: no GitHub App credentials yet (APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH are not set).',
            `  Store ready at ${dbFile}. Starting in setup mode:`,
            `  1. open http://localhost:${port}/probot and press "Register GitHub App": it registers netbot from app.yml`,
            '     and writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET into .env;',
            '  2. or register it by hand (see README, "Registering the app") and put those three in .env;',
            '  3. then restart `npm start`.',
          ].join('\n'),
        );
      }
      await run(createApp(services));
    });
}
