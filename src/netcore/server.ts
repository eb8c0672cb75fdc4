import Fastify, { type FastifyInstance } from 'fastify';
import { cacheStatements, openDatabase, type Db } from './db/connection.js';
import { upgradeToHead } from './db/migrate.js';
import { resolveConfig, type NetcoreConfig, type NetcoreConfigInput } from './config.js';
import { resolvePlugin } from './plugins/registry.js';
import type { NetcorePlugin, PluginFactory } from './plugins/plugin.js';
import { registerResource } from './api/resource.js';
import { networkSpec } from './api/networks.js';
import { subnetSpec } from './api/subnets.js';
import { portSpec } from './api/ports.js';
import { registerDiscovery } from './api/versions.js';
import { API_EXTENSIONS } from './api/extensions.js';
import { registerL3 } from './l3/api.js';
import { registerSecurityGroups } from './securitygroups/api.js';
import { registerQuotas } from './quotas/api.js';
import { registerLbaas } from './lbaas/api.js';
import { registerAuth } from './auth/index.js';
import { answerClientError, registerNeutronHttp } from './api/http.js';

export type { Db } from './db/connection.js';
export type { NetcoreConfig, NetcoreConfigInput } from './config.js';
export type * from './plugins/plugin.js';
export { NeutronError } from './errors.js';

export interface BuildServerOptions {
  /** An open database; the server migrates it but leaves closing it to the caller. */
  db?: Db;
  /** A database file to open (and close with the server); ':memory:' when neither is given. */
  dbFile?: string;
  /** A plugin name (see plugins/registry.ts) or factory; default: config.plugin. */
  plugin?: string | PluginFactory;
  config?: NetcoreConfigInput | NetcoreConfig;
  logger?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    netcore: { db: Db; plugin: NetcorePlugin; config: NetcoreConfig };
  }
}

/** Builds netcore's API v2.0 server, ready for `inject()` or `listen()`. */
export async function buildServer(opts: BuildServerOptions = {}): Promise<FastifyInstance> {
  const config = resolveConfig(opts.config ?? {});
  const ownDb = !opts.db;
  const db = opts.db ? cacheStatements(opts.db) : openDatabase(opts.dbFile ?? ':memory:');
  upgradeToHead(db);
  const factory = typeof opts.plugin === 'function' ? opts.plugin : await resolvePlugin(opts.plugin ?? config.plugin);
  const plugin = await factory({ db, config });

  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: config.maxRequestBodySize,
    routerOptions: { ignoreTrailingSlash: true },
    // Neutron accepts a `.json` suffix on every path.
    rewriteUrl: (req) => (req.url ?? '/').replace(/\.json(?=\?|$)/, ''),
    clientErrorHandler: answerClientError,
  });
  registerAuth(app, config);
  app.decorate('netcore', { db, plugin, config });
  registerNeutronHttp(app);
  app.addHook('onClose', async () => {
    await plugin.close?.();
    if (ownDb) db.close();
  });

  registerDiscovery(app, [...new Set([...API_EXTENSIONS, ...plugin.extensions])].sort());
  const controller = { paginationMaxLimit: config.paginationMaxLimit };
  registerResource(app, networkSpec(plugin), controller);
  registerResource(app, subnetSpec(plugin), controller);
  registerResource(app, portSpec(plugin), controller);
  registerL3(app, plugin, controller);
  registerSecurityGroups(app, plugin, controller);
  registerQuotas(app, plugin, controller);
  registerLbaas(app, plugin, controller);
  await app.ready();
  return app;
}
