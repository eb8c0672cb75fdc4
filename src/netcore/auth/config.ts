import ipaddr from 'ipaddr.js';
import { z } from 'zod';

export const AUTH_MODES = ['noauth', 'keystone', 'trusted-proxy'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** keystonemiddleware's [keystone_authtoken] in small: the service user that validates callers' tokens. */
export const KeystoneConfigSchema = z.object({
  /** Keystone's identity v3 URL, e.g. `http://keystone:5000/v3` (`/v3` is added when missing). */
  authUrl: z.url({ protocol: /^https?$/ }),
  username: z.string().min(1),
  password: z.string().min(1),
  projectName: z.string().min(1),
  userDomainName: z.string().min(1).default('Default'),
  projectDomainName: z.string().min(1).default('Default'),
  /** Where a 401 sends clients (`WWW-Authenticate: Keystone uri="..."`); default: authUrl. */
  wwwAuthenticateUri: z.url({ protocol: /^https?$/ }).optional(),
  /** How long a call to Keystone may take before the request is answered 503. */
  timeoutMs: z.number().int().positive().default(5000),
  /** keystonemiddleware's token_cache_time: a validated token is believed this long (or to its expiry, if sooner). 0: ask every time. */
  tokenCacheSeconds: z.number().int().nonnegative().default(300),
  /** Validated tokens kept at most; the oldest go first. */
  tokenCacheSize: z.number().int().positive().default(10_000),
});
export type KeystoneConfig = z.infer<typeof KeystoneConfigSchema>;

const addressOrCidr = z.string().refine(
  (s) => {
    try {
      if (s.includes('/')) ipaddr.parseCIDR(s);
      else ipaddr.parse(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IP address or a CIDR' },
);

/** The auth keys of netcore's config (composed into NetcoreConfigSchema). */
export const authConfigShape = {
  /** Who the caller is: `noauth` (headers, development), `keystone` (tokens), `trusted-proxy` (keystonemiddleware's headers). */
  auth: z.enum(AUTH_MODES).default('noauth'),
  keystone: KeystoneConfigSchema.optional(),
  /** Addresses (or CIDRs) whose identity headers are believed in trusted-proxy mode. */
  trustedProxies: z.array(addressOrCidr).default([]),
};

/** Cross-key rules: a mode needs its settings. */
export function checkAuthConfig(c: { auth: AuthMode; keystone?: unknown; trustedProxies: string[] }, ctx: z.RefinementCtx): void {
  if (c.auth === 'keystone' && c.keystone === undefined) {
    ctx.addIssue({ code: 'custom', path: ['keystone'], message: 'auth "keystone" needs the keystone settings (authUrl, username, password, projectName)' });
  }
  if (c.auth === 'trusted-proxy' && c.trustedProxies.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['trustedProxies'], message: 'auth "trusted-proxy" needs at least one trusted proxy address' });
  }
}
