import type { FastifyError, FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { Unauthorized } from '../auth/errors.js';
import { NeutronError, badRequest, httpNotFound, methodNotAllowed } from '../errors.js';

/** Neutron's HTTP conventions on a fastify app: JSON bodies whatever their type, and every error as Neutron words it. */
export function registerNeutronHttp(app: FastifyInstance): void {
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
  app.setErrorHandler((err: FastifyError | NeutronError | Unauthorized, req, reply) => {
    if (err instanceof Unauthorized) {
      if (err.wwwAuthenticate) reply.header('www-authenticate', err.wwwAuthenticate);
      req.log.info({ reason: err.detail }, 'request refused: unauthorized');
      return reply.code(401).send(err.toBody());
    }
    const fault = toNeutronError(err);
    if (fault.status >= 500) req.log.error(err);
    reply.code(fault.status).send(fault.toBody());
  });
  app.setNotFoundHandler((_req, reply) => {
    reply.code(404).send(httpNotFound().toBody());
  });
}

/** fastify's clientErrorHandler: a request Node cannot parse (headers over 16 KiB, bad framing) still gets Neutron's error body. */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return;
  const fault =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new NeutronError('HTTPRequestHeaderFieldsTooLarge', 431, 'Request header fields are too large.')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new NeutronError('HTTPRequestTimeout', 408, 'The request took too long.')
        : badRequest('Malformed HTTP request.');
  const body = JSON.stringify(fault.toBody());
  socket.end(
    `HTTP/1.1 ${fault.status} ${STATUS_CODES[fault.status]}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
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
