import type { FastifyInstance } from 'fastify';
import { buildMetadataServer } from '../metadata/server.js';

/** Who makes a request: a project (the noauth X-Project-Id header) and whether it has the admin role. */
export interface Who {
  project: string;
  admin?: boolean;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
// Response bodies are Neutron JSON; cases read them as loosely as a client does.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply {
  status: number;
  body: Json;
}

/** A case's verdict: thrown by the assertions below, reported as the case's message. */
export class CaseFailure extends Error {
  override name = 'CaseFailure';
}

/** The secret of the metadata listener cases talk to. */
export const METADATA_SECRET = 'conformance-metadata-secret';

export const ALPHA: Who = { project: 'alpha' };
export const BETA: Who = { project: 'beta' };
export const GAMMA: Who = { project: 'gamma' };
export const ADMIN: Who = { project: 'admin', admin: true };

/**
 * What a case gets: a client of the server under test (over `inject()`, no sockets), resource
 * helpers that fail the case on an unexpected status, and assertions whose messages say what the
 * wire showed. Requests act as project `alpha` unless told otherwise.
 */
export class Harness {
  private metadataApp?: Promise<FastifyInstance>;

  constructor(
    readonly app: FastifyInstance,
    /** Aliases the plugin declares. */
    readonly extensions: readonly string[],
  ) {}

  /** Asks the metadata listener (built on first use over the same plugin) as a metadata proxy would; headers as the proxy sets them. */
  async metadata(headers: Record<string, string>): Promise<Reply & { headers: Record<string, unknown> }> {
    this.metadataApp ??= buildMetadataServer({ plugin: this.app.netcore.plugin, sharedSecret: METADATA_SECRET });
    const res = await (await this.metadataApp).inject({ method: 'GET', url: '/latest/meta-data/instance-id', headers });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, headers: res.headers };
  }

  async close(): Promise<void> {
    await (await this.metadataApp)?.close();
  }

  async call(method: Method, url: string, body?: unknown, who: Who = ALPHA): Promise<Reply> {
    const headers: Record<string, string> = { 'x-project-id': who.project };
    if (who.admin) headers['x-roles'] = 'admin,member';
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const res = await this.app.inject({ method, url, headers, payload });
    let parsed: Json;
    try {
      parsed = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      parsed = res.body;
    }
    return { status: res.statusCode, body: parsed };
  }

  /** A request that must succeed (2xx); returns the body. */
  async ok(method: Method, url: string, body?: unknown, who?: Who): Promise<Json> {
    const res = await this.call(method, url, body, who);
    if (res.status < 200 || res.status >= 300) throw new CaseFailure(`${method} ${url} answered ${res.status}: ${brief(res.body)}`);
    return res.body;
  }

  /** A request that must fail with this status and NeutronError type. */
  async fails(method: Method, url: string, body: unknown, status: number, type: string | undefined, who?: Who): Promise<Reply> {
    const res = await this.call(method, url, body, who);
    this.expectError(res, status, type, `${method} ${url}`);
    return res;
  }

  expectError(res: Reply, status: number, type: string | undefined, what: string): void {
    const got = res.body?.NeutronError;
    if (res.status !== status || (type !== undefined && got?.type !== type)) {
      throw new CaseFailure(`${what}: expected ${status}${type ? ` ${type}` : ''}, got ${res.status} ${got?.type ?? ''}: ${brief(res.body)}`);
    }
    if (!got || typeof got.message !== 'string' || typeof got.detail !== 'string') {
      throw new CaseFailure(`${what}: error body is not a NeutronError {type, message, detail}: ${brief(res.body)}`);
    }
  }

  async network(extra: object = {}, who?: Who): Promise<Json> {
    return (await this.ok('POST', '/v2.0/networks', { network: { name: 'net', ...extra } }, who)).network;
  }

  async subnet(networkId: string, cidr: string, extra: object = {}, who?: Who): Promise<Json> {
    const body = { subnet: { network_id: networkId, cidr, ip_version: cidr.includes(':') ? 6 : 4, ...extra } };
    return (await this.ok('POST', '/v2.0/subnets', body, who)).subnet;
  }

  async port(networkId: string, extra: object = {}, who?: Who): Promise<Json> {
    return (await this.ok('POST', '/v2.0/ports', { port: { network_id: networkId, ...extra } }, who)).port;
  }

  /** A network with one IPv4 subnet; the usual starting point. */
  async networkWithSubnet(cidr = '10.0.0.0/24', subnetExtra: object = {}, who?: Who): Promise<{ net: Json; sub: Json }> {
    const net = await this.network({}, who);
    const sub = await this.subnet(net.id, cidr, subnetExtra, who);
    return { net, sub };
  }

  /** A collection by its path (`ports`, `security-groups`, `lb/pools`); the answer's key is its last segment with underscores. */
  async list(collection: string, query = '', who?: Who): Promise<Json[]> {
    const key = collection.split('/').pop()!.replace(/-/g, '_');
    return (await this.ok('GET', `/v2.0/${collection}${query ? `?${query}` : ''}`, undefined, who))[key];
  }

  check(condition: unknown, message: string): void {
    if (!condition) throw new CaseFailure(message);
  }

  equal(actual: unknown, expected: unknown, what: string): void {
    if (!sameJson(actual, expected)) throw new CaseFailure(`${what}: expected ${brief(expected)}, got ${brief(actual)}`);
  }

  /** The ids of `items`, in order. */
  ids(items: { id: string }[]): string[] {
    return items.map((i) => i.id);
  }
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A short rendering of a body for a failure message. */
export function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}
