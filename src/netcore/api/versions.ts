import type { FastifyInstance } from 'fastify';
import { httpNotFound } from '../errors.js';
import { describeExtension } from './extensions.js';
import { origin } from './resource.js';

const RESOURCES = [
  ['subnet', 'subnets'],
  ['network', 'networks'],
  ['port', 'ports'],
] as const;

/** Version discovery (`/`, `/v2.0/`) and the extension list. */
export function registerDiscovery(app: FastifyInstance, extensions: string[]): void {
  app.get('/', { config: { public: true } }, async (req) => ({
    versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${origin(req)}/v2.0/`, rel: 'self' }] }],
  }));
  app.get('/v2.0', async (req) => ({
    resources: RESOURCES.map(([name, collection]) => ({
      name,
      collection,
      links: [{ href: `${origin(req)}/v2.0/${collection}`, rel: 'self' }],
    })),
  }));
  app.get('/v2.0/extensions', async () => ({ extensions: extensions.map(describeExtension) }));
  app.get<{ Params: { alias: string } }>('/v2.0/extensions/:alias', async (req) => {
    if (!extensions.includes(req.params.alias)) throw httpNotFound(`Extension with alias ${req.params.alias} does not exist`);
    return { extension: describeExtension(req.params.alias) };
  });
}
