import type { NetcorePlugin, PluginFactory } from '../plugin.js';

// Placeholder while the reference plugin lands.
export const createSqlitePlugin: PluginFactory = () => {
  throw new Error('sqlite plugin: not yet implemented');
};
export type { NetcorePlugin };
