import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake GitHub received. */
export interface GitHubCall {
  method: string;
  path: string;
  body: any;
}

type Answer = { status: number; body: unknown } | 'hold';
type Route = { method: string; path: RegExp; answer: (call: GitHubCall, match: RegExpExecArray) => Answer };

/**
 * GitHub's REST API as a real HTTP server on loopback, for app processes of their own (nock reaches only its
 * own process): it answers what netbot asks with GitHub's shapes, records every call, and can be told to
 * answer a route differently, or to hold a request open forever (a process killed mid-call).
 */
export class FakeGitHub {
  readonly calls: GitHubCall[] = [];
  private readonly routes: Route[] = [];
  private readonly held = new Set<ServerResponse>();
  private server!: Server;
  private nextId = 1000;
  url = '';

  constructor() {
    const json = (status: number, body: unknown) => ({ status, body });
    this.on('POST', /^\/app\/installations\/\d+\/access_tokens$/, () => json(201, { token: 'fake-token', expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {} }));
    this.on('GET', /^\/repos\/[^/]+\/[^/]+\/contents\//, () => json(404, { message: 'Not Found' }));
    this.on('GET', /^\/repos\/[^/]+\/[^/]+\/collaborators\/[^/]+\/permission$/, () => json(200, { permission: 'read', role_name: 'read' }));
    this.on('POST', /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/assignees$/, (call) => json(201, { assignees: (call.body?.assignees ?? []).map((login: string) => ({ login })) }));
    this.on('DELETE', /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/assignees$/, () => json(200, { assignees: [] }));
    this.on('POST', /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/, () => json(201, { id: this.nextId++ }));
    this.on('PATCH', /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+$/, (_c, m) => json(200, { id: Number(m[0].split('/').pop()) }));
    this.on('GET', /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/, () => json(200, []));
    this.on('GET', /^\/repos\/[^/]+\/[^/]+\/labels$/, () => json(200, []));
    this.on('POST', /^\/repos\/[^/]+\/[^/]+\/labels$/, (call) => json(201, { name: call.body?.name }));
    this.on('POST', /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/labels$/, (call) => json(200, (call.body?.labels ?? []).map((name: string) => ({ name }))));
    this.on('GET', /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/files$/, () => json(200, []));
    this.on('POST', /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/requested_reviewers$/, () => json(201, {}));
    this.on('POST', /^\/repos\/[^/]+\/[^/]+\/check-runs$/, () => json(201, { id: this.nextId++ }));
  }

  /** Answers `method path` with `answer` from now on (the latest rule for a request wins). */
  on(method: string, path: RegExp, answer: Route['answer']): this {
    this.routes.unshift({ method, path, answer });
    return this;
  }

  /** The calls made so far to `method` a path matching `path`. */
  made(method: string, path: RegExp): GitHubCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    const path = (req.url ?? '/').split('?')[0]!.replace(/^\/api\/v3/, '');
    const call: GitHubCall = { method: req.method ?? 'GET', path, body: text ? JSON.parse(text) : undefined };
    this.calls.push(call);
    for (const route of this.routes) {
      const match = route.method === call.method ? route.path.exec(path) : null;
      if (!match) continue;
      const answer = route.answer(call, match);
      if (answer === 'hold') {
        this.held.add(res);
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  }
}
