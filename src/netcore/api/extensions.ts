/**
 * Descriptions of the extensions netcore knows, by alias, as Neutron's GET /v2.0/extensions shows
 * them (Zed; `lbaas` as Havana's LBaaS v1 described itself).
 */
const CATALOG: Record<string, { name: string; description: string; updated: string }> = {
  provider: { name: 'Provider Network', description: 'Expose mapping of virtual networks to physical networks', updated: '2012-09-07T10:00:00-00:00' },
  'external-net': { name: 'Neutron external network', description: 'Adds external network attribute to network resource.', updated: '2013-01-14T10:00:00-00:00' },
  'net-mtu': { name: 'Network MTU', description: 'Provides MTU attribute for a network resource.', updated: '2015-03-25T10:00:00-00:00' },
  'net-mtu-writable': { name: 'Network MTU (writable)', description: 'Provides a writable MTU attribute for a network resource.', updated: '2017-07-12T00:00:00-00:00' },
  'project-id': { name: 'project_id field enabled', description: 'Extension that indicates that project_id field is enabled.', updated: '2016-09-09T09:09:09-09:09' },
  'standard-attr-description': { name: 'standard-attr-description', description: 'Extension to add descriptions to standard attributes', updated: '2016-02-10T10:00:00-00:00' },
  'standard-attr-timestamp': {
    name: 'Resource timestamps',
    description: 'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.',
    updated: '2016-09-12T10:00:00-00:00',
  },
  'standard-attr-revisions': { name: 'Resource revision numbers', description: 'This extension will display the revision number of neutron resources.', updated: '2016-04-11T10:00:00-00:00' },
  'revision-if-match': {
    name: 'If-Match constraints based on revision_number',
    description: 'Extension indicating that If-Match based on revision_number is supported.',
    updated: '2016-12-11T00:00:00-00:00',
  },
  'filter-validation': { name: 'Filter parameters validation', description: 'Provides validation on filter parameters.', updated: '2018-07-04T10:00:00-00:00' },
  pagination: { name: 'Pagination support', description: 'Extension that indicates that pagination is enabled.', updated: '2016-06-12T00:00:00-00:00' },
  sorting: { name: 'Sorting support', description: 'Extension that indicates that sorting is enabled.', updated: '2016-06-12T00:00:00-00:00' },
  router: {
    name: 'Neutron L3 Router',
    description: 'Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.',
    updated: '2012-07-20T10:00:00-00:00',
  },
  'ext-gw-mode': {
    name: 'Neutron L3 Configurable external gateway mode',
    description: 'Extension of the router abstraction for specifying whether SNAT should occur on the external gateway',
    updated: '2013-03-28T10:00:00-00:00',
  },
  extraroute: { name: 'Neutron Extra Route', description: 'Extra routes configuration for L3 router', updated: '2013-02-01T10:00:00-00:00' },
  'fip-port-details': { name: 'Floating IP Port Details Extension', description: 'Add port_details attribute to Floating IP resource', updated: '2018-04-09T10:00:00-00:00' },
  'security-group': { name: 'security-group', description: 'The security groups extension.', updated: '2012-10-05T10:00:00-00:00' },
  'port-security': { name: 'Port Security', description: 'Provides port security', updated: '2012-07-23T10:00:00-00:00' },
  quotas: { name: 'Quota management support', description: 'Expose functions for quotas management per project', updated: '2012-07-29T10:00:00-00:00' },
  quota_details: { name: 'Quota details management support', description: 'Expose functions for quotas usage statistics per project', updated: '2017-02-10T10:00:00-00:00' },
  lbaas: { name: 'LoadBalancing service', description: 'Extension for LoadBalancing service', updated: '2012-10-07T10:00:00-00:00' },
};

export interface ExtensionDescriptor {
  name: string;
  alias: string;
  description: string;
  updated: string;
  links: unknown[];
}

/** Extensions the API itself provides, whatever the plugin. */
export const API_EXTENSIONS = ['pagination', 'sorting', 'filter-validation', 'project-id', 'revision-if-match'];

export function describeExtension(alias: string): ExtensionDescriptor {
  const known = CATALOG[alias] ?? { name: alias, description: `The ${alias} extension.`, updated: '2013-01-01T10:00:00-00:00' };
  return { ...known, alias, links: [] };
}
