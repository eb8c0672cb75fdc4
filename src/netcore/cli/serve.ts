import type { Command } from 'commander';
import { loadConfigFile, resolveConfig } from '../config.js';
import { buildServer } from '../server.js';

/** `netbot netcore serve`: runs the API v2.0 server until SIGINT/SIGTERM. */
export function registerNetcoreServe(netcore: Command): void {
  netcore
    .command('serve')
    .description('run the netcore Networking API v2.0 server')
    .option('--port <port>', 'TCP port', '9696')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--db <file>', 'SQLite database file', 'netcore.sqlite')
    .option('--plugin <name>', 'core plugin: a built-in name, a folder, or an npm package')
    .option('--config <file>', 'JSON config file (see docs/netcore.md)')
    .option('--log', 'log every request', false)
    .action(async (opts: { port: string; host: string; db: string; plugin?: string; config?: string; log: boolean }) => {
      const config = opts.config ? loadConfigFile(opts.config) : resolveConfig({});
      const app = await buildServer({ dbFile: opts.db, plugin: opts.plugin ?? config.plugin, config, logger: opts.log });
      const address = await app.listen({ port: Number(opts.port), host: opts.host });
      console.log(`netcore: API v2.0 at ${address}/v2.0/ (db ${opts.db}, plugin ${app.netcore.plugin.name})`);
      const stop = () => {
        void app.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
