import type { Network, NetcorePlugin } from '../plugins/plugin.js';
import { oneOf, toBool, toInt, toStr, type AttrMap } from './attributes.js';
import { pluginOps, type ResourceSpec } from './resource.js';
import { standardAttrs } from './standard.js';
import { networkPortSecurityAttrs } from '../securitygroups/api.js';

export const NETWORK_TYPES = ['flat', 'vlan', 'vxlan', 'gre', 'local'] as const;

export const networkAttrs: AttrMap = {
  ...standardAttrs(),
  admin_state_up: { post: true, put: true, default: () => true, convert: toBool, filter: 'bool', sort: true },
  status: { filter: 'string', sort: true },
  shared: { post: true, put: true, default: () => false, convert: toBool, adminOnly: true, filter: 'bool', sort: true },
  subnets: { filter: 'special' },
  mtu: { post: true, put: true, convert: toInt(68, 65535), filter: 'int', sort: true },
  'router:external': { post: true, put: true, default: () => false, convert: toBool, adminOnly: true, filter: 'bool', sort: true },
  'provider:network_type': { post: true, convert: oneOf(NETWORK_TYPES), adminOnly: true, filter: 'string' },
  'provider:physical_network': { post: true, convert: toStr(64), adminOnly: true, filter: 'string' },
  'provider:segmentation_id': { post: true, convert: toInt(0, 2 ** 32 - 1), adminOnly: true, filter: 'int' },
};

export function networkSpec(plugin: NetcorePlugin): ResourceSpec<Network> {
  return {
    singular: 'network',
    collection: 'networks',
    attrs: plugin.securityGroups ? { ...networkAttrs, ...networkPortSecurityAttrs } : networkAttrs,
    ...pluginOps(plugin, 'Network'),
  };
}
