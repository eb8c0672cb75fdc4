import { httpNotFound, policyNotAuthorized } from '../errors.js';
import type { NetcorePlugin, Port } from '../plugins/plugin.js';
import { dictOf, InvalidValue, listOf, toBool, toIp, toMac, toStr, toUuid, type AttrMap } from './attributes.js';
import { networkOwners } from './network-owners.js';
import { pluginOps, type ResourceSpec } from './resource.js';
import { standardAttrs } from './standard.js';
import { portSecurityGroupAttrs } from '../securitygroups/api.js';

const fixedIp = dictOf({ subnet_id: { convert: toUuid, optional: true }, ip_address: { convert: toIp, optional: true } });

export const portAttrs: AttrMap = {
  ...standardAttrs(),
  network_id: { post: true, required: true, convert: toUuid, filter: 'string', sort: true },
  admin_state_up: { post: true, put: true, default: () => true, convert: toBool, filter: 'bool', sort: true },
  status: { filter: 'string', sort: true },
  mac_address: { post: true, convert: toMac, filter: 'string', sort: true },
  fixed_ips: {
    post: true,
    put: true,
    convert: listOf((v) => {
      const ip = fixedIp(v);
      if (ip.subnet_id === undefined && ip.ip_address === undefined) throw new InvalidValue('a fixed IP needs subnet_id or ip_address');
      return ip;
    }),
    filter: 'special',
  },
  device_id: { post: true, put: true, default: () => '', convert: toStr(255), filter: 'string', sort: true },
  device_owner: { post: true, put: true, default: () => '', convert: toStr(255), filter: 'string', sort: true },
};

export function portSpec(plugin: NetcorePlugin): ResourceSpec<Port> {
  const owners = networkOwners(plugin);
  return {
    singular: 'port',
    collection: 'ports',
    // the security-group and port-security extensions add their attributes when the plugin has them
    attrs: plugin.securityGroups ? { ...portAttrs, ...portSecurityGroupAttrs } : portAttrs,
    ...pluginOps(plugin, 'Port'),
    // Anyone may attach to a network they own or that is shared; only the owner picks MACs, addresses or network:* owners.
    async authorizeCreate(ctx, item) {
      if (owners.owns(ctx, item.network_id as string)) return;
      const network = await plugin.getNetwork(ctx, item.network_id as string, ['project_id', 'shared']);
      owners.remember(network.id, network.project_id);
      if (ctx.isAdmin || network.project_id === ctx.projectId) return;
      // visible but neither owned nor shared (router:external): Neutron hides it with a plain 404
      if (!network.shared) throw httpNotFound();
      if (item.mac_address !== undefined) throw policyNotAuthorized('create_port:mac_address');
      if ((item.fixed_ips as { ip_address?: string }[] | undefined)?.some((ip) => ip.ip_address !== undefined)) {
        throw policyNotAuthorized('create_port:fixed_ips:ip_address');
      }
      if (String(item.device_owner).startsWith('network:')) throw policyNotAuthorized('create_port:device_owner');
      if (item.port_security_enabled !== undefined) throw policyNotAuthorized('create_port:port_security_enabled');
    },
  };
}
