import { randomInt } from 'node:crypto';

const MAC = /^([0-9a-f]{2})([:-]?)([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/i;

/** Lower-case, colon-separated form of a MAC, or undefined when it is not one. Multicast is refused. */
export function normalizeMac(value: string): string | undefined {
  const m = MAC.exec(value.trim());
  if (!m) return undefined;
  const octets = [m[1], m[3], m[4], m[5], m[6], m[7]].map((o) => o.toLowerCase());
  if (parseInt(octets[0], 16) & 1) return undefined;
  if (octets.every((o) => o === '00')) return undefined;
  return octets.join(':');
}

/** A random MAC under the base: as Neutron, the base's zero octets (from the fourth on) are randomised. */
export function randomMac(base: string): string {
  return base
    .toLowerCase()
    .split(':')
    .map((octet, i) => (i >= 3 && octet === '00' ? randomInt(256).toString(16).padStart(2, '0') : octet))
    .join(':');
}
