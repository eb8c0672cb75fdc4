import { Command } from 'commander';
import { vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer, type BuildServerOptions } from '../../src/netcore/server.js';
import { freshMemoryDatabase } from '../../src/netcore/db/template.js';

export type Who = { project?: string; admin?: boolean };

/** A netcore server on an in-memory database, plus a small JSON client over inject(). */
export async function makeApi(opts: BuildServerOptions = {}) {
  // an in-memory database copied from one migrated template (the migrations run once per test process)
  const own = !opts.db && !opts.dbFile ? freshMemoryDatabase() : undefined;
  const app: FastifyInstance = await buildServer(own ? { ...opts, db: own } : opts);
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, who: Who = { project: 'p1' }) => {
    const headers: Record<string, string> = {};
    if (who.project) headers['x-project-id'] = who.project;
    if (who.admin) headers['x-roles'] = 'admin,member';
    const res = await app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
    const json = res.body ? (JSON.parse(res.body) as any) : undefined;
    return { status: res.statusCode, body: json };
  };
  const ok = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, who?: Who) => {
    const res = await call(method, url, body, who);
    if (res.status >= 300) throw new Error(`${method} ${url} -> ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const network = async (extra: object = {}, who?: Who) => (await ok('POST', '/v2.0/networks', { network: { name: 'n', ...extra } }, who)).network;
  const subnet = async (network_id: string, cidr: string, extra: object = {}, who?: Who) =>
    (await ok('POST', '/v2.0/subnets', { subnet: { network_id, cidr, ip_version: cidr.includes(':') ? 6 : 4, ...extra } }, who)).subnet;
  const port = async (network_id: string, extra: object = {}, who?: Who) => (await ok('POST', '/v2.0/ports', { port: { network_id, ...extra } }, who)).port;
  const close = async () => {
    await app.close();
    own?.close();
  };
  return { app, call, ok, network, subnet, port, close };
}

export type Api = Awaited<ReturnType<typeof makeApi>>;

export const errorType = (res: { body: any }) => res.body?.NeutronError?.type as string | undefined;

/**
 * Runs `netbot <args>` in-process on a program that `register` fills with commands; returns what it printed
 * and the exit status it set (process.exitCode is reset afterwards).
 */
export async function runCli(register: (program: Command) => void, ...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync(['node', 'netbot', ...args]);
    return { out: out.join('\n'), err: err.join('\n'), code: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  }
}
