import { Option, type Command } from 'commander';
import { AUTH_MODES, type AuthMode } from '../auth/config.js';
import { loadConfigFile, resolveConfig, type NetcoreConfig } from '../config.js';
import { buildServer } from '../server.js';
import { buildMetadataServer } from '../metadata/server.js';

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
    .addOption(new Option('--auth <mode>', 'who the caller is: noauth, keystone (settings in --config) or trusted-proxy (addresses in --config); default: the config\'s, else noauth').choices(AUTH_MODES))
    .option('--log', 'log every request', false)
    .option('--metadata-port <port>', 'also serve the metadata lookup on this port (needs metadataProxySharedSecret in the config)')
    .option('--metadata-host <host>', 'address the metadata lookup listens on', '127.0.0.1')
    .action(async (opts: { port: string; host: string; db: string; plugin?: string; config?: string; auth?: AuthMode; log: boolean; metadataPort?: string; metadataHost: string }) => {
      const config = serveConfig(opts);
      const app = await buildServer({ dbFile: opts.db, plugin: opts.plugin ?? config.plugin, config, logger: opts.log });
      const metadata = opts.metadataPort
        ? await buildMetadataServer({ plugin: app.netcore.plugin, sharedSecret: config.metadataProxySharedSecret ?? '', logger: opts.log }).catch(async (err) => {
            await app.close();
            throw err;
          })
        : undefined;
      const address = await app.listen({ port: Number(opts.port), host: opts.host });
      console.log(`netcore: API v2.0 at ${address}/v2.0/ (db ${opts.db}, plugin ${app.netcore.plugin.name}, auth ${config.auth})`);
      if (metadata) console.log(`netcore: metadata lookup at ${await metadata.listen({ port: Number(opts.metadataPort), host: opts.metadataHost })}`);
      const stop = () => {
        void Promise.all([metadata?.close(), app.close()]).then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

/** The config `serve` runs with: the file's (or the defaults), `--auth` winning over its `auth`, checked as a whole. */
export function serveConfig(opts: { config?: string; auth?: AuthMode }): NetcoreConfig {
  const file = opts.config ? loadConfigFile(opts.config) : resolveConfig({});
  return opts.auth ? resolveConfig({ ...file, auth: opts.auth }) : file;
}
