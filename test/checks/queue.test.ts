import { afterEach, expect, test } from 'vitest';
import { createServices, type AppServices } from '../../src/services.js';

let services: AppServices | undefined;
afterEach(async () => services?.close());

test('a job with a lane of its own (the check runs) never holds up the others: the sweep runs while a long check runs', async () => {
  services = await createServices(':memory:');
  const events: string[] = [];
  let releaseCheck!: () => void;
  const checkHolds = new Promise<void>((resolve) => (releaseCheck = resolve));
  let sweepRan!: () => void;
  const sweepDone = new Promise<void>((resolve) => (sweepRan = resolve));
  let running = 0;
  let most = 0;
  services.runner.define({ name: 'test.long-check', scope: 'global', concurrency: 2, run: async () => {
    most = Math.max(most, ++running);
    events.push('check started');
    await checkHolds;
    running--;
  } });
  services.runner.define({ name: 'test.sweep', scope: 'global', run: async () => {
    events.push('sweep ran');
    sweepRan();
  } });
  for (let i = 0; i < 3; i++) await services.runner.enqueue('test.long-check', { i });
  await services.runner.enqueue('test.sweep', {});
  services.runner.start({ concurrency: 1, pollMs: 10 });
  await sweepDone;
  expect(events).toEqual(['check started', 'check started', 'sweep ran']); // two checks in their lane; the third waits for a place
  expect(await services.jobs.counts('test.long-check')).toMatchObject({ running: 2, queued: 1 });
  releaseCheck();
  await services.runner.stop();
  expect(most).toBe(2);
});
