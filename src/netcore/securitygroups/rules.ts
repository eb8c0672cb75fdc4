import ipaddr from 'ipaddr.js';
import { NeutronError } from '../errors.js';
import {
  ethertypeConflictWithProtocol,
  invalidCidr,
  invalidEthertype,
  invalidIcmpValue,
  invalidPortRange,
  invalidPortValue,
  invalidProtocolForPort,
  missingIcmpType,
  multipleRemoteEntities,
  protocolRequiredWithPorts,
  ruleParameterConflict,
} from './errors.js';
import type { Ethertype, SecurityGroupRuleCreate } from './service.js';

// Neutron's security group rule rules (neutron/extensions/securitygroup.py converters and
// db/securitygroups_db.py validation), pure: a request in, a canonical rule or a NeutronError out.

/** neutron-lib's IP_PROTOCOL_MAP: the names a rule may use, and their numbers. */
export const IP_PROTOCOLS: Record<string, number> = {
  ah: 51, dccp: 33, egp: 8, esp: 50, gre: 47, hopopt: 0, icmp: 1, igmp: 2, ip: 0, ipip: 4, 'ipv6-encap': 41, 'ipv6-frag': 44,
  'ipv6-icmp': 58, icmpv6: 58, 'ipv6-nonxt': 59, 'ipv6-opts': 60, 'ipv6-route': 43, ospf: 89, pgm: 113, rsvp: 46, sctp: 132,
  tcp: 6, udp: 17, udplite: 136, vrrp: 112,
};
/** Numbers back to names (hopopt and ip share 0: `ip` wins, as neutron-lib's map says). */
const NUMBER_NAMES: Record<string, string> = Object.fromEntries(Object.entries(IP_PROTOCOLS).filter(([n]) => n !== 'hopopt' && n !== 'icmpv6').map(([n, v]) => [String(v), n]));
const PORT_PROTOCOLS = [33, 132, 6, 17, 136];
const IPV6_ONLY = ['ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'icmpv6', 'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', '41', '44', '58', '59', '60', '43'];

const names = `[None, ${Object.keys(IP_PROTOCOLS).map((n) => `'${n}'`).join(', ')}]`;
const invalidProtocol = (value: unknown) =>
  new NeutronError(
    'SecurityGroupRuleInvalidProtocol',
    400,
    `Security group rule protocol ${String(value)} not supported. Only protocol values ${names} and integer representations [0 to 255] are supported.`,
  );

/** convert_protocol: a number 0-255 (kept as a string), or a protocol name (lower-cased). */
export function convertProtocol(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value))) {
    const n = Number(value);
    if (Number.isInteger(n) && n >= 0 && n <= 255) return String(value);
    throw invalidProtocol(value);
  }
  if (typeof value === 'string' && value.toLowerCase() in IP_PROTOCOLS) return value.toLowerCase();
  throw invalidProtocol(value);
}

/** convert_validate_port_value: 0-65535 or null. */
export function convertPort(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 65535) return n;
  throw invalidPortValue(value);
}

export function convertEthertype(value: unknown): Ethertype {
  const hit = typeof value === 'string' && (['IPv4', 'IPv6'] as const).find((e) => e.toLowerCase() === value.toLowerCase());
  if (!hit) throw invalidEthertype(value);
  return hit;
}

/** convert_ip_prefix_to_cidr: an address or a network, kept as given (host bits included) with its mask. */
export function convertPrefix(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string') throw invalidCidr(value);
  try {
    if (value.includes('/')) {
      const [addr, len] = ipaddr.parseCIDR(value);
      if (addr.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(value.split('/')[0])) throw new Error();
      return `${addr.toString()}/${len}`;
    }
    if (!(ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value))) throw new Error();
    const addr = ipaddr.parse(value);
    return `${addr.toString()}/${addr.kind() === 'ipv4' ? 32 : 128}`;
  } catch {
    throw invalidCidr(value);
  }
}

const protocolNumber = (protocol: string): number => (protocol in IP_PROTOCOLS ? IP_PROTOCOLS[protocol] : Number(protocol));

/**
 * The checks Neutron makes on a converted rule, in its order; returns the canonical rule: legacy
 * IPv6 ICMP names become ipv6-icmp (and 1 becomes 58), the full port range 1-65535 becomes none.
 */
export function canonicalRule(input: SecurityGroupRuleCreate): SecurityGroupRuleCreate {
  const rule = { ...input };
  if (rule.ethertype === 'IPv6') {
    if (rule.protocol === 'icmp' || rule.protocol === 'icmpv6') rule.protocol = 'ipv6-icmp';
    else if (rule.protocol === '1') rule.protocol = '58';
  }
  if (rule.port_range_min === 1 && rule.port_range_max === 65535) {
    rule.port_range_min = null;
    rule.port_range_max = null;
  }
  checkPortRange(rule);
  if (rule.remote_ip_prefix !== null) {
    const version = rule.remote_ip_prefix.includes(':') ? 'IPv6' : 'IPv4';
    if (rule.ethertype !== version) throw ruleParameterConflict(rule.ethertype, rule.remote_ip_prefix);
  }
  if (rule.protocol !== null && IPV6_ONLY.includes(rule.protocol) && rule.ethertype === 'IPv4') throw ethertypeConflictWithProtocol(rule.ethertype, rule.protocol);
  if (rule.remote_ip_prefix !== null && rule.remote_group_id !== null) throw multipleRemoteEntities();
  return rule;
}

function checkPortRange(rule: SecurityGroupRuleCreate): void {
  const { port_range_min: min, port_range_max: max } = rule;
  if (min === null && max === null) return;
  if (!rule.protocol) throw protocolRequiredWithPorts();
  const proto = protocolNumber(rule.protocol);
  if (PORT_PROTOCOLS.includes(proto)) {
    if (min === 0 || max === 0) throw invalidPortValue(0);
    if (!(min !== null && max !== null && min <= max)) throw invalidPortRange();
  } else if (proto === 1 || proto === 58) {
    for (const [value, field, attr] of [
      [min, 'type', 'port_range_min'],
      [max, 'code', 'port_range_max'],
    ] as const) {
      if (value !== null && !(value >= 0 && value <= 255)) throw invalidIcmpValue(field, attr, value);
    }
    if (min === null && max !== null) throw missingIcmpType(max);
  } else {
    throw invalidProtocolForPort(String(proto), 'DCCP, SCTP, TCP, UDP, UDPLITE');
  }
}

/** Neutron's _rule_to_key: rules that mean the same thing (tcp and 6, no prefix and 0.0.0.0/0) collide. */
export function ruleKey(rule: Pick<SecurityGroupRuleCreate, 'direction' | 'ethertype' | 'port_range_min' | 'port_range_max' | 'protocol' | 'remote_group_id' | 'remote_ip_prefix' | 'security_group_id'>): string {
  const none = '+';
  const protocol = (): string => {
    if (rule.protocol === null) return none;
    let p = rule.protocol;
    if (rule.ethertype === 'IPv6') {
      if (p === 'icmp' || p === 'icmpv6') p = 'ipv6-icmp';
      else if (p === '1') p = '58';
    }
    if (p in IP_PROTOCOLS) return `${p}/${IP_PROTOCOLS[p]}`;
    if (p in NUMBER_NAMES) return `${NUMBER_NAMES[p]}/${p}`;
    return `${p}/${p}`;
  };
  const prefix = rule.remote_ip_prefix === null || rule.remote_ip_prefix === '0.0.0.0/0' || rule.remote_ip_prefix === '::/0' ? none : rule.remote_ip_prefix;
  return [
    rule.direction,
    rule.ethertype,
    rule.port_range_max ?? none,
    rule.port_range_min ?? none,
    protocol(),
    rule.remote_group_id ?? none,
    none, // remote_address_group_id: no address groups here
    prefix,
    rule.security_group_id,
  ].join('_');
}
