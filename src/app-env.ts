import { getPrivateKey } from '@probot/get-private-key';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The environment as Probot reads it: the process's, overridden by `./.env` (where Probot's setup page
 * writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET), so `netbot serve` and the CLI see the same credentials.
 */
export function appEnv(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, ...readDotEnv(cwd) };
}

function readDotEnv(cwd: string): Record<string, string> {
  try {
    return parseEnv(readFileSync(resolve(cwd, '.env'), 'utf8')) as Record<string, string>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

export type Credentials = { mode: 'app'; appId: number; privateKey: string } | { mode: 'setup' } | { mode: 'error'; message: string };

/**
 * The GitHub App's credentials, read one way for `serve` and every CLI command, by Probot's own rules
 * (@probot/get-private-key: PRIVATE_KEY as PEM, base64 or with `\n` escapes; PRIVATE_KEY_PATH; else the one
 * *.pem file in the working directory). Nothing set is setup mode; a half-set or unreadable key is an error
 * in one line.
 */
export function readCredentials(processEnv: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Credentials {
  const env = appEnv(cwd, processEnv);
  const keyNamed = Boolean(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH);
  if (!env.APP_ID && !keyNamed) return { mode: 'setup' };
  if (!env.APP_ID) return { mode: 'error', message: 'PRIVATE_KEY or PRIVATE_KEY_PATH is set but APP_ID is not: set both (or neither, for setup mode)' };
  if (!/^[1-9][0-9]*$/.test(env.APP_ID)) return { mode: 'error', message: `APP_ID must be the app's number, not "${env.APP_ID.slice(0, 40)}"` };
  let privateKey: string | null;
  try {
    privateKey = getPrivateKey({ env: env as Record<string, string>, cwd });
  } catch (error) {
    const message = String((error as Error).message);
    if (/does not exists at path/.test(message)) return { mode: 'error', message: `cannot read PRIVATE_KEY_PATH ${env.PRIVATE_KEY_PATH}: no such file` };
    if (/could not be validated/.test(message)) return { mode: 'error', message: 'PRIVATE_KEY is not a PEM private key (-----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----)' };
    return { mode: 'error', message: message.replace(/^\[@probot\/get-private-key\]\s*/, '').split('\n')[0]! };
  }
  if (!privateKey) return { mode: 'error', message: 'APP_ID is set but neither PRIVATE_KEY nor PRIVATE_KEY_PATH is: set one (or neither, for setup mode)' };
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey)) {
    return { mode: 'error', message: 'the private key file is not a PEM private key (-----BEGIN RSA PRIVATE KEY-----)' };
  }
  return { mode: 'app', appId: Number(env.APP_ID), privateKey };
}
