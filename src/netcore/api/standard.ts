import { toInt, toStr, toUuid, type AttrMap } from './attributes.js';

/** Attributes every core resource shares: identity, ownership, Neutron's standard attributes. */
export function standardAttrs(): AttrMap {
  return {
    id: { filter: 'string', sort: true, convert: toUuid },
    name: { post: true, put: true, default: () => '', convert: toStr(255), filter: 'string', sort: true },
    description: { post: true, put: true, default: () => '', convert: toStr(255), filter: 'string', sort: true },
    project_id: { post: true, convert: toStr(255), filter: 'string', sort: true },
    tenant_id: { post: true, convert: toStr(255), filter: 'string', sort: true },
    created_at: { filter: 'string', sort: true },
    updated_at: { filter: 'string', sort: true },
    revision_number: { filter: 'int', sort: true, convert: toInt(0, Number.MAX_SAFE_INTEGER) },
    tags: { filter: 'none' },
  };
}
