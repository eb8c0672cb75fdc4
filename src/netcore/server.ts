import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { openDatabase, type Db } from './db/connection.js';
import { upgradeToHead } from './db/migrate.js';
import { resolveConfig, type NetcoreConfig, type NetcoreConfigInput } from './config.js';
import { NeutronError, badRequest, httpNotFound, methodNotAllowed } from './errors.js';
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
  const db = opts.db ?? openDatabase(opts.dbFile ?? ':memory:');
  upgradeToHead(db);
  const factory = typeof opts.plugin === 'function' ? opts.plugin : await resolvePlugin(opts.plugin ?? config.plugin);
  const plugin = await factory({ db, config });

  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: config.maxRequestBodySize,
    routerOptions: { ignoreTrailingSlash: true },
    // Neutron accepts a `.json` suffix on every path.
    rewriteUrl: (req) => (req.url ?? '/').replace(/\.json(?=\?|$)/, ''),
  });
  app.decorate('netcore', { db, plugin, config });
  // Bodies are JSON whatever the content type says (curl's default form type included), and a
  // DELETE's body is ignored, as Neutron does (clients often send a JSON content type with none).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    if (req.method === 'DELETE') return done(null, undefined);
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string));
    } catch {
      done(badRequest('Malformed request body'), undefined);
    }
  });
  app.setErrorHandler((err: FastifyError | NeutronError, req, reply) => {
    const fault = toNeutronError(err);
    if (fault.status >= 500) req.log.error(err);
    reply.code(fault.status).send(fault.toBody());
  });
  app.setNotFoundHandler((_req, reply) => {
    reply.code(404).send(httpNotFound().toBody());
  });
  app.addHook('onClose', async () => {
    await plugin.close?.();
    if (ownDb) db.close();
  });

  registerDiscovery(app, [...new Set([...API_EXTENSIONS, ...plugin.extensions])].sort());
  const controller = { defaultProjectId: config.defaultProjectId, paginationMaxLimit: config.paginationMaxLimit };
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

function toNeutronError(err: FastifyError | NeutronError): NeutronError {
  if (err instanceof NeutronError) return err;
  const status = (err as FastifyError).statusCode ?? 500;
  if (status === 413) return new NeutronError('HTTPRequestEntityTooLarge', 413, 'Request is too large.');
  if (status === 415) return new NeutronError('HTTPUnsupportedMediaType', 415, 'Unsupported Content-Type');
  if (status === 400) return badRequest(err.code?.startsWith('FST_ERR_CTP') || err instanceof SyntaxError ? 'Malformed request body' : err.message);
  if (status === 404) return httpNotFound();
  if (status === 405) return methodNotAllowed();
  if (status === 503 || /SQLITE_BUSY/.test(String((err as { code?: string }).code))) {
    return new NeutronError('ServiceUnavailable', 503, 'The service is busy; retry the request.');
  }
  return new NeutronError('HTTPInternalServerError', 500, 'Request Failed: internal server error while processing your request.');
}
