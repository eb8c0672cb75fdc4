import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  projectId?: string;
  roles: string[];
  /** ISO time; default an hour from issue. */
  expiresAt?: string;
}

/**
 * A stand-in for Keystone's token API (`POST` and `GET /v3/auth/tokens`, answers shaped as Keystone
 * Zed's, see ../shared/keystone/README.md), for what a real Keystone will not do on demand: answer
 * garbage, hang, fail. `misbehave` replaces the validation answer; `calls` counts requests by kind.
 */
export async function startFakeKeystone() {
  const tokens = new Map<string, FakeUser & { userId: string }>();
  const calls = { login: 0, validate: 0 };
  let misbehave: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const service = { user: 'network', password: 'service-secret', project: 'service' };

  const body = (t: FakeUser & { userId: string }) => ({
    token: {
      methods: ['password'],
      user: { domain: { id: 'default', name: 'Default' }, id: t.userId, name: t.userId, password_expires_at: null },
      audit_ids: [randomBytes(16).toString('base64url')],
      expires_at: t.expiresAt ?? new Date(Date.now() + 3600_000).toISOString().replace('Z', '000Z'),
      issued_at: new Date().toISOString(),
      ...(t.projectId ? { project: { domain: { id: 'default', name: 'Default' }, id: t.projectId, name: t.projectId } } : {}),
      is_domain: false,
      roles: t.roles.map((name) => ({ id: randomUUID().replace(/-/g, ''), name })),
    },
  });
  const json = (res: ServerResponse, status: number, doc: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(doc));
  };
  const notFound = (res: ServerResponse) => json(res, 404, { error: { code: 404, message: 'Could not recognize Fernet token', title: 'Not Found' } });

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/v3/auth/tokens') return notFound(res);
      if (req.method === 'POST') {
        calls.login++;
        const auth = JSON.parse(Buffer.concat(chunks).toString()).auth;
        const user = auth.identity.password.user;
        if (user.name !== service.user || user.password !== service.password) {
          return json(res, 401, { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } });
        }
        const token = issue({ projectId: auth.scope.project.name, roles: ['service'] });
        return json(res, 201, body(tokens.get(token)!), { 'x-subject-token': token });
      }
      calls.validate++;
      if (misbehave) return misbehave(req, res);
      const caller = tokens.get(String(req.headers['x-auth-token']));
      if (!caller || !caller.roles.includes('service')) return json(res, 401, { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } });
      const subject = tokens.get(String(req.headers['x-subject-token']));
      if (!subject) return notFound(res);
      json(res, 200, body(subject));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3`;

  /** A fernet-looking token for a user. */
  function issue(user: FakeUser): string {
    const token = `gAAAAA${randomBytes(130).toString('base64url')}`;
    tokens.set(token, { ...user, userId: randomUUID().replace(/-/g, '') });
    return token;
  }

  return {
    url,
    calls,
    service,
    issue,
    /** Forget a token, as a revocation does. */
    revoke: (token: string) => tokens.delete(token),
    /** Revokes every token the service user holds (a password change). */
    revokeServiceTokens: () => {
      for (const [t, u] of tokens) if (u.roles.includes('service')) tokens.delete(t);
    },
    set misbehave(fn: ((req: IncomingMessage, res: ServerResponse) => void) | undefined) {
      misbehave = fn;
    },
    /** netcore's keystone settings for this fake. */
    config: (extra: Record<string, unknown> = {}) => ({
      authUrl: url,
      username: service.user,
      password: service.password,
      projectName: service.project,
      ...extra,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeKeystone = Awaited<ReturnType<typeof startFakeKeystone>>;
