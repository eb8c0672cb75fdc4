// A netcore server in its own process, for load generators that need the other core: started with
// fork(), it answers { url } over IPC once listening and closes on 'stop'.
import { buildServer } from '../../src/netcore/server.js';
import { BENCH_QUOTAS } from './bench-quotas.js';

const app = await buildServer({ dbFile: process.argv[2], config: { quotas: BENCH_QUOTAS } });
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.send!({ url });
process.on('message', (m) => {
  if (m === 'stop') void app.close().then(() => process.exit(0));
});
