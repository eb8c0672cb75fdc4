import { z } from 'zod';
import { logins } from '../core/config-fields.js';

/** A netcore plugin name as `netbot conformance --plugin` takes it: a built-in or an npm package name. */
const pluginName = z.string().regex(/^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/, 'must be a netcore plugin name (a built-in such as sqlite, or an npm package name)');

/** `checks:` in .github/netbot.yml. */
export const checksConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** netcore plugins whose conformance suite runs on pull requests. */
  plugins: z
    .array(pluginName)
    .default(['sqlite'])
    .refine((names) => new Set(names).size === names.length, 'lists a plugin twice'),
  /** Authors whose pull requests run without `/ok-to-test` (besides maintainers). */
  trustedAuthors: logins,
});
