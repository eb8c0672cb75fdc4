import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import { badRequest, NeutronError } from '../errors.js';
import type { NetcorePlugin } from '../plugins/plugin.js';
import { coreMetadata } from './lookup.js';
import { signInstanceId } from './sign.js';

export interface MetadataServerOptions {
  plugin: NetcorePlugin;
  /** neutron's metadata_proxy_shared_secret: what Nova checks X-Instance-ID-Signature with. */
  sharedSecret: string;
  logger?: boolean;
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s ? s : undefined;
};

/**
 * The metadata lookup on a listener of its own, never on the public API: a metadata proxy (the
 * router's or the network's namespace) asks with the VM's address in X-Forwarded-For and its
 * X-Neutron-Router-ID or X-Neutron-Network-ID, whatever path the VM asked for, and gets the
 * instance and its project back in the headers Nova's metadata service reads (X-Instance-ID,
 * X-Tenant-ID, X-Instance-ID-Signature) and as JSON.
 */
export async function buildMetadataServer(opts: MetadataServerOptions): Promise<FastifyInstance> {
  // the plugin's own lookup, or one through its core API
  const metadata = opts.plugin.metadata ?? coreMetadata(opts.plugin);
  if (!opts.sharedSecret) throw new Error('the metadata listener needs metadataProxySharedSecret in the config (the secret Nova checks signatures with)');
  const app = Fastify({ logger: opts.logger ?? false });
  app.setErrorHandler((err, req, reply) => {
    const fault = err instanceof NeutronError ? err : new NeutronError('HTTPInternalServerError', 500, 'Request Failed: internal server error while processing your request.');
    if (fault.status >= 500) req.log.error(err);
    reply.code(fault.status).send(fault.toBody());
  });
  app.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    handler: async (req, reply) => {
      // a proxy's X-Forwarded-For names the VM first
      const forwardedFor = header(req, 'x-forwarded-for')?.split(',')[0].trim();
      if (!forwardedFor) throw badRequest('X-Forwarded-For is required: the address of the instance asking');
      if (!ipaddr.isValid(forwardedFor) || forwardedFor.includes('%')) throw badRequest(`X-Forwarded-For '${forwardedFor}' is not an IP address`);
      const routerId = header(req, 'x-neutron-router-id');
      const networkId = header(req, 'x-neutron-network-id');
      if (!routerId && !networkId) throw badRequest('X-Neutron-Router-ID or X-Neutron-Network-ID is required');
      const found = await metadata.findInstance({ address: forwardedFor, routerId, networkId });
      const signature = signInstanceId(opts.sharedSecret, found.instance_id);
      reply.headers({ 'x-instance-id': found.instance_id, 'x-tenant-id': found.project_id, 'x-instance-id-signature': signature });
      return { instance_id: found.instance_id, tenant_id: found.project_id, project_id: found.project_id, port_id: found.port_id, network_id: found.network_id, instance_id_signature: signature };
    },
  });
  await app.ready();
  return app;
}
