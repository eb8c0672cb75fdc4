import ipaddr from 'ipaddr.js';

/** Pure address arithmetic on BigInt, so IPv4 and IPv6 share one code path. */
export type IpVersion = 4 | 6;

export interface Cidr {
  version: IpVersion;
  prefix: number;
  /** network address */
  first: bigint;
  /** last address (broadcast in IPv4) */
  last: bigint;
  text: string;
}

export function ipToBig(ip: string): bigint {
  let n = 0n;
  for (const byte of ipaddr.parse(ip).toByteArray()) n = (n << 8n) | BigInt(byte);
  return n;
}

export function bigToIp(n: bigint, version: IpVersion): string {
  const bytes: number[] = [];
  for (let i = version === 4 ? 4 : 16; i > 0; i--) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

export function ipVersion(ip: string): IpVersion {
  return ipaddr.parse(ip).kind() === 'ipv4' ? 4 : 6;
}

/** Fixed-width hex so that text order in SQLite is numeric order. */
export const toKey = (n: bigint): string => n.toString(16).padStart(32, '0');
export const fromKey = (key: string): bigint => BigInt(`0x${key}`);

export function parseCidr(text: string): Cidr {
  const [addr, prefix] = ipaddr.parseCIDR(text);
  const version: IpVersion = addr.kind() === 'ipv4' ? 4 : 6;
  const bits = version === 4 ? 32 : 128;
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const first = ipToBig(addr.toString()) & ~hostMask;
  return { version, prefix, first, last: first | hostMask, text: `${bigToIp(first, version)}/${prefix}` };
}

export function contains(cidr: Cidr, ip: bigint): boolean {
  return ip >= cidr.first && ip <= cidr.last;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

/** Modified EUI-64 interface id from a MAC (RFC 4291 appendix A) under a /64 prefix. */
export function eui64(prefix: Cidr, mac: string): string {
  const b = mac.split(':').map((h) => parseInt(h, 16));
  const iid = [b[0] ^ 0x02, b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]].reduce((n, x) => (n << 8n) | BigInt(x), 0n);
  return bigToIp(prefix.first | iid, 6);
}
