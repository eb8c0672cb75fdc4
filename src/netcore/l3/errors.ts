import { NeutronError } from '../errors.js';

// neutron_lib's L3 faults (exceptions/l3.py, extraroute.py) and the generic ones the L3 plugin raises.

/** neutron_lib's generic BadRequest: its type on the wire is `BadRequest`, not `HTTPBadRequest`. */
export const badRouterRequest = (resource: 'router' | 'floatingip', msg: string) => new NeutronError('BadRequest', 400, `Bad ${resource} request: ${msg}.`);

export const routerNotFound = (id: string) => new NeutronError('RouterNotFound', 404, `Router ${id} could not be found`);
export const floatingIpNotFound = (id: string) => new NeutronError('FloatingIPNotFound', 404, `Floating IP ${id} could not be found`);
export const routerInUse = (id: string, reason = 'still has ports') => new NeutronError('RouterInUse', 409, `Router ${id} ${reason}`);
export const routerInterfaceNotFound = (routerId: string, portId: string) =>
  new NeutronError('RouterInterfaceNotFound', 404, `Router ${routerId} does not have an interface with id ${portId}`);
export const routerInterfaceNotFoundForSubnet = (routerId: string, subnetId: string) =>
  new NeutronError('RouterInterfaceNotFoundForSubnet', 404, `Router ${routerId} has no interface on subnet ${subnetId}`);
export const routerInterfaceInUseByFloatingIp = (routerId: string, subnetId: string) =>
  new NeutronError(
    'RouterInterfaceInUseByFloatingIP',
    409,
    `Router interface for subnet ${subnetId} on router ${routerId} cannot be deleted, as it is required by one or more floating IPs.`,
  );
export const routerInterfaceInUseByRoute = (routerId: string, subnetId: string) =>
  new NeutronError(
    'RouterInterfaceInUseByRoute',
    409,
    `Router interface for subnet ${subnetId} on router ${routerId} cannot be deleted, as it is required by one or more routes.`,
  );
export const externalGatewayForFloatingIpNotFound = (netId: string, subnetId: string, portId: string) =>
  new NeutronError(
    'ExternalGatewayForFloatingIPNotFound',
    404,
    `External network ${netId} is not reachable from subnet ${subnetId}.  Therefore, cannot associate Port ${portId} with a Floating IP.`,
  );
export const floatingIpPortAlreadyAssociated = (fip: { id: string; address: string }, portId: string, fixedIp: string, netId: string) =>
  new NeutronError(
    'FloatingIPPortAlreadyAssociated',
    409,
    `Cannot associate floating IP ${fip.address} (${fip.id}) with port ${portId} using fixed IP ${fixedIp}, as that fixed IP already has a floating IP on external network ${netId}.`,
  );
export const routerExternalGatewayInUseByFloatingIp = (routerId: string, netId: string) =>
  new NeutronError(
    'RouterExternalGatewayInUseByFloatingIp',
    409,
    `Gateway cannot be updated for router ${routerId}, since a gateway to external network ${netId} is required by one or more floating IPs.`,
  );
/** Neutron formats the routes as Python prints a list of dicts. */
const pyRoutes = (routes: { destination: string; nexthop: string }[]) => `[${routes.map((r) => `{'destination': '${r.destination}', 'nexthop': '${r.nexthop}'}`).join(', ')}]`;
export const invalidRoutes = (routes: { destination: string; nexthop: string }[], reason: string) =>
  new NeutronError('InvalidRoutes', 400, `Invalid format for routes: ${pyRoutes(routes)}, ${reason}`);
export const routesExhausted = (routerId: string, quota: number) =>
  new NeutronError('RoutesExhausted', 400, `Unable to complete operation for ${routerId}. The number of routes exceeds the maximum ${quota}.`);
export const portInUse = (portId: string, netId: string, deviceId: string) =>
  new NeutronError('PortInUse', 409, `Unable to complete operation on port ${portId} for network ${netId}. Port already has an attached device ${deviceId}.`);
export const servicePortInUse = (portId: string, reason: string) =>
  new NeutronError('ServicePortInUse', 409, `Port ${portId} cannot be deleted directly via the port API: ${reason}.`);
export const subnetMismatchForPort = (portId: string, subnetId: string) =>
  new NeutronError('SubnetMismatchForPort', 400, `Subnet on port ${portId} does not match the requested subnet ${subnetId}.`);
export const externalIpAddressExhausted = (netId: string) =>
  new NeutronError('ExternalIpAddressExhausted', 400, `Unable to find any IP address on external network ${netId}.`);
