import { NeutronError } from '../errors.js';

/** neutron-lib's OverQuota, its resources listed as Python prints a list. */
export const overQuota = (resources: string[]) =>
  new NeutronError('OverQuota', 409, `Quota exceeded for resources: [${resources.map((r) => `'${r}'`).join(', ')}].`);
