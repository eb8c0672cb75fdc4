// One netbot app process, for the multi-process tests and benchmarks: `node app-process.js` with
// DATABASE_URL (or NETBOT_DB), GITHUB_API (where GitHub is: a fake one on loopback) and WEBHOOK_SECRET.
// It serves webhooks over HTTP (signatures checked) and prints {"port": N} when ready. On stdin it takes
// one JSON command a line: {"clock": ISO} sets the app's clock; {"tick": ISO} enqueues the schedules due
// then; {"drain": true} runs due jobs.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import { createApp } from '../../src/index.js';
import { createServices } from '../../src/services.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
// Retries off (a fake GitHub answers at once); GitHub's throttling on only when asked (REDIS_URL shares it).
const throttled = process.env.NETBOT_THROTTLE === 'true';
const Octokit = ProbotOctokit.defaults((o: any) => ({ ...o, retry: { enabled: false }, ...(throttled ? {} : { throttle: { enabled: false } }) }));
// Logs go to stderr: stdout carries the protocol.
const log = pino({ level: process.env.LOG_LEVEL ?? 'fatal' }, pino.destination(2));
const probot = new Probot({ appId: 1, privateKey, secret: process.env.WEBHOOK_SECRET ?? 'secret', baseUrl: process.env.GITHUB_API, Octokit, log, redisConfig: process.env.REDIS_URL } as any);
let offsetMs = 0; // the app's clock, moved by {"clock": ISO}
const services = await createServices(undefined, { now: () => new Date(Date.now() + offsetMs) });
const worker = process.env.NETBOT_WORKER !== 'false';
const middleware = await createNodeMiddleware(createApp({ services, worker }), { probot, webhooksPath: '/api/github/webhooks' });
const server = createServer((req, res) => {
  void middleware(req, res, () => {
    res.writeHead(404);
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { clock?: string; tick?: string; drain?: boolean; id?: number };
  try {
    if (command.clock) offsetMs = Date.parse(command.clock) - Date.now();
    const result = command.tick ? await services.runner.tick(new Date(command.tick)) : command.drain ? await services.runner.drain() : undefined;
    console.log(JSON.stringify({ id: command.id, ok: true, result }));
  } catch (error) {
    console.log(JSON.stringify({ id: command.id, ok: false, error: String(error) }));
  }
}
