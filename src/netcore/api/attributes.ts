import ipaddr from 'ipaddr.js';
import { badRequest } from '../errors.js';
import { normalizeMac } from '../mac.js';
import { parseCidr } from '../ipam/address.js';

/** Thrown by a converter: the reason part of "Invalid input for X. Reason: ...". */
export class InvalidValue extends Error {}

export type FilterKind = 'string' | 'bool' | 'int' | 'special' | 'none';

/** One attribute of a resource, as in Neutron's RESOURCE_ATTRIBUTE_MAP. */
export interface Attr {
  post?: boolean;
  put?: boolean;
  required?: boolean;
  /** Value used at create when the request omits the attribute. */
  default?: () => unknown;
  convert?: (value: unknown) => unknown;
  /** Only admin may set it. */
  adminOnly?: boolean;
  /** How a query-string filter value is read; 'special' means the plugin interprets the raw string. */
  filter?: FilterKind;
  /** Whether it may be a sort key (scalar columns). */
  sort?: boolean;
}
export type AttrMap = Record<string, Attr>;

const fail = (reason: string): never => {
  throw new InvalidValue(reason);
};
const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export const toBool = (v: unknown): boolean => {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false|1|0)$/i.test(v)) return /^(true|1)$/i.test(v);
  if (v === 0 || v === 1) return v === 1;
  return fail(`'${show(v)}' cannot be converted to boolean`);
};

export const toStr =
  (max = 255) =>
  (v: unknown): string => {
    if (typeof v !== 'string') return fail(`'${show(v)}' is not a valid string`);
    if (v.length > max) fail(`'${v}' exceeds maximum length of ${max}`);
    return v;
  };

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
export const toUuid = (v: unknown): string => (typeof v === 'string' && UUID.test(v) ? v.toLowerCase() : fail(`'${show(v)}' is not a valid UUID`));

export const toInt =
  (min: number, max: number) =>
  (v: unknown): number => {
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) return fail(`'${show(v)}' is not an integer`);
    if (n < min || n > max) fail(`'${n}' is not in range ${min} through ${max}`);
    return n;
  };

export const oneOf =
  <T>(values: readonly T[]) =>
  (v: unknown): T =>
    values.includes(v as T) ? (v as T) : fail(`'${show(v)}' is not in [${values.map((x) => `'${String(x)}'`).join(', ')}]`);

export const nullable =
  <T>(inner: (v: unknown) => T) =>
  (v: unknown): T | null =>
    v === null ? null : inner(v);

/** A canonical IP address string (IPv6 compressed as RFC 5952), or a failure. */
export const toIp = (v: unknown): string => {
  if (typeof v !== 'string' || !(ipaddr.IPv4.isValidFourPartDecimal(v) || ipaddr.IPv6.isValid(v)) || v.includes('%')) {
    return fail(`'${show(v)}' is not a valid IP address`);
  }
  return ipaddr.parse(v).toString();
};

/** A canonical CIDR; host bits set are refused, as Neutron does, with the network suggested. */
export const toCidr = (v: unknown): string => {
  if (typeof v !== 'string' || !v.includes('/')) return fail(`'${show(v)}' is not a valid IP subnet`);
  let cidr: string;
  let network: string | undefined;
  try {
    const [addr, len] = ipaddr.parseCIDR(v);
    if (addr.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(v.split('/')[0])) throw new Error();
    cidr = parseCidr(v).text;
    if (cidr !== `${addr.toString()}/${len}`) network = cidr;
  } catch {
    return fail(`'${v}' is not a valid IP subnet`);
  }
  return network ? fail(`'${v}' isn't a recognized IP subnet cidr, '${network}' is recommended`) : cidr;
};

export const toMac = (v: unknown): string => {
  const mac = typeof v === 'string' ? normalizeMac(v) : undefined;
  return mac ?? fail(`'${show(v)}' is not a valid MAC address`);
};

export const listOf =
  <T>(inner: (v: unknown) => T) =>
  (v: unknown): T[] =>
    Array.isArray(v) ? v.map(inner) : fail(`'${show(v)}' is not a list`);

/** An object with exactly the given keys (those marked optional may be absent). */
export const dictOf =
  (shape: Record<string, { convert: (v: unknown) => unknown; optional?: boolean }>) =>
  (v: unknown): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(`'${show(v)}' is not a dictionary`);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) if (!(key in shape)) fail(`Unrecognized key '${key}' in '${show(v)}'`);
    for (const [key, spec] of Object.entries(shape)) {
      const value = (v as Record<string, unknown>)[key];
      if (value === undefined) {
        if (!spec.optional) fail(`Validation of dictionary's keys failed. Expected keys: {'${Object.keys(shape).join("', '")}'} Provided keys: {'${Object.keys(v).join("', '")}'}`);
        continue;
      }
      out[key] = spec.convert(value);
    }
    return out;
  };

/** Converts one attribute value, turning a converter's complaint into Neutron's 400. */
export function convertAttr(name: string, attr: Attr, value: unknown): unknown {
  if (!attr.convert) return value;
  try {
    return attr.convert(value);
  } catch (err) {
    if (err instanceof InvalidValue) throw badRequest(`Invalid input for ${name}. Reason: ${err.message}.`);
    throw err;
  }
}

/** Validates a create body item: unknown or read-only attributes, required ones, conversion, defaults. */
export function parseCreate(attrs: AttrMap, item: Record<string, unknown>): Record<string, unknown> {
  const unknown = Object.keys(item).filter((k) => !attrs[k]);
  if (unknown.length) throw badRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  const out: Record<string, unknown> = {};
  for (const [name, attr] of Object.entries(attrs)) {
    if (!(name in item)) {
      if (attr.post && attr.required) throw badRequest(`Failed to parse request. Required attribute '${name}' not specified`);
      if (attr.post && attr.default) out[name] = attr.default();
      continue;
    }
    if (!attr.post) throw badRequest(`Attribute '${name}' not allowed in POST`);
    out[name] = convertAttr(name, attr, item[name]);
  }
  return out;
}

/** Validates an update body: only attributes that allow PUT. */
export function parseUpdate(attrs: AttrMap, item: Record<string, unknown>): Record<string, unknown> {
  const unknown = Object.keys(item).filter((k) => !attrs[k]);
  if (unknown.length) throw badRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    const attr = attrs[name];
    if (!attr.put) throw badRequest(`Cannot update read-only attribute ${name}`);
    out[name] = convertAttr(name, attr, value);
  }
  return out;
}
