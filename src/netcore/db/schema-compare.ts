import type { Db } from './connection.js';

// A schema read through SQLite's pragmas, normalised so that two databases built by different paths
// (an upgraded one and a fresh one) compare equal when they are equivalent:
// - column order is ignored (ALTER TABLE ADD COLUMN appends, a rebuilt table may order differently);
// - automatic indexes (UNIQUE / PRIMARY KEY constraints) are keyed by their columns, not by their
//   sqlite_autoindex_<table>_<n> names, which depend on constraint order;
// - types are upper-cased and whitespace-collapsed; foreign keys are sorted.
// CHECK constraints and collations are not exposed by the pragmas and are not compared.

export interface ColumnShape {
  type: string;
  notnull: boolean;
  default: string | null;
  /** Position in the primary key (1-based), 0 when not part of it. */
  pk: number;
  /** 0 normal, 2/3 generated (virtual/stored). */
  hidden: number;
}

export interface IndexShape {
  unique: boolean;
  /** c = CREATE INDEX, u = UNIQUE constraint, pk = PRIMARY KEY constraint. */
  origin: string;
  /** Key columns in order; an expression is shown as `<expr>`. */
  columns: string[];
  partial: boolean;
  /** Normalised CREATE INDEX text for explicit indexes (catches expressions and WHERE clauses). */
  sql?: string;
}

export interface ForeignKeyShape {
  table: string;
  from: string[];
  to: (string | null)[];
  on_update: string;
  on_delete: string;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  indexes: Record<string, IndexShape>;
  foreignKeys: ForeignKeyShape[];
  withoutRowid: boolean;
}

export interface SchemaShape {
  tables: Record<string, TableShape>;
  /** Views and triggers by name, normalised SQL. */
  others: Record<string, string>;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').trim();
/** SQL text: also drop identifier quotes, which ALTER TABLE RENAME adds to the SQL it rewrites. */
const normSql = (s: string) => norm(s.replace(/"/g, '')).replace(/ \(/g, '(');
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function describeSchema(db: Db, options: { exclude?: string[] } = {}): SchemaShape {
  const exclude = new Set(options.exclude ?? []);
  const objects = db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { type: string; name: string; tbl_name: string; sql: string | null }[];
  const shape: SchemaShape = { tables: {}, others: {} };
  for (const o of objects) {
    if (exclude.has(o.tbl_name)) continue;
    if (o.type === 'table') shape.tables[o.name] = describeTable(db, o.name, o.sql ?? '');
    else if (o.type === 'view' || o.type === 'trigger') shape.others[`${o.type} ${o.name}`] = normSql(o.sql ?? '');
  }
  return shape;
}

function describeTable(db: Db, table: string, sql: string): TableShape {
  const columns: Record<string, ColumnShape> = {};
  for (const c of db.prepare(`PRAGMA table_xinfo(${quote(table)})`).all() as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number; hidden: number }[]) {
    columns[c.name] = { type: norm(c.type.toUpperCase()), notnull: c.notnull === 1, default: c.dflt_value === null ? null : norm(c.dflt_value), pk: c.pk, hidden: c.hidden };
  }
  const explicitSql = new Map((db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(table) as { name: string; sql: string }[]).map((r) => [r.name, r.sql]));
  const indexes: Record<string, IndexShape> = {};
  for (const ix of db.prepare(`PRAGMA index_list(${quote(table)})`).all() as { name: string; unique: number; origin: string; partial: number }[]) {
    const cols = (db.prepare(`PRAGMA index_xinfo(${quote(ix.name)})`).all() as { seqno: number; cid: number; name: string | null; key: number; desc: number }[])
      .filter((c) => c.key === 1)
      .sort((a, b) => a.seqno - b.seqno)
      .map((c) => (c.cid === -2 ? '<expr>' : `${c.name}${c.desc ? ' DESC' : ''}`));
    const explicit = ix.origin === 'c';
    const key = explicit ? ix.name : `${ix.origin === 'pk' ? 'PRIMARY KEY' : 'UNIQUE'} (${cols.join(', ')})`;
    const sqlText = explicitSql.get(ix.name);
    indexes[key] = { unique: ix.unique === 1, origin: ix.origin, columns: cols, partial: ix.partial === 1, ...(explicit && sqlText ? { sql: normSql(sqlText) } : {}) };
  }
  const groups = new Map<number, ForeignKeyShape>();
  for (const fk of db.prepare(`PRAGMA foreign_key_list(${quote(table)})`).all() as { id: number; seq: number; table: string; from: string; to: string | null; on_update: string; on_delete: string }[]) {
    let g = groups.get(fk.id);
    if (!g) groups.set(fk.id, (g = { table: fk.table, from: [], to: [], on_update: fk.on_update, on_delete: fk.on_delete }));
    g.from[fk.seq] = fk.from;
    g.to[fk.seq] = fk.to;
  }
  const foreignKeys = [...groups.values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { columns, indexes, foreignKeys, withoutRowid: /\)\s*WITHOUT\s+ROWID\s*;?\s*$/i.test(sql) };
}

/** Human-readable differences of `actual` from `expected`; empty when equivalent. */
export function diffSchemas(actual: SchemaShape, expected: SchemaShape): string[] {
  const out: string[] = [];
  diffKeys(out, 'table', actual.tables, expected.tables, (name, a, e) => diffTable(out, name, a, e));
  diffKeys(out, '', actual.others, expected.others, (name, a, e) => {
    if (a !== e) out.push(`${name}: is ${a}, expected ${e}`);
  });
  return out;
}

function diffTable(out: string[], table: string, a: TableShape, e: TableShape): void {
  diffKeys(out, `column ${table}.`, a.columns, e.columns, (col, ac, ec) => {
    for (const k of Object.keys(ec) as (keyof ColumnShape)[]) {
      if (ac[k] !== ec[k]) out.push(`column ${table}.${col}: ${k} is ${JSON.stringify(ac[k])}, expected ${JSON.stringify(ec[k])}`);
    }
  });
  diffKeys(out, `index on ${table}: `, a.indexes, e.indexes, (ix, ai, ei) => {
    if (JSON.stringify(ai) !== JSON.stringify(ei)) out.push(`index on ${table}: ${ix} is ${describeIndex(ai)}, expected ${describeIndex(ei)}`);
  });
  const af = a.foreignKeys.map(describeFk);
  const ef = e.foreignKeys.map(describeFk);
  for (const fk of af) if (!ef.includes(fk)) out.push(`foreign key on ${table}: unexpected ${fk}`);
  for (const fk of ef) if (!af.includes(fk)) out.push(`foreign key on ${table}: missing ${fk}`);
  if (a.withoutRowid !== e.withoutRowid) out.push(`table ${table}: WITHOUT ROWID is ${a.withoutRowid}, expected ${e.withoutRowid}`);
}

function diffKeys<T>(out: string[], what: string, a: Record<string, T>, e: Record<string, T>, both: (key: string, a: T, e: T) => void): void {
  const sep = what && !what.endsWith('.') && !what.endsWith(': ') ? ' ' : '';
  for (const k of Object.keys(e)) if (!(k in a)) out.push(`missing ${what}${sep}${k}`);
  for (const k of Object.keys(a)) if (!(k in e)) out.push(`unexpected ${what}${sep}${k}`);
  for (const k of Object.keys(e)) if (k in a) both(k, a[k]!, e[k]!);
}

const describeIndex = (i: IndexShape) => i.sql ?? `${i.unique ? 'unique ' : ''}(${i.columns.join(', ')})${i.partial ? ' partial' : ''}`;
const describeFk = (f: ForeignKeyShape) => `(${f.from.join(', ')}) -> ${f.table} (${f.to.map((t) => t ?? '<pk>').join(', ')}) on delete ${f.on_delete} on update ${f.on_update}`;

/** Convenience: differences between two databases' schemas. */
export function compareDatabases(actual: Db, expected: Db, options: { exclude?: string[] } = {}): string[] {
  return diffSchemas(describeSchema(actual, options), describeSchema(expected, options));
}
