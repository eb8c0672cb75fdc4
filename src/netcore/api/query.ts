import { badRequest, invalidInput } from '../errors.js';
import type { ListQuery, SortDir } from '../plugins/plugin.js';
import { convertAttr, toBool, toInt, type AttrMap } from './attributes.js';

/** Query parameters that are not filters. */
const CONTROL = new Set(['fields', 'limit', 'marker', 'page_reverse', 'sort_key', 'sort_dir']);

export interface ParsedList {
  query: ListQuery;
  fields: string[];
  limit?: number;
  pageReverse: boolean;
}

/** Reads filters (repeatable: OR), `fields`, `sort_key`/`sort_dir`, `limit`/`marker`/`page_reverse`. */
export function parseListQuery(params: URLSearchParams, attrs: AttrMap, maxLimit = 0): ParsedList {
  const filters: Record<string, unknown[]> = {};
  for (const key of new Set(params.keys())) {
    if (CONTROL.has(key)) continue;
    if (key === CHANGED_SINCE) {
      filters[CHANGED_SINCE] = [changedSince(params.get(key)!)];
      continue;
    }
    const attr = attrs[key];
    const kind = attr?.filter ?? 'string';
    if (!attr || kind === 'none') throw badRequest(`[${key}] is invalid attribute for filtering`);
    const field = key === 'tenant_id' ? 'project_id' : key;
    const values = params.getAll(key).map((raw) => filterValue(key, kind, raw, attrs));
    // tenant_id and project_id are one column: both given, a resource must match both (AND)
    filters[field] = filters[field] ? filters[field].filter((v) => values.includes(v)) : values;
  }
  const fields = params.getAll('fields').flatMap((f) => f.split(',')).filter(Boolean);
  const pageReverse = params.has('page_reverse') ? convertAttr('page_reverse', { convert: toBool }, params.get('page_reverse')) === true : false;
  let limit = params.has('limit') ? (convertAttr('limit', { convert: toInt(0, Number.MAX_SAFE_INTEGER) }, params.get('limit')) as number) : undefined;
  if (limit === 0) limit = undefined;
  if (maxLimit > 0) limit = Math.min(limit ?? maxLimit, maxLimit);
  const marker = params.get('marker') || undefined; // an empty marker is none, as Neutron

  const keys = params.getAll('sort_key');
  const dirs = params.getAll('sort_dir');
  if (dirs.length > keys.length) throw badRequest('The number of sort_keys and sort_dirs must be same');
  const sorts = keys.map((key, i) => {
    const name = key === 'tenant_id' ? 'project_id' : key;
    if (!attrs[key]?.sort) throw badRequest(`${key} is invalid attribute for sort_key`);
    const dir = (dirs[i] ?? 'asc').toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') throw badRequest(`${dirs[i]} is invalid value for sort_dir`);
    return { key: name, dir: dir as SortDir };
  });
  if (!sorts.some((s) => s.key === 'id')) sorts.push({ key: 'id', dir: 'asc' });
  // A reversed page is the plugin's forward page under reversed order; the API turns it back.
  const effectiveSorts = pageReverse ? sorts.map((s) => ({ key: s.key, dir: (s.dir === 'asc' ? 'desc' : 'asc') as SortDir })) : sorts;
  return { query: { filters, sorts: effectiveSorts, limit: limit === undefined ? undefined : limit + 1, marker }, fields, limit, pageReverse };
}

/** standard-attr-timestamp's filter: resources whose updated_at is at or after the given ISO 8601 time. */
export const CHANGED_SINCE = 'changed_since';
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** The time as netcore stores timestamps (UTC, whole seconds, `Z`), so the plugin can compare text. */
function changedSince(raw: string): string {
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(raw) ? raw : `${raw}Z`; // no zone: UTC, as Neutron
  const ms = ISO_TIME.test(raw) ? Date.parse(zoned.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
  if (Number.isNaN(ms)) throw invalidInput(`The input ${CHANGED_SINCE} must be in the following format: YYYY-MM-DDTHH:MM:SSZ`);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function filterValue(key: string, kind: string, raw: string, attrs: AttrMap): unknown {
  if (kind === 'bool') return convertAttr(key, { convert: toBool }, raw);
  if (kind === 'int') return convertAttr(key, { convert: toInt(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) }, raw);
  if (kind === 'special') return raw;
  // string filters are compared as the attribute normalises them (e.g. an IPv6 gateway), when it can
  try {
    return attrs[key].convert ? attrs[key].convert!(raw) : raw;
  } catch {
    return raw;
  }
}

/** Trims the extra item the plugin was asked for, puts a reversed page back in order, and builds the links. */
export function paginate<T extends { id: string }>(
  items: T[],
  parsed: ParsedList,
  baseUrl: string,
  params: URLSearchParams,
): { items: T[]; links?: { rel: string; href: string }[] } {
  const { limit, pageReverse } = parsed;
  const marker = parsed.query.marker;
  if (limit === undefined) return { items: pageReverse ? items.reverse() : items };
  const more = items.length > limit;
  const page = items.slice(0, limit);
  if (pageReverse) page.reverse();
  const links: { rel: string; href: string }[] = [];
  const link = (rel: string, markerId: string, reverse: boolean) => {
    const p = new URLSearchParams(params);
    p.set('limit', String(limit));
    p.set('marker', markerId);
    if (reverse) p.set('page_reverse', 'True');
    else p.delete('page_reverse');
    links.push({ rel, href: `${baseUrl}?${p.toString()}` });
  };
  const hasNext = pageReverse ? marker !== undefined : more;
  const hasPrevious = pageReverse ? more : marker !== undefined;
  if (page.length && hasNext) link('next', page[page.length - 1].id, false);
  if (page.length && hasPrevious) link('previous', page[0].id, true);
  return { items: page, links };
}

/** Keeps only the requested fields (all when none were asked for). */
export function selectFields<T extends object>(item: T, fields: string[]): Partial<T> {
  if (!fields.length) return item;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in item) out[f] = (item as Record<string, unknown>)[f];
  return out as Partial<T>;
}
