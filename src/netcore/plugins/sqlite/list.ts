import type { Db } from '../../db/connection.js';
import { badRequest, type NeutronError } from '../../errors.js';
import type { ListQuery, RequestContext } from '../plugin.js';

export interface Sql {
  sql: string;
  params: unknown[];
}

/** How one resource's list maps onto SQL. */
export interface TableSpec {
  /** e.g. `networks n` */
  from: string;
  alias: string;
  /** field -> SQL expression usable in WHERE and ORDER BY (NULLs folded so comparisons work) */
  columns: Record<string, string>;
  /** fields whose filters need their own SQL (list-valued fields) */
  special?: Record<string, (values: unknown[]) => Sql>;
  /** what a non-admin caller may see */
  visibility(ctx: RequestContext): Sql;
  notFound(id: string): NeutronError;
}

const bind = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

export function visibleWhere(spec: TableSpec, ctx: RequestContext): Sql {
  return ctx.isAdmin ? { sql: '1', params: [] } : spec.visibility(ctx);
}

/** Runs a list query: visibility, filters (OR within a field), keyset pagination after the marker. */
export function listRows<T>(db: Db, spec: TableSpec, ctx: RequestContext, q: ListQuery): T[] {
  const vis = visibleWhere(spec, ctx);
  const where = [vis.sql];
  const params = [...vis.params];
  for (const [field, values] of Object.entries(q.filters)) {
    if (field === 'changed_since') {
      // timestamps are stored as UTC 'YYYY-MM-DDTHH:MM:SSZ', so text order is time order
      where.push(`${spec.alias}.updated_at >= ?`);
      params.push(values[0]);
      continue;
    }
    const special = spec.special?.[field];
    if (special) {
      const s = special(values);
      where.push(s.sql);
      params.push(...s.params);
      continue;
    }
    const col = spec.columns[field];
    if (!col) throw badRequest(`[${field}] is invalid attribute for filtering`);
    where.push(`${col} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values.map(bind));
  }
  const sorts = q.sorts.map((s) => {
    const col = spec.columns[s.key];
    if (!col) throw badRequest(`${s.key} is invalid attribute for sort_key`);
    return { col, dir: s.dir };
  });
  if (q.marker !== undefined) {
    const marker = db
      .prepare(`SELECT ${sorts.map((s, i) => `${s.col} AS k${i}`).join(', ')} FROM ${spec.from} WHERE ${spec.alias}.id = ? AND ${vis.sql}`)
      .get(q.marker, ...vis.params) as Record<string, unknown> | undefined;
    if (!marker) throw spec.notFound(q.marker);
    // (k0 > m0) OR (k0 = m0 AND k1 > m1) OR ... with > or < per direction
    const ors = sorts.map((s, i) => {
      const eq = sorts.slice(0, i).map((p) => `${p.col} = ?`);
      return `(${[...eq, `${s.col} ${s.dir === 'asc' ? '>' : '<'} ?`].join(' AND ')})`;
    });
    where.push(`(${ors.join(' OR ')})`);
    sorts.forEach((_, i) => params.push(...sorts.slice(0, i + 1).map((__, j) => marker[`k${j}`])));
  }
  const order = sorts.map((s) => `${s.col} ${s.dir.toUpperCase()}`).join(', ');
  const limit = q.limit !== undefined ? ` LIMIT ${Math.floor(q.limit)}` : '';
  return db.prepare(`SELECT ${spec.alias}.* FROM ${spec.from} WHERE ${where.join(' AND ')} ORDER BY ${order}${limit}`).all(...params) as T[];
}

/** One visible row by id, or the resource's NotFound. */
export function getRow<T>(db: Db, spec: TableSpec, ctx: RequestContext, id: string): T {
  const vis = visibleWhere(spec, ctx);
  const row = db.prepare(`SELECT ${spec.alias}.* FROM ${spec.from} WHERE ${spec.alias}.id = ? AND ${vis.sql}`).get(id, ...vis.params) as T | undefined;
  if (!row) throw spec.notFound(id);
  return row;
}

/** Runs `fn` over ids in chunks small enough for SQLite's parameter limit. */
export function inChunks<R>(ids: string[], fn: (chunk: string[], marks: string) => R[]): R[] {
  const out: R[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    out.push(...fn(chunk, chunk.map(() => '?').join(', ')));
  }
  return out;
}

export const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
