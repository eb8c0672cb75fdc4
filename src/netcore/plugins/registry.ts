import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PluginFactory } from './plugin.js';

type Loader = () => Promise<PluginFactory>;

const builtins = new Map<string, Loader>([
  ['sqlite', async () => (await import('./sqlite/index.js')).createSqlitePlugin],
  ['journal', async () => (await import('./journal/index.js')).createJournalPlugin],
]);

/** Makes a plugin available by name (e.g. from a test, or a vendor's bootstrap code). */
export function registerPlugin(name: string, factory: PluginFactory): void {
  builtins.set(name, async () => factory);
}

export function registeredPlugins(): string[] {
  return [...builtins.keys()].sort();
}

/**
 * Finds a plugin by name: a registered one, else a folder or file path (`./vendor/plugin`,
 * resolved against the working directory), else an npm package name. The module must export
 * a factory as `default` or `createPlugin`.
 */
export async function resolvePlugin(name: string): Promise<PluginFactory> {
  const builtin = builtins.get(name);
  if (builtin) return builtin();
  const isPath = name.startsWith('.') || isAbsolute(name);
  const specifier = isPath ? pathToFileURL(resolveFolder(resolve(name))).href : name;
  let mod: { default?: unknown; createPlugin?: unknown };
  try {
    mod = (await import(specifier)) as typeof mod;
  } catch (err) {
    throw new Error(`netcore plugin "${name}" could not be loaded (known: ${registeredPlugins().join(', ')}): ${(err as Error).message}`);
  }
  const factory = mod.createPlugin ?? mod.default;
  if (typeof factory !== 'function') throw new Error(`netcore plugin "${name}" exports no factory (default or createPlugin)`);
  return factory as PluginFactory;
}

// A folder plugin is loaded through its index.js.
function resolveFolder(path: string): string {
  return /\.(m?js|ts)$/.test(path) ? path : `${path}/index.js`;
}
