import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Probot } from 'probot';
import { expect, test } from 'vitest';
import { createApp } from '../src/index.js';
import { createServices } from '../src/services.js';
import { TEST_APP_ID, TEST_PRIVATE_KEY } from './helpers/probot.js';

// `probot receive` and serverless adapters load the app with no HTTP server: Probot's addHandler throws there.
test('with no HTTP server the app still loads and handles events, serves no board, and says so once in the log', async () => {
  const lines: { msg: string }[] = [];
  const log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(chunk.toString())), done()) }));
  const probot = new Probot({ appId: TEST_APP_ID, privateKey: TEST_PRIVATE_KEY, log } as any);
  const services = await createServices(':memory:');
  try {
    // No addHandler passed: Probot falls back to its server's, and there is none.
    await expect(probot.load(createApp({ services, worker: false }))).resolves.toBeUndefined();
    const said = lines.filter((l) => /no HTTP server here/.test(l.msg));
    expect(said).toHaveLength(1);
    expect(said[0]!.msg).toContain('serves no pages (the starter-bug board)');
    // It handles events all the same: a ping needs nothing of GitHub.
    await probot.receive({ id: 'ping-1', name: 'ping', payload: { zen: 'Keep it logically awesome.', hook_id: 1 } } as any);
  } finally {
    await services.close();
  }
});
