import type { NetcorePlugin, RequestContext } from '../plugins/plugin.js';

const CAPACITY = 10_000;
const byPlugin = new WeakMap<NetcorePlugin, Map<string, string>>();

/**
 * The project that owns a network, as last read, per plugin. A network's project_id is set when it
 * is created and never changes, and ids are never reused, so a remembered owner stays true while the
 * network exists; once it is gone the plugin's create refuses its id (NetworkNotFound). So a create
 * on one's own network needs no read of it: in the request path that read cost as much as a fifth
 * of a port create.
 */
export function networkOwners(plugin: NetcorePlugin) {
  let owners = byPlugin.get(plugin);
  if (!owners) byPlugin.set(plugin, (owners = new Map()));
  const known = owners;
  return {
    /** True when the caller's project is known to own the network. */
    owns: (ctx: RequestContext, networkId: string): boolean => known.get(networkId) === ctx.projectId,
    remember(networkId: string, projectId: string): void {
      if (known.size >= CAPACITY) known.delete(known.keys().next().value!);
      known.set(networkId, projectId);
    },
  };
}
