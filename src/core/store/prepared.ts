import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';

const SLOT = '\u0000netbot-slot:';

/**
 * A hot statement, built and compiled by Kysely once per dialect, then run with new arguments: Kysely builds
 * and compiles a query on every call otherwise (about as much CPU as SQLite takes to run it). `build` gets
 * one placeholder per argument and must use each as a bound value (`where(col, '=', x)`, `values({ col: x })`,
 * `set({ col: x })`); what it writes literally stays as it is. Not for queries whose shape depends on the
 * arguments (an `in` list).
 */
export function prepared<A extends unknown[], R = any>(build: (db: Kysely<any>, ...args: { [K in keyof A]: any }) => Compilable<R>) {
  // Keyed by the dialect's adapter class: every Kysely of one dialect (transactions too) compiles alike.
  const byDialect = new Map<unknown, { sql: string; fill: (args: A) => readonly unknown[] }>();
  return (db: Kysely<any>, ...args: A): Promise<QueryResult<R>> => {
    const key = db.getExecutor().adapter.constructor;
    let statement = byDialect.get(key);
    if (!statement) {
      const slots = args.map((_, i) => `${SLOT}${i}`);
      const compiled = build(db, ...(slots as { [K in keyof A]: any })).compile();
      const positions = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(SLOT) ? Number(p.slice(SLOT.length)) : -1));
      for (let i = 0; i < args.length; i++) if (!positions.includes(i)) throw new Error(`prepared: argument ${i} is not a bound value in ${compiled.sql}`);
      const constants = compiled.parameters;
      statement = { sql: compiled.sql, fill: (a) => positions.map((pos, i) => (pos >= 0 ? a[pos] : constants[i])) };
      byDialect.set(key, statement);
    }
    return db.executeQuery(CompiledQuery.raw(statement.sql, statement.fill(args) as unknown[])) as Promise<QueryResult<R>>;
  };
}
