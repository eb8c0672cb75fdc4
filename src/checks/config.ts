import { z } from 'zod';
import { logins } from '../core/config-fields.js';

/** A netcore plugin name as `netbot conformance --plugin` takes it: a built-in or an npm package name. */
const pluginName = z.string().regex(/^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/, 'must be a netcore plugin name (a built-in such as sqlite, or an npm package name)');

/** A folder of the repository (`.` for its root), as `netbot conformance --plugin` takes a path. */
const packageFolder = z
  .string()
  .regex(/^\.(?:\/[A-Za-z0-9._-]+)*$/, 'must be a folder of the repository starting with "." (the root is ".")')
  .refine((path) => !path.split('/').includes('..'), 'must stay inside the repository');

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
  /**
   * A vendor's plugin repository: the folder of the plugin package (`.`), run against netcore's conformance
   * suite (the netbot version the plugin depends on) instead of netcore's own plugins and migrations.
   */
  pluginPackage: packageFolder.optional(),
});
export type ChecksConfig = z.infer<typeof checksConfigSchema>;
