import { NeutronError } from '../errors.js';

// The security group extension's faults (neutron/extensions/securitygroup.py, neutron_lib's port_security).

export const securityGroupNotFound = (id: string) => new NeutronError('SecurityGroupNotFound', 404, `Security group ${id} does not exist`);
export const securityGroupRuleNotFound = (id: string) => new NeutronError('SecurityGroupRuleNotFound', 404, `Security group rule ${id} does not exist`);
export const securityGroupInUse = (id: string) => new NeutronError('SecurityGroupInUse', 409, `Security Group ${id} in use.`);
export const securityGroupCannotRemoveDefault = () => new NeutronError('SecurityGroupCannotRemoveDefault', 409, 'Insufficient rights for removing default security group.');
export const securityGroupCannotUpdateDefault = () => new NeutronError('SecurityGroupCannotUpdateDefault', 409, 'Updating default security group not allowed.');
export const securityGroupDefaultAlreadyExists = () => new NeutronError('SecurityGroupDefaultAlreadyExists', 409, 'Default security group already exists.');
export const securityGroupRuleExists = (ruleId: string) =>
  new NeutronError('SecurityGroupRuleExists', 409, `Security group rule already exists. Rule id is ${ruleId}.`);
export const duplicateSecurityGroupRuleInPost = () => new NeutronError('DuplicateSecurityGroupRuleInPost', 409, 'Duplicate Security Group Rule in POST.');
export const securityGroupNotSingleGroupRules = () =>
  new NeutronError('SecurityGroupNotSingleGroupRules', 400, 'Only allowed to update rules for one security profile at a time');
export const portSecurityAndIpRequiredForSecurityGroups = () =>
  new NeutronError('PortSecurityAndIPRequiredForSecurityGroups', 400, 'Port security must be enabled and port must have an IP address in order to use security groups.');
export const portSecurityPortHasSecurityGroup = () =>
  new NeutronError(
    'PortSecurityPortHasSecurityGroup',
    409,
    'Port has security group associated. Cannot disable port security or IP address until security group is removed.',
  );

// rule validation (400)
const invalid = (type: string, message: string) => new NeutronError(type, 400, message);
export const invalidPortRange = () => invalid('SecurityGroupInvalidPortRange', 'For TCP/UDP protocols, port_range_min must be <= port_range_max');
export const invalidPortValue = (port: unknown) => invalid('SecurityGroupInvalidPortValue', `Invalid value for port ${String(port)}`);
export const invalidProtocolForPort = (protocol: string, valid: string) =>
  invalid('SecurityGroupInvalidProtocolForPort', `Ports cannot be specified for protocol ${protocol}. Ports are only supported for ${valid}.`);
export const invalidIcmpValue = (field: string, attr: string, value: number) =>
  invalid('SecurityGroupInvalidIcmpValue', `Invalid value for ICMP ${field} (${attr}) ${value}. It must be 0 to 255.`);
export const missingIcmpType = (value: number) =>
  invalid('SecurityGroupMissingIcmpType', `ICMP code (port-range-max) ${value} is provided but ICMP type (port-range-min) is missing.`);
export const protocolRequiredWithPorts = () => invalid('SecurityGroupProtocolRequiredWithPorts', 'Must also specify protocol if port range is given.');
export const ethertypeConflictWithProtocol = (ethertype: string, protocol: string) =>
  invalid('SecurityGroupEthertypeConflictWithProtocol', `Invalid ethertype ${ethertype} for protocol ${protocol}.`);
export const multipleRemoteEntities = () =>
  invalid('SecurityGroupMultipleRemoteEntites', 'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.');
export const ruleParameterConflict = (ethertype: string, cidr: string) =>
  invalid('SecurityGroupRuleParameterConflict', `Conflicting value ethertype ${ethertype} for CIDR ${cidr}`);
export const invalidCidr = (input: unknown) => invalid('InvalidCIDR', `Invalid CIDR ${String(input)} given as IP prefix.`);
export const invalidEthertype = (value: unknown) =>
  invalid('SecurityGroupRuleInvalidEtherType', `Security group rule for ethertype '${String(value)}' not supported. Allowed values are ['IPv4', 'IPv6'].`);
