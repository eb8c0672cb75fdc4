import { httpNotFound, policyNotAuthorized } from '../errors.js';
import type { NetcorePlugin, Subnet, SubnetCreate } from '../plugins/plugin.js';
import { dictOf, InvalidValue, listOf, nullable, oneOf, toBool, toCidr, toIp, toUuid, type AttrMap } from './attributes.js';
import { networkOwners } from './network-owners.js';
import { pluginOps, type ResourceSpec } from './resource.js';
import { standardAttrs } from './standard.js';

/** neutron-lib's convert_none_to_empty_list: null means "none". */
const noneToEmpty =
  <T>(inner: (v: unknown) => T[]) =>
  (v: unknown): T[] =>
    v === null ? [] : inner(v);

export const IPV6_MODES = ['dhcpv6-stateful', 'dhcpv6-stateless', 'slaac'] as const;

export const subnetAttrs: AttrMap = {
  ...standardAttrs(),
  network_id: { post: true, required: true, convert: toUuid, filter: 'string', sort: true },
  ip_version: { post: true, required: true, convert: (v) => oneOf([4, 6])(typeof v === 'string' ? Number(v) : v), filter: 'int', sort: true },
  cidr: { post: true, required: true, convert: toCidr, filter: 'string', sort: true },
  gateway_ip: { post: true, put: true, convert: nullable(toIp), filter: 'string', sort: true },
  allocation_pools: { post: true, put: true, convert: listOf(dictOf({ start: { convert: toIp }, end: { convert: toIp } })), filter: 'none' },
  dns_nameservers: { post: true, put: true, default: () => [], convert: noneToEmpty(listOf(toIp)), filter: 'none' },
  host_routes: {
    post: true,
    put: true,
    default: () => [],
    convert: noneToEmpty(listOf(dictOf({ destination: { convert: toCidr }, nexthop: { convert: toIp } }))),
    filter: 'none',
  },
  enable_dhcp: { post: true, put: true, default: () => true, convert: toBool, filter: 'bool', sort: true },
  ipv6_ra_mode: { post: true, default: () => null, convert: nullable(oneOf(IPV6_MODES)), filter: 'string', sort: true },
  ipv6_address_mode: { post: true, default: () => null, convert: nullable(oneOf(IPV6_MODES)), filter: 'string', sort: true },
  subnetpool_id: {
    post: true,
    convert: (v) => {
      if (v !== null) throw new InvalidValue('subnet pools are not supported');
      return undefined;
    },
    filter: 'string',
  },
  service_types: { filter: 'none' },
};

export function subnetSpec(plugin: NetcorePlugin): ResourceSpec<Subnet> {
  const owners = networkOwners(plugin);
  return {
    singular: 'subnet',
    collection: 'subnets',
    attrs: subnetAttrs,
    ...pluginOps(plugin, 'Subnet', (items) => items.map(({ subnetpool_id: _, ...i }) => i) as unknown as SubnetCreate[]),
    // create_subnet: admin or the network's owner (a shared network's users may not add subnets)
    async authorizeCreate(ctx, item) {
      if (owners.owns(ctx, item.network_id as string)) return;
      const network = await plugin.getNetwork(ctx, item.network_id as string, ['project_id', 'shared']);
      owners.remember(network.id, network.project_id);
      if (ctx.isAdmin || network.project_id === ctx.projectId) return;
      // a shared network's users may not add subnets; one visible but not shared (router:external) is a plain 404, as Neutron
      throw network.shared ? policyNotAuthorized('create_subnet') : httpNotFound();
    },
  };
}
