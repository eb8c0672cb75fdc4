import type { Db } from '../connection.js';
import { VERSION_TABLE } from '../migrate.js';

// The generic half of "every row survives": a snapshot of every table before a step and a comparison
// after it, on the columns both sides have. A migration may declare what it moves on purpose
// (WalkFixture.moves); anything else that disappears or changes is reported as lost.

export type RowSnapshot = Map<string, { columns: string[]; rows: Record<string, unknown>[] }>;

export function snapshotRows(db: Db): RowSnapshot {
  const snap: RowSnapshot = new Map();
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ?`).all(VERSION_TABLE) as { name: string }[];
  for (const { name } of tables) {
    const columns = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => c.name);
    snap.set(name, { columns, rows: db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[] });
  }
  return snap;
}

const key = (row: Record<string, unknown>, cols: string[]) => JSON.stringify(cols.map((c) => (Buffer.isBuffer(row[c]) ? (row[c] as Buffer).toString('hex') : row[c])));

/** Problems with `after` compared to `before`: dropped tables or columns that held data, rows lost or changed. */
export function lostRows(before: RowSnapshot, after: RowSnapshot, moves: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const [table, b] of before) {
    if (moves.includes(table) || b.rows.length === 0) continue;
    const a = after.get(table);
    if (!a) {
      problems.push(`table ${table} was dropped with ${b.rows.length} row(s)`);
      continue;
    }
    const dropped = b.columns.filter((c) => !a.columns.includes(c) && !moves.includes(`${table}.${c}`));
    for (const c of dropped) {
      const n = b.rows.filter((r) => r[c] !== null).length;
      if (n > 0) problems.push(`column ${table}.${c} was dropped with ${n} non-null value(s)`);
    }
    const common = b.columns.filter((c) => a.columns.includes(c) && !moves.includes(`${table}.${c}`));
    const remaining = new Map<string, number>();
    for (const r of a.rows) {
      const k = key(r, common);
      remaining.set(k, (remaining.get(k) ?? 0) + 1);
    }
    const missing: Record<string, unknown>[] = [];
    for (const r of b.rows) {
      const k = key(r, common);
      const n = remaining.get(k) ?? 0;
      if (n > 0) remaining.set(k, n - 1);
      else missing.push(r);
    }
    if (missing.length > 0) {
      const sample = Object.fromEntries(common.map((c) => [c, missing[0]![c]]));
      problems.push(`${missing.length} of ${b.rows.length} row(s) of ${table} lost or changed, e.g. ${JSON.stringify(sample)}`);
    }
  }
  return problems;
}
