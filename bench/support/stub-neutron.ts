import Fastify, { type FastifyInstance } from 'fastify';

/**
 * A server that answers bench_ports.py's calls with canned bodies and does no work at all: what the
 * Python client reaches against it is the client's own ceiling, the most any server could show.
 */
export async function stubNeutron(): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  let ports = 0;
  const port = (id: string) => ({ id, name: id, network_id: 'n', project_id: 'p', tenant_id: 'p', mac_address: 'fa:16:3e:00:00:01', fixed_ips: [{ subnet_id: 's', ip_address: '10.0.0.2' }] });
  app.post('/v2.0/networks', async (_req, reply) => reply.code(201).send({ network: { id: 'n' } }));
  app.post('/v2.0/subnets', async (_req, reply) => reply.code(201).send({ subnet: { id: 's' } }));
  app.post('/v2.0/ports', async (_req, reply) => reply.code(201).send({ port: port(`p${ports++}`) }));
  app.get('/v2.0/ports', async () => ({ ports: Array.from({ length: ports }, (_, i) => port(`p${i}`)) }));
  app.get('/v2.0/security-groups', async (_req, reply) => reply.code(404).send({}));
  app.delete('/v2.0/*', async (_req, reply) => reply.code(204).send());
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}
