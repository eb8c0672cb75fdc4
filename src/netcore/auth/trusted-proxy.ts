import ipaddr from 'ipaddr.js';
import type { RequestContext } from '../plugins/plugin.js';
import { callerOf, header, parseRoles } from './caller.js';
import { Unauthorized } from './errors.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * keystonemiddleware's deployment: a proxy in front validated the token and passes the identity as
 * headers. They are believed only from the configured addresses, and only when the proxy says it
 * confirmed them (`X-Identity-Status: Confirmed`).
 */
export class TrustedProxy {
  private readonly ranges: Range[];

  constructor(trusted: readonly string[]) {
    this.ranges = trusted.map((t) => (t.includes('/') ? ipaddr.parseCIDR(t) : single(ipaddr.parse(t))));
  }

  caller(remoteAddress: string | undefined, headers: Record<string, string | string[] | undefined>): RequestContext {
    if (!this.trusts(remoteAddress)) throw new Unauthorized(`${remoteAddress ?? 'this address'} is not a trusted proxy`);
    if (header(headers, 'x-identity-status') !== 'Confirmed') throw new Unauthorized('the proxy did not confirm an identity (X-Identity-Status)');
    const project = header(headers, 'x-project-id') ?? header(headers, 'x-tenant-id');
    if (project === undefined) throw new Unauthorized('the identity names no project (X-Project-Id)');
    return callerOf(project, parseRoles(header(headers, 'x-roles')), true, header(headers, 'x-user-id'));
  }

  trusts(remoteAddress: string | undefined): boolean {
    if (remoteAddress === undefined || !ipaddr.isValid(remoteAddress)) return false;
    const addr = ipaddr.process(remoteAddress); // ::ffff:10.0.0.1 is 10.0.0.1
    return this.ranges.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
  }
}

function single(addr: ipaddr.IPv4 | ipaddr.IPv6): Range {
  const plain = addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
  return [plain, plain.kind() === 'ipv4' ? 32 : 128];
}
