import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../../src/netcore/db/connection.js';
import { compareDatabases } from '../../../src/netcore/db/schema-compare.js';

const db = (sql: string) => {
  const d = openDatabase();
  d.exec(sql);
  return d;
};

describe('schema comparison', () => {
  test('column order, autoindex names and whitespace do not matter', () => {
    const altered = db(`CREATE TABLE t (id TEXT PRIMARY KEY, a INTEGER NOT NULL DEFAULT 0, UNIQUE (a)); CREATE TABLE u (x TEXT, UNIQUE (x)); ALTER TABLE t ADD COLUMN b text DEFAULT 'x'; CREATE INDEX t_b ON t (b)`);
    const fresh = db(`CREATE TABLE u (x TEXT UNIQUE); CREATE TABLE t (b TEXT DEFAULT 'x', id TEXT PRIMARY KEY, a INTEGER NOT NULL DEFAULT 0 UNIQUE); CREATE INDEX t_b ON t(
      b)`);
    expect(compareDatabases(altered, fresh)).toEqual([]);
  });

  test('types, defaults, not-null, primary keys, indexes (incl. partial and unique) and foreign keys do', () => {
    const a = db(`CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE t (id INTEGER, p_id TEXT REFERENCES p (id), v TEXT DEFAULT 'a', w INT); CREATE INDEX t_v ON t (v) WHERE v IS NOT NULL; CREATE TABLE gone (x)`);
    const b = db(`CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE t (id INTEGER PRIMARY KEY, p_id TEXT REFERENCES p (id) ON DELETE CASCADE, v TEXT NOT NULL DEFAULT 'b', w TEXT, extra INT); CREATE UNIQUE INDEX t_v ON t (v)`);
    expect(compareDatabases(a, b)).toEqual([
      'unexpected table gone',
      'missing column t.extra',
      'column t.id: pk is 0, expected 1',
      'column t.v: notnull is false, expected true',
      `column t.v: default is "'a'", expected "'b'"`,
      'column t.w: type is "INT", expected "TEXT"',
      'index on t: t_v is CREATE INDEX t_v ON t(v) WHERE v IS NOT NULL, expected CREATE UNIQUE INDEX t_v ON t(v)',
      'foreign key on t: unexpected (p_id) -> p (id) on delete NO ACTION on update NO ACTION',
      'foreign key on t: missing (p_id) -> p (id) on delete CASCADE on update NO ACTION',
    ]);
  });
});
