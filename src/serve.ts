import type { Command } from 'commander';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { run } from 'probot';
import { appEnv, decodePrivateKey } from './app-env.js';
import { createApp } from './index.js';
import { createServices } from './services.js';
import { storePath } from './store/store.js';

/** `netbot serve`: the GitHub App server (webhooks at /api/github/webhooks, plus the app's pages). */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the GitHub App server (reads APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, NETBOT_DB)')
    .action(async () => {
      const { credentials, dbFile } = prepareServe();
      // A half-set or unreadable key would otherwise print Probot's stack trace and fall back to setup mode.
      if (credentials.mode === 'error') throw new Error(credentials.message);
      const services = createServices(dbFile);
      if (credentials.mode === 'setup') {
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

/**
 * Applies ./.env as Probot's `run` will (it overrides the environment), but first, so that NETBOT_DB and PORT
 * set there are the ones used, then checks the credentials.
 */
export function prepareServe(cwd = process.cwd()): { credentials: CredentialCheck; dbFile: string } {
  Object.assign(process.env, appEnv(cwd, {}));
  return { credentials: checkCredentials(process.env, cwd), dbFile: storePath() };
}

export type CredentialCheck = { mode: 'app' } | { mode: 'setup' } | { mode: 'error'; message: string };

/**
 * What `serve` can start with, read as Probot reads it (the environment, overridden by `./.env`, where the
 * setup page writes the credentials): nothing set is setup mode; a half-set or unreadable key is an error.
 */
export function checkCredentials(processEnv: NodeJS.ProcessEnv, cwd = process.cwd()): CredentialCheck {
  const env = appEnv(cwd, processEnv);
  const keyVars = Boolean(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH);
  if (!env.APP_ID && !keyVars) return { mode: 'setup' };
  if (!env.APP_ID) return { mode: 'error', message: 'PRIVATE_KEY or PRIVATE_KEY_PATH is set but APP_ID is not: set both (or neither, for setup mode)' };
  if (!/^[1-9][0-9]*$/.test(env.APP_ID)) return { mode: 'error', message: `APP_ID must be the app's number, not "${env.APP_ID.slice(0, 40)}"` };
  let key: string;
  if (env.PRIVATE_KEY) {
    key = decodePrivateKey(env.PRIVATE_KEY);
  } else if (env.PRIVATE_KEY_PATH) {
    try {
      key = readFileSync(resolve(cwd, env.PRIVATE_KEY_PATH), 'utf8');
    } catch (error) {
      return { mode: 'error', message: `cannot read PRIVATE_KEY_PATH ${env.PRIVATE_KEY_PATH}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
  } else {
    // Probot also takes the one *.pem file in the working directory.
    const pems = readdirSync(cwd).filter((name) => name.endsWith('.pem'));
    if (pems.length !== 1) return { mode: 'error', message: 'APP_ID is set but neither PRIVATE_KEY nor PRIVATE_KEY_PATH is: set one (or neither, for setup mode)' };
    key = readFileSync(resolve(cwd, pems[0]!), 'utf8');
  }
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key)) {
    return { mode: 'error', message: `${env.PRIVATE_KEY ? 'PRIVATE_KEY' : 'the private key file'} is not a PEM private key (-----BEGIN RSA PRIVATE KEY-----)` };
  }
  return { mode: 'app' };
}
