import { NeutronError } from '../errors.js';

// Havana's LBaaS v1 faults (neutron/extensions/loadbalancer.py). MemberExists and VipExists were
// plain NeutronExceptions there (answered 500); here they are the 409 conflicts they describe.

export const poolNotFound = (id: string) => new NeutronError('PoolNotFound', 404, `Pool ${id} could not be found`);
export const memberNotFound = (id: string) => new NeutronError('MemberNotFound', 404, `Member ${id} could not be found`);
export const vipNotFound = (id: string) => new NeutronError('VipNotFound', 404, `Vip ${id} could not be found`);
export const healthMonitorNotFound = (id: string) => new NeutronError('HealthMonitorNotFound', 404, `Health_monitor ${id} could not be found`);
export const poolMonitorAssociationNotFound = (monitorId: string, poolId: string) =>
  new NeutronError('PoolMonitorAssociationNotFound', 404, `Monitor ${monitorId} is not associated with Pool ${poolId}`);
export const poolMonitorAssociationExists = (monitorId: string, poolId: string) =>
  new NeutronError('PoolMonitorAssociationExists', 409, `health_monitor ${monitorId} is already associated with pool ${poolId}`);
export const poolInUse = (id: string) => new NeutronError('PoolInUse', 409, `Pool ${id} is still in use`);
export const vipExists = (poolId: string) => new NeutronError('VipExists', 409, `Another Vip already exists for pool ${poolId}`);
export const memberExists = (address: string, port: number, poolId: string) =>
  new NeutronError('MemberExists', 409, `Member with address ${address} and port ${port} already present in pool ${poolId}`);
export const protocolMismatch = (vipProtocol: string, poolProtocol: string) =>
  new NeutronError('ProtocolMismatch', 400, `Protocol ${vipProtocol} does not match pool protocol ${poolProtocol}`);
export const notAuthorized = () => new NeutronError('NotAuthorized', 403, 'Not authorized.');
/** Havana raised a ValueError (500) for these; neutron-lbaas later named the 400 this way. */
export const sessionPersistenceInvalid = (msg: string) => new NeutronError('SessionPersistenceConfigurationInvalid', 400, `Session Persistence Invalid: ${msg}`);
