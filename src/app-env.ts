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

/** PRIVATE_KEY as Probot accepts it: the PEM text, the PEM base64-encoded, or the PEM with `\n` escapes. */
export function decodePrivateKey(value: string): string {
  let key = value;
  if (Buffer.from(key, 'base64').toString('base64') === key) key = Buffer.from(key, 'base64').toString();
  return key.includes('\\n') ? key.replace(/\\n/g, '\n') : key;
}
