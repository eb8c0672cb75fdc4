/** Descriptions of the extensions netcore knows, by alias (what GET /v2.0/extensions shows). */
const CATALOG: Record<string, { name: string; description: string }> = {
  provider: { name: 'Provider Network', description: 'Expose mapping of virtual networks to physical networks' },
  'external-net': { name: 'Neutron external network', description: 'Adds external network attribute to network resource.' },
  'network-mtu': { name: 'Network MTU', description: 'Provides MTU attribute for a network resource.' },
  'net-mtu-writable': { name: 'Network MTU (writable)', description: 'Provides a writable MTU attribute for a network resource.' },
  'project-id': { name: 'project_id field enabled', description: 'Extension that indicates that project_id field is enabled.' },
  'standard-attr-description': { name: 'standard-attr-description', description: 'Extension to add descriptions to standard attributes' },
  'standard-attr-timestamp': { name: 'Resource timestamps', description: 'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.' },
  'standard-attr-revisions': { name: 'Resource revision numbers', description: 'This extension will display the revision number of neutron resources.' },
  'revision-if-match': { name: 'If-Match constraints based on revision_number', description: "Extension indicating that If-Match based on revision_number is supported." },
  'filter-validation': { name: 'Filter parameters validation', description: 'Provides validation on filtering parameters.' },
  pagination: { name: 'Pagination support', description: 'Extension that indicates that pagination is enabled.' },
  sorting: { name: 'Sorting support', description: 'Extension that indicates that sorting is enabled.' },
  'fip-port-details': { name: 'Floating IP Port Details Extension', description: 'Add port_details attribute to Floating IP resource' },
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
  const known = CATALOG[alias] ?? { name: alias, description: `The ${alias} extension.` };
  return { ...known, alias, updated: '2013-01-01T10:00:00-00:00', links: [] };
}
