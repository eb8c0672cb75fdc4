// The reference plugin announcing none of its services (as a vendor plugin that implements only the
// core API would): the suite must skip the service cases, not fail them.
import type { PluginFactory } from '../../../src/netcore/plugins/plugin.js';
import { SQLITE_EXTENSIONS, SqlitePlugin } from '../../../src/netcore/plugins/sqlite/index.js';

export const SERVICE_ALIASES = ['router', 'ext-gw-mode', 'extraroute', 'fip-port-details', 'security-group', 'port-security', 'quotas', 'quota_details', 'lbaas'];

const createPlugin: PluginFactory = ({ db, config }) => {
  const plugin = new (class extends SqlitePlugin {
    override readonly name = 'core-only';
    override readonly extensions = SQLITE_EXTENSIONS.filter((e) => !SERVICE_ALIASES.includes(e));
    /** Unplugs every service: no routes, no attributes, no hooks. */
    coreOnly(): this {
      this.hooks.length = 0;
      return Object.defineProperties(this, { l3: { value: undefined }, securityGroups: { value: undefined }, quotas: { value: undefined }, lbaas: { value: undefined } });
    }
  })(db, config);
  return plugin.coreOnly();
};
export default createPlugin;
