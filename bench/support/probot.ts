import { createRequire } from 'node:module';
import { generateKeyPairSync } from 'node:crypto';
import { Probot, ProbotOctokit, type ApplicationFunction } from 'probot';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as { name: string; examples: any[] }[];

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const BenchOctokit = ProbotOctokit.defaults((o: any) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } }));

export async function benchProbot(app: ApplicationFunction): Promise<Probot> {
  const probot = new Probot({ appId: 1, privateKey, Octokit: BenchOctokit, logLevel: 'fatal' } as any);
  await probot.load(app, { cwd: process.cwd(), addHandler: () => {} });
  return probot;
}

/** A real example payload (from @octokit/webhooks-examples) with an installation, deep-copied. */
export function example(event: string, action?: string, patch: (p: any) => void = () => {}): { name: string; payload: any } {
  const found = examples.find((e) => e.name === event)?.examples.find((p) => action === undefined || p.action === action);
  if (!found) throw new Error(`no example for ${event}.${action}`);
  const payload = structuredClone(found);
  payload.installation = { id: 2 };
  patch(payload);
  return { name: event, payload };
}
