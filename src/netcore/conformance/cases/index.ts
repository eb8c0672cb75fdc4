import type { ConformanceCase } from '../case.js';
import { bulkCases } from './bulk.js';
import { discoveryCases, errorCases } from './errors.js';
import { fixedIpCases } from './fixed_ips.js';
import { ipamCases } from './ipam.js';
import { ipv6Cases } from './ipv6.js';
import { isolationCases } from './isolation.js';
import { listCases } from './lists.js';
import { macCases } from './macs.js';
import { networkCases } from './networks.js';
import { portCases } from './ports.js';
import { segmentCases } from './segments.js';
import { floatingIpCases } from './services/floating_ips.js';
import { lbaasCases } from './services/lbaas.js';
import { quotaCases } from './services/quotas.js';
import { metadataCases } from './services/metadata.js';
import { routerCases } from './services/routers.js';
import { securityGroupCases } from './services/security_groups.js';
import { subnetCases } from './subnets.js';

/** The whole suite, in run order. Ids are unique and stable: the app tracks them across runs. */
export const ALL_CASES: readonly ConformanceCase[] = [
  ...discoveryCases,
  ...networkCases,
  ...subnetCases,
  ...portCases,
  ...fixedIpCases,
  ...macCases,
  ...ipamCases,
  ...ipv6Cases,
  ...bulkCases,
  ...listCases,
  ...isolationCases,
  ...segmentCases,
  ...errorCases,
  ...securityGroupCases,
  ...routerCases,
  ...floatingIpCases,
  ...lbaasCases,
  ...quotaCases,
  ...metadataCases,
];
