import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { NetcoreConfig } from '../config.js';
import { policyNotAuthorized, type NeutronError } from '../errors.js';
import type { RequestContext } from '../plugins/plugin.js';
import { header } from './caller.js';
import { KeystoneAuth } from './keystone.js';
import { noauthCaller } from './noauth.js';
import { TrustedProxy } from './trusted-proxy.js';

export { Unauthorized } from './errors.js';
export { AUTH_MODES, type AuthMode } from './config.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, set once per API request by the auth hook (src/netcore/auth). */
    caller: RequestContext;
  }
  interface FastifyContextConfig {
    /** The resource a route acts on (`port`): names the policy a refused write reports (`create_port`). */
    resource?: string;
    /** A route anyone may call, identity or not (version discovery at `/`); every other one needs a caller. */
    public?: boolean;
  }
}

/** Resolves the caller of one request, synchronously when it can (noauth, a cached token). */
export type Authenticate = (req: FastifyRequest) => RequestContext | Promise<RequestContext>;

export function createAuthenticator(config: NetcoreConfig): Authenticate {
  switch (config.auth) {
    case 'noauth':
      return (req) => noauthCaller(req.headers, config.defaultProjectId);
    case 'trusted-proxy': {
      const proxy = new TrustedProxy(config.trustedProxies);
      return (req) => proxy.caller(req.socket.remoteAddress, req.headers);
    }
    case 'keystone': {
      const keystone = new KeystoneAuth(config.keystone!);
      return (req) => keystone.caller(header(req.headers, 'x-auth-token'));
    }
  }
}

/**
 * Every request gets its caller here, before any handler runs, so every resource (present or
 * future) sees `req.caller` and none reads identity itself. Routes are closed unless they say
 * `config: { public: true }` (version discovery at `/`, as in Neutron): the matched route decides,
 * never the URL's spelling (`/v2%2E0/networks` reaches the networks route too). A reader-only
 * caller's writes stop here too.
 */
export function registerAuth(app: FastifyInstance, config: NetcoreConfig): void {
  const authenticate = createAuthenticator(config);
  app.decorateRequest('caller', null as unknown as RequestContext);
  app.addHook('onRequest', (req, _reply, done) => {
    if (req.routeOptions.config?.public) return done();
    let caller: RequestContext | Promise<RequestContext>;
    try {
      caller = authenticate(req);
    } catch (err) {
      return done(err as Error);
    }
    if (caller instanceof Promise) {
      caller.then(
        (c) => done(admit(req, c)),
        (err: Error) => done(err),
      );
    } else done(admit(req, caller));
  });
}

/** Sets the caller; a reader-only caller may read and nothing else (Neutron's new default policies). */
function admit(req: FastifyRequest, caller: RequestContext): Error | undefined {
  req.caller = caller;
  if (caller.isReader && req.method !== 'GET' && req.method !== 'HEAD') return readerRefused(req);
  return undefined;
}

// The policy Neutron names: `create_port`, `delete_network`, or a member action (`add_router_interface`).
function readerRefused(req: FastifyRequest): NeutronError {
  const [, , collection = '', , action] = req.url.split('?', 1)[0].split('/');
  const resource = req.routeOptions.config?.resource ?? collection.replace(/-/g, '_').replace(/s$/, '');
  const verb = req.method === 'POST' ? 'create' : req.method === 'DELETE' ? 'delete' : 'update';
  return policyNotAuthorized(action ?? `${verb}_${resource}`);
}
