import type { NetcorePlugin, Port, RequestContext } from '../plugins/plugin.js';
import type { MetadataService } from './service.js';
import { instanceNotFound, remoteAddress, ROUTER_INTERFACE_OWNERS } from './sqlite.js';

const SYSTEM: RequestContext = { projectId: '', isAdmin: true };

/**
 * The lookup for any plugin, through its core API as Neutron's metadata agent makes it over RPC:
 * the router's interface ports give its networks, then the ports on those networks with the
 * address (or, for an IPv6 link-local one, the MAC it encodes). A plugin may offer a faster one
 * (`metadata`), as the reference plugin does.
 */
export function coreMetadata(plugin: NetcorePlugin): MetadataService {
  const ports = (filters: Record<string, unknown[]>) => Promise.resolve(plugin.listPorts(SYSTEM, { filters, sorts: [{ key: 'id', dir: 'asc' }] })) as Promise<Port[]>;
  return {
    async findInstance(query) {
      if (query.routerId && query.networkId) throw instanceNotFound('both a router and a network were given');
      const networks = query.networkId
        ? [query.networkId]
        : query.routerId
          ? [...new Set((await ports({ device_id: [query.routerId], device_owner: ROUTER_INTERFACE_OWNERS })).map((p) => p.network_id))]
          : [];
      const { address, mac } = remoteAddress(query.address);
      const found = networks.length ? await ports({ network_id: networks, ...(mac ? { mac_address: [mac] } : { fixed_ips: [`ip_address=${address}`] }) }) : [];
      if (found.length !== 1) throw instanceNotFound(found.length ? `${found.length} ports have address ${query.address}` : `no port has address ${query.address} there`);
      const [port] = found;
      if (!port.device_id) throw instanceNotFound(`port ${port.id} has no device`);
      return { instance_id: port.device_id, project_id: port.project_id, port_id: port.id, network_id: port.network_id };
    },
  };
}
