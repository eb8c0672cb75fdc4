import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { authConfigShape, checkAuthConfig } from './auth/config.js';

const range = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);
/** A quota limit: -1 is unlimited. */
const limit = (dflt: number) => z.number().int().min(-1).max(2 ** 31 - 1).default(dflt);

/** netcore's settings, named after neutron.conf / ml2_conf.ini where one exists. */
export const NetcoreConfigSchema = z.object({
  /** Plugin name (built-in, a folder path, or an npm package). */
  plugin: z.string().default('sqlite'),
  /** Free-form options handed to the plugin's factory. */
  pluginOptions: z.record(z.string(), z.unknown()).default({}),
  /** The project of a noauth caller that sends no X-Project-Id (an admin; Neutron calls it fake_project_id). */
  defaultProjectId: z.string().default('default'),
  ...authConfigShape,
  /** MAC prefix for generated addresses; the zero bytes are randomised. */
  baseMac: z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i).default('fa:16:3e:00:00:00'),
  /** ml2 tenant_network_types: the first with free ids is used for a tenant network. */
  tenantNetworkTypes: z.array(z.enum(['vxlan', 'vlan', 'gre', 'local'])).default(['vxlan']),
  vniRanges: z.array(range).default([[1, 1000]]),
  greIdRanges: z.array(range).default([[1, 1000]]),
  /** ml2_type_vlan network_vlan_ranges: physnet -> ranges. */
  networkVlanRanges: z.record(z.string(), z.array(range)).default({ physnet1: [[100, 199]] }),
  /** Physical networks that may carry flat networks; '*' allows any. */
  flatNetworks: z.array(z.string()).default(['*']),
  globalPhysnetMtu: z.number().int().positive().default(1500),
  maxFixedIpsPerPort: z.number().int().positive().default(5),
  maxDnsNameservers: z.number().int().positive().default(5),
  maxSubnetHostRoutes: z.number().int().positive().default(20),
  /** max_routes: extra routes per router. */
  maxRoutes: z.number().int().positive().default(30),
  /** max_request_body_size in bytes; bigger bodies are answered 413. */
  maxRequestBodySize: z.number().int().positive().default(1024 * 1024),
  /** Upper bound on page size when a client asks for none. 0: unlimited. */
  paginationMaxLimit: z.number().int().nonnegative().default(0),
  /** neutron's metadata_proxy_shared_secret: signs the instance ids the metadata listener answers with. */
  metadataProxySharedSecret: z.string().min(1).optional(),
  /** Each project's default quota per resource (neutron.conf [QUOTAS] quota_*; LBaaS v1's as Havana's), -1 unlimited. */
  quotas: z
    .object({
      network: limit(100),
      subnet: limit(100),
      port: limit(500),
      router: limit(10),
      floatingip: limit(50),
      security_group: limit(10),
      security_group_rule: limit(100),
      pool: limit(10),
      vip: limit(10),
      member: limit(-1),
      health_monitor: limit(-1),
    })
    .strict()
    .prefault({}),
}).superRefine(checkAuthConfig);

export type NetcoreConfig = z.infer<typeof NetcoreConfigSchema>;
export type NetcoreConfigInput = z.input<typeof NetcoreConfigSchema>;

/** Fills the defaults in; throws on a bad setting with the setting's path in the message. */
export function resolveConfig(input: NetcoreConfigInput = {}): NetcoreConfig {
  const parsed = NetcoreConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid netcore config: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** Reads a JSON config file. */
export function loadConfigFile(file: string): NetcoreConfig {
  return resolveConfig(JSON.parse(readFileSync(file, 'utf8')) as NetcoreConfigInput);
}
