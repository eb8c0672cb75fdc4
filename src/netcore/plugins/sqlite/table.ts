import { revisionNumberConstraintFailed } from '../../errors.js';
import type { ListQuery, RequestContext } from '../plugin.js';
import type { Core } from './core.js';
import { getRow, listRows, type TableSpec } from './list.js';

/** Reads shared by the resource tables: rows as the caller may see them, turned into wire objects. */
export abstract class Table<Row, R> {
  constructor(
    protected readonly core: Core,
    private readonly spec: TableSpec,
  ) {}

  abstract hydrate(rows: Row[]): R[];

  /** The visible row, or the resource's NotFound. */
  protected row(ctx: RequestContext, id: string): Row {
    return getRow<Row>(this.core.db, this.spec, ctx, id);
  }

  /** The visible row about to be updated or deleted, checked against the request's If-Match revision. */
  protected changing(ctx: RequestContext, id: string): Row {
    const row = this.row(ctx, id);
    const current = (row as { revision_number: number }).revision_number;
    if (ctx.revision !== undefined && ctx.revision !== current) throw revisionNumberConstraintFailed(ctx.revision, current);
    return row;
  }

  /** The visible row as stored (services and hooks read it before acting). */
  find(ctx: RequestContext, id: string): Row {
    return this.row(ctx, id);
  }

  get(ctx: RequestContext, id: string): R {
    return this.hydrate([this.row(ctx, id)])[0];
  }

  list(ctx: RequestContext, q: ListQuery): R[] {
    return this.hydrate(listRows<Row>(this.core.db, this.spec, ctx, q));
  }
}

interface StandardRow {
  id: string;
  name: string;
  description: string;
  project_id: string;
  created_at: string;
  updated_at: string;
  revision_number: number;
}

/** The standard attributes every resource shows, from its row. */
export function standardFields(r: StandardRow) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    project_id: r.project_id,
    tenant_id: r.project_id,
    created_at: r.created_at,
    updated_at: r.updated_at,
    revision_number: r.revision_number,
    tags: [] as string[],
  };
}
