import { NeutronError } from '../errors.js';
import type { RequestContext } from '../plugins/plugin.js';
import { callerOf } from './caller.js';
import type { KeystoneConfig } from './config.js';
import { keystoneUnavailable, Unauthorized } from './errors.js';
import { TokenCache } from './token-cache.js';

/** Longest X-Auth-Token sent to Keystone: fernet tokens are under 256 characters, JWS ones under 1,000. */
export const MAX_TOKEN_LENGTH = 8192;
/** What a token may be made of (fernet: URL-safe base64; JWS: base64url parts joined by dots). */
const TOKEN_CHARS = /^[A-Za-z0-9._~+/=-]+$/;
/** Bigger answers from Keystone are not read (a token validation without catalog is a few hundred bytes). */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** The service token is renewed this long before it expires. */
const SERVICE_TOKEN_MARGIN_MS = 60_000;

/**
 * Validates callers' tokens against Keystone v3 as keystonemiddleware does: `GET /v3/auth/tokens`
 * with the token in `X-Subject-Token`, authenticated by netcore's service user. A validated token is
 * believed until it expires or `tokenCacheSeconds` pass, whichever comes first, so a warm request
 * never waits on Keystone.
 */
export class KeystoneAuth {
  readonly wwwAuthenticate: string;
  private readonly base: string;
  private readonly cache: TokenCache<RequestContext>;
  private readonly pending = new Map<string, Promise<RequestContext>>();
  private service?: { token: string; expiresAt: number };
  private serviceLogin?: Promise<string>;

  constructor(private readonly config: KeystoneConfig) {
    const url = config.authUrl.replace(/\/+$/, '');
    this.base = url.endsWith('/v3') ? url : `${url}/v3`;
    this.wwwAuthenticate = `Keystone uri="${config.wwwAuthenticateUri ?? config.authUrl}"`;
    this.cache = new TokenCache(config.tokenCacheSize);
  }

  /** The caller a token stands for: at once from the cache, else once Keystone answers. */
  caller(token: string | undefined): RequestContext | Promise<RequestContext> {
    if (token === undefined) throw this.unauthorized('no X-Auth-Token header');
    const known = this.cache.get(token, Date.now());
    if (known !== undefined) return known;
    if (token.length > MAX_TOKEN_LENGTH) throw this.unauthorized(`the token is longer than ${MAX_TOKEN_LENGTH} characters`);
    if (!TOKEN_CHARS.test(token)) throw this.unauthorized('the token is malformed');
    let answer = this.pending.get(token);
    if (answer === undefined) {
      answer = this.validate(token).finally(() => this.pending.delete(token));
      this.pending.set(token, answer);
    }
    return answer;
  }

  private async validate(token: string): Promise<RequestContext> {
    for (let attempt = 0; ; attempt++) {
      const serviceToken = await this.serviceToken();
      const res = await this.request('GET', '/auth/tokens?nocatalog', { 'x-auth-token': serviceToken, 'x-subject-token': token });
      if (res.status === 404) throw this.unauthorized('Keystone does not know the token (unknown, expired or revoked)');
      // our own token lapsed or was revoked: log in again once
      if (res.status === 401 && attempt === 0) {
        this.service = undefined;
        continue;
      }
      if (res.status === 403) throw keystoneUnavailable('Keystone does not let netcore’s service user validate tokens (it needs the service or admin role)');
      if (res.status !== 200) throw keystoneUnavailable(`Keystone answered ${res.status} to a token validation`);
      const t = readToken(res.body);
      const now = Date.now();
      if (t.expiresAt <= now) throw this.unauthorized('the token has expired');
      if (t.projectId === undefined) throw this.unauthorized('the token is not scoped to a project');
      const caller = callerOf(t.projectId, t.roles, true, t.userId);
      const ttl = this.config.tokenCacheSeconds * 1000;
      if (ttl > 0) this.cache.set(token, caller, Math.min(t.expiresAt, now + ttl));
      return caller;
    }
  }

  private serviceToken(): Promise<string> | string {
    if (this.service && this.service.expiresAt - SERVICE_TOKEN_MARGIN_MS > Date.now()) return this.service.token;
    this.serviceLogin ??= this.login().finally(() => (this.serviceLogin = undefined));
    return this.serviceLogin;
  }

  private async login(): Promise<string> {
    const { username, password, projectName, userDomainName, projectDomainName } = this.config;
    const body = JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: username, domain: { name: userDomainName }, password } } },
        scope: { project: { name: projectName, domain: { name: projectDomainName } } },
      },
    });
    const res = await this.request('POST', '/auth/tokens?nocatalog', { 'content-type': 'application/json' }, body);
    if (res.status === 401) throw keystoneUnavailable('Keystone refused netcore’s service credentials');
    const token = res.headers.get('x-subject-token');
    if (res.status !== 201 || !token) throw keystoneUnavailable(`Keystone answered ${res.status} to netcore’s service login`);
    this.service = { token, expiresAt: readToken(res.body).expiresAt };
    return token;
  }

  /** One call to Keystone, answer read in full, all within `timeoutMs`; any failure on the way is a 503. */
  private async request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Headers; body: string }> {
    const { timeoutMs } = this.config;
    try {
      const res = await fetch(`${this.base}${path}`, { method, headers: { accept: 'application/json', ...headers }, body, signal: AbortSignal.timeout(timeoutMs) });
      return { status: res.status, headers: res.headers, body: await readCapped(res) };
    } catch (err) {
      if (err instanceof NeutronError) throw err;
      if ((err as Error).name === 'TimeoutError') throw keystoneUnavailable(`Keystone did not answer within ${timeoutMs} ms`);
      throw keystoneUnavailable(`Keystone could not be reached (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message})`);
    }
  }

  private unauthorized(detail: string): Unauthorized {
    return new Unauthorized(detail, this.wwwAuthenticate);
  }
}

interface TokenFacts {
  expiresAt: number;
  projectId?: string;
  roles: string[];
  userId: string;
}

/** The facts of a Keystone token body; anything else is Keystone talking nonsense (503). */
function readToken(text: string): TokenFacts {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw keystoneUnavailable('Keystone answered something that is not JSON');
  }
  const t = (doc as { token?: Record<string, unknown> } | null)?.token;
  const expiresAt = typeof t?.expires_at === 'string' ? Date.parse(t.expires_at) : NaN;
  const userId = (t?.user as { id?: unknown } | undefined)?.id;
  const project = t?.project as { id?: unknown } | undefined;
  const roles = t?.roles;
  if (!t || Number.isNaN(expiresAt) || typeof userId !== 'string' || (project !== undefined && typeof project?.id !== 'string') || (roles !== undefined && !Array.isArray(roles))) {
    throw keystoneUnavailable('Keystone answered something that is not a token');
  }
  const names = ((roles ?? []) as { name?: unknown }[]).map((r) => r?.name);
  if (names.some((n) => typeof n !== 'string')) throw keystoneUnavailable('Keystone answered a token with unnamed roles');
  return { expiresAt, projectId: project?.id as string | undefined, roles: (names as string[]).map((n) => n.toLowerCase()), userId };
}

async function readCapped(res: Response): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_ANSWER_BYTES) {
    await res.body?.cancel();
    throw keystoneUnavailable(`Keystone's answer is over ${MAX_ANSWER_BYTES} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) throw keystoneUnavailable(`Keystone's answer is over ${MAX_ANSWER_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
