type Awaitable<T> = T | Promise<T>;

/** What a metadata proxy knows of a request: the VM's address, and the router or network it came through. */
export interface MetadataQuery {
  /** X-Forwarded-For: the requesting VM's address. */
  address: string;
  /** X-Neutron-Router-ID: the request came through this router's namespace. */
  routerId?: string;
  /** X-Neutron-Network-ID: the request came through this network's DHCP namespace. */
  networkId?: string;
}

/** The one port the request came from: its instance (device_id) and project. */
export interface MetadataInstance {
  instance_id: string;
  project_id: string;
  port_id: string;
  network_id: string;
}

/**
 * The lookup Neutron's metadata agent makes for Nova's metadata service: which instance sent a
 * request, found among the ports of the router's (or the network's) networks with the request's
 * address, even when many projects use the same CIDR. Exactly one port, or NotFound.
 */
export interface MetadataService {
  findInstance(query: MetadataQuery): Awaitable<MetadataInstance>;
}
