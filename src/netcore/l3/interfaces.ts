import { contains, ipToBig, parseCidr } from '../ipam/address.js';
import type { RequestContext } from '../plugins/plugin.js';
import type { ServiceAccess } from '../plugins/sqlite/hooks.js';
import type { Ports } from '../plugins/sqlite/ports.js';
import type { Subnets, SubnetRow } from '../plugins/sqlite/subnets.js';
import {
  badRouterRequest,
  portInUse,
  routerInterfaceInUseByFloatingIp,
  routerInterfaceInUseByRoute,
  routerInterfaceNotFound,
  routerInterfaceNotFoundForSubnet,
  subnetMismatchForPort,
} from './errors.js';
import { INTERFACE_OWNER, servicePort, type RouterRow, type Routers } from './routers.js';
import type { InterfaceRequest, RouterInterfaceInfo } from './service.js';
import { checkDuplicateSubnets, checkSubnetAddressMode, routerPorts, subnetsById } from './topology.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** add_router_interface and remove_router_interface, by subnet or by port (Neutron's l3_db rules). */
export class Interfaces {
  constructor(
    private readonly access: ServiceAccess,
    private readonly routers: Routers,
    private readonly subnets: Subnets,
    private readonly ports: Ports,
  ) {}

  add(ctx: RequestContext, router: RouterRow, request: InterfaceRequest): RouterInterfaceInfo {
    const { byPort, bySubnet } = validateRequest(request, false);
    if (byPort) return this.addPort(ctx, router, request.port_id!);
    if (bySubnet) return this.addSubnet(ctx, router, request.subnet_id!);
    throw new Error('unreachable');
  }

  remove(ctx: RequestContext, router: RouterRow, request: InterfaceRequest): RouterInterfaceInfo {
    const { byPort } = validateRequest(request, true);
    return byPort ? this.removePort(router, request.port_id!, request.subnet_id) : this.removeSubnet(ctx, router, request.subnet_id!);
  }

  private addSubnet(ctx: RequestContext, router: RouterRow, subnetId: string): RouterInterfaceInfo {
    const { db } = this.access.core;
    const subnet = this.subnets.find(ctx, subnetId);
    if (!subnet.gateway_ip) throw badRouterRequest('router', 'Subnet for router interface must have a gateway IP');
    if (!ctx.isAdmin && subnet.project_id !== ctx.projectId) {
      throw badRouterRequest('router', `Cannot add interface to router because subnet ${subnetId} is not owned by project making the request`);
    }
    checkSubnetAddressMode(subnet);
    checkDuplicateSubnets(db, router.id, [subnet]);
    const request = { subnet_id: subnet.id, ip_address: subnet.gateway_ip };
    // As Neutron, a second IPv6 prefix on a network joins the router's existing IPv6 port there.
    if (subnet.ip_version === 6) {
      const existing = routerPorts(db, router.id).find((p) => p.owner === INTERFACE_OWNER && p.networkId === subnet.network_id && p.ips.some((ip) => ip.ip_address.includes(':')));
      if (existing) {
        this.access.updatePort(ctx, existing.portId, { fixed_ips: [...existing.ips, request] });
        this.routers.setColumns(router.id, {});
        return info(router.id, router.project_id, existing.portId, subnet.network_id, [subnet.id]);
      }
    }
    const portId = this.access.createPort(ctx, servicePort(INTERFACE_OWNER, router.id, subnet.network_id, router.project_id, [request]));
    this.routers.attach(router.id, portId, INTERFACE_OWNER);
    this.routers.setColumns(router.id, {});
    return info(router.id, router.project_id, portId, subnet.network_id, [subnet.id]);
  }

  private addPort(ctx: RequestContext, router: RouterRow, portId: string): RouterInterfaceInfo {
    const { db } = this.access.core;
    const port = this.ports.find(ctx, portId);
    if (port.device_id !== '') throw portInUse(port.id, port.network_id, port.device_id);
    const ips = this.access.showPort(port.id).fixed_ips;
    if (!ips.length) throw badRouterRequest('router', 'Router port must have at least one fixed IP');
    const subnets = subnetsById(db, [...new Set(ips.map((ip) => ip.subnet_id))]);
    subnets.forEach(checkSubnetAddressMode);
    if (ips.some((ip) => ip.ip_address.includes(':'))) {
      const other = routerPorts(db, router.id).find((p) => p.networkId === port.network_id && p.ips.some((ip) => ip.ip_address.includes(':')));
      if (other) {
        throw badRouterRequest(
          'router',
          `Cannot have multiple router ports with the same network id if both contain IPv6 subnets. Existing port ${other.portId} has IPv6 subnet(s) and network id ${port.network_id}`,
        );
      }
    }
    checkDuplicateSubnets(db, router.id, subnets);
    if (subnets.filter((s) => s.ip_version === 4).length > 1) throw badRouterRequest('router', 'Cannot have multiple IPv4 subnets on router port');
    if (!ctx.isAdmin) {
      for (const ip of ips) {
        const s = subnets.find((x) => x.id === ip.subnet_id)!;
        const inPool = this.access.core.ipam.pools(s.id).some((p) => ipToBig(p.start) <= ipToBig(ip.ip_address) && ipToBig(ip.ip_address) <= ipToBig(p.end));
        if (!inPool && s.project_id !== ctx.projectId) {
          throw badRouterRequest(
            'router',
            `Cannot add interface to router because specified port ${port.id} has an IP address out of the allocation pool of subnet ${s.id}, which is not owned by the project making the request`,
          );
        }
      }
    }
    this.access.updatePort(ctx, port.id, { device_id: router.id, device_owner: INTERFACE_OWNER });
    this.routers.attach(router.id, port.id, INTERFACE_OWNER);
    this.routers.setColumns(router.id, {});
    return info(router.id, port.project_id, port.id, port.network_id, subnets.map((s) => s.id), ips[ips.length - 1].subnet_id);
  }

  private removePort(router: RouterRow, portId: string, subnetId: string | undefined): RouterInterfaceInfo {
    const { db } = this.access.core;
    if (!this.routers.ports(router.id, INTERFACE_OWNER).includes(portId)) throw routerInterfaceNotFound(router.id, portId);
    const port = this.access.showPort(portId);
    const subnetIds = [...new Set(port.fixed_ips.map((ip) => ip.subnet_id))];
    if (subnetId !== undefined && !subnetIds.includes(subnetId)) throw subnetMismatchForPort(portId, subnetId);
    const subnets = subnetsById(db, subnetIds);
    for (const s of subnets) this.confirmNotInUse(router.id, s);
    this.routers.detach(portId);
    this.access.deletePort(portId);
    this.routers.setColumns(router.id, {});
    return info(router.id, port.project_id, portId, port.network_id, subnetIds, subnetIds[0]);
  }

  private removeSubnet(ctx: RequestContext, router: RouterRow, subnetId: string): RouterInterfaceInfo {
    const subnet = this.subnets.find(ctx, subnetId);
    const candidates = routerPorts(this.access.core.db, router.id).filter((p) => p.owner === INTERFACE_OWNER && p.networkId === subnet.network_id);
    if (candidates.length) this.confirmNotInUse(router.id, subnet);
    for (const p of candidates) {
      if (!p.ips.some((ip) => ip.subnet_id === subnetId)) continue;
      const port = this.access.showPort(p.portId);
      if (new Set(p.ips.map((ip) => ip.subnet_id)).size > 1) {
        // a multi-prefix (IPv6) port keeps its other prefixes
        this.access.updatePort(ctx, p.portId, { fixed_ips: p.ips.filter((ip) => ip.subnet_id !== subnetId) });
      } else {
        this.routers.detach(p.portId);
        this.access.deletePort(p.portId);
      }
      this.routers.setColumns(router.id, {});
      return info(router.id, port.project_id, p.portId, p.networkId, [subnetId]);
    }
    throw routerInterfaceNotFoundForSubnet(router.id, subnetId);
  }

  /** An interface stays while a floating IP reaches a port behind it, or an extra route's nexthop is on it. */
  private confirmNotInUse(routerId: string, subnet: SubnetRow): void {
    const { db } = this.access.core;
    const cidr = parseCidr(subnet.cidr);
    const fips = db
      .prepare(`SELECT f.fixed_ip_address FROM floatingips f WHERE f.router_id = ? AND f.fixed_port_id IN (SELECT port_id FROM ipallocations WHERE subnet_id = ?)`)
      .all(routerId, subnet.id) as { fixed_ip_address: string }[];
    if (fips.some((f) => f.fixed_ip_address && inCidr(cidr, f.fixed_ip_address))) throw routerInterfaceInUseByFloatingIp(routerId, subnet.id);
    if (this.routers.routes(routerId).some((r) => inCidr(cidr, r.nexthop))) throw routerInterfaceInUseByRoute(routerId, subnet.id);
  }
}

function inCidr(cidr: ReturnType<typeof parseCidr>, ip: string): boolean {
  return (ip.includes(':') ? 6 : 4) === cidr.version && contains(cidr, ipToBig(ip));
}

function validateRequest(request: InterfaceRequest, forRemoval: boolean): { byPort: boolean; bySubnet: boolean } {
  const byPort = request.port_id !== undefined;
  const bySubnet = request.subnet_id !== undefined;
  if (!byPort && !bySubnet) throw badRouterRequest('router', 'Either subnet_id or port_id must be specified');
  for (const key of ['port_id', 'subnet_id'] as const) {
    const v = request[key];
    if (v !== undefined && (typeof v !== 'string' || !UUID.test(v))) throw badRouterRequest('router', `'${String(v)}' is not a valid UUID`);
  }
  if (!forRemoval && byPort && bySubnet) throw badRouterRequest('router', 'Cannot specify both subnet-id and port-id');
  return { byPort, bySubnet };
}

function info(routerId: string, projectId: string, portId: string, networkId: string, subnetIds: string[], subnetId = subnetIds[subnetIds.length - 1]): RouterInterfaceInfo {
  return { id: routerId, tenant_id: projectId, port_id: portId, network_id: networkId, subnet_id: subnetId, subnet_ids: subnetIds };
}
