/**
 * Neutron's faults. `type` is the class name a client turns into an exception, so it must match
 * Neutron's exactly; the messages follow neutron_lib's wording.
 */
export class NeutronError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly detail = '',
  ) {
    super(message);
    this.name = type;
  }

  toBody(): { NeutronError: { type: string; message: string; detail: string } } {
    return { NeutronError: { type: this.type, message: this.message, detail: this.detail } };
  }
}

const fault = (type: string, status: number) => (message: string) => new NeutronError(type, status, message);

// 400
export const badRequest = fault('HTTPBadRequest', 400);
// A non-admin naming another project as owner (Neutron's exact words; 400, not 403)
export const foreignProject = () =>
  badRequest("Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin or advsvc privileges");
export const invalidInput = (why: string) => new NeutronError('InvalidInput', 400, `Invalid input for operation: ${why}.`);
export const invalidAllocationPool = (pool: string) =>
  new NeutronError('InvalidAllocationPool', 400, `The allocation pool ${pool} is not valid.`);
export const outOfBoundsAllocationPool = (pool: string, cidr: string) =>
  new NeutronError('OutOfBoundsAllocationPool', 400, `The allocation pool ${pool} spans beyond the subnet cidr ${cidr}.`);
export const invalidIpForSubnet = (ip: string) =>
  new NeutronError('InvalidIpForSubnet', 400, `IP address ${ip} is not a valid IP for the specified subnet.`);
export const invalidIpForNetwork = (ip: string) =>
  new NeutronError('InvalidIpForNetwork', 400, `IP address ${ip} is not a valid IP for any of the subnets on the specified network.`);
export const dnsNameServersExhausted = (subnetId: string, quota: number) =>
  new NeutronError('DNSNameServersExhausted', 400, `Unable to complete operation for ${subnetId}. The number of DNS nameservers exceeds the limit ${quota}.`);
export const hostRoutesExhausted = (subnetId: string, quota: number) =>
  new NeutronError('HostRoutesExhausted', 400, `Unable to complete operation for ${subnetId}. The number of host routes exceeds the limit ${quota}.`);

// 403 (oslo.policy's wording, as Neutron Zed answers: "rule:create_network is disallowed by policy")
export const policyNotAuthorized = (action: string) => new NeutronError('PolicyNotAuthorized', 403, `rule:${action} is disallowed by policy`);
/** An attribute only admin may set: "(rule:create_network and rule:create_network:shared) is disallowed by policy". */
export const attributePolicyNotAuthorized = (action: string, attribute: string) =>
  new NeutronError('PolicyNotAuthorized', 403, `(rule:${action} and rule:${action}:${attribute}) is disallowed by policy`);

// 404
export const httpNotFound = (message = 'The resource could not be found.') => new NeutronError('HTTPNotFound', 404, message);
export const networkNotFound = (id: string) => new NeutronError('NetworkNotFound', 404, `Network ${id} could not be found.`);
export const subnetNotFound = (id: string) => new NeutronError('SubnetNotFound', 404, `Subnet ${id} could not be found.`);
export const portNotFound = (id: string) => new NeutronError('PortNotFound', 404, `Port ${id} could not be found.`);

// 405
export const methodNotAllowed = () => new NeutronError('HTTPMethodNotAllowed', 405, 'The method is not allowed for this resource.');

// 412: an If-Match revision_number constraint did not hold (Neutron's revision-if-match)
export const revisionNumberConstraintFailed = (expected: number, current: number) =>
  new NeutronError('RevisionNumberConstraintFailed', 412, `Constrained to ${expected}, but current revision is ${current}`);

// 409
export const networkInUse = (id: string) =>
  new NeutronError('NetworkInUse', 409, `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`);
export const subnetInUse = (id: string, reason = 'One or more ports have an IP allocation from this subnet.') =>
  new NeutronError('SubnetInUse', 409, `Unable to complete operation on subnet ${id}: ${reason}`);
export const ipAddressInUse = (netId: string, ip: string) =>
  new NeutronError('IpAddressInUse', 409, `Unable to complete operation for network ${netId}. The IP address ${ip} is in use.`);
export const ipAddressGenerationFailure = (netId: string) =>
  new NeutronError('IpAddressGenerationFailure', 409, `No more IP addresses available on network ${netId}.`);
export const macAddressInUse = (netId: string, mac: string) =>
  new NeutronError('MacAddressInUse', 409, `Unable to complete operation for network ${netId}. The mac address ${mac} is in use.`);
export const overlappingAllocationPools = (pool1: string, pool2: string, cidr: string) =>
  new NeutronError('OverlappingAllocationPools', 409, `Found overlapping allocation pools: ${pool1} ${pool2} for subnet ${cidr}.`);
export const gatewayConflictWithAllocationPools = (ip: string, pool: string) =>
  new NeutronError('GatewayConflictWithAllocationPools', 409, `Gateway ip ${ip} conflicts with allocation pool ${pool}.`);
export const gatewayIpInUse = (ip: string, portId: string) =>
  new NeutronError('GatewayIpInUse', 409, `Current gateway ip ${ip} already in use by port ${portId}. Unable to update.`);
export const vlanIdInUse = (vlan: number, physnet: string) =>
  new NeutronError('VlanIdInUse', 409, `Unable to create the network. The VLAN ${vlan} on physical network ${physnet} is in use.`);
export const tunnelIdInUse = (id: number) =>
  new NeutronError('TunnelIdInUse', 409, `Unable to create the network. The tunnel ID ${id} is in use.`);
export const flatNetworkInUse = (physnet: string) =>
  new NeutronError('FlatNetworkInUse', 409, `Unable to create the flat network. Physical network ${physnet} is in use.`);

// 503: a pool of segments is exhausted (neutron_lib ResourceExhausted)
export const noNetworkAvailable = () =>
  new NeutronError('NoNetworkAvailable', 503, 'Unable to create the network. No tenant network is available for allocation.');
