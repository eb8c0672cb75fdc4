import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { openDatabase, type Db } from '../db/connection.js';
import { assertCompatible, current, history, MigrationError, resolveTarget, upgrade, type CurrentState, type HistoryEntry } from '../db/migrate.js';
import type { Migration } from '../db/migration.js';

/** `netbot netcore db upgrade|current|history`: the schema history of a netcore database. */
export function registerNetcoreDb(netcore: Command): void {
  const db = netcore.command('db').description("manage a netcore database's schema (migrations by release)");
  db.command('upgrade')
    .description('apply pending migrations, each in its own transaction')
    .option('--to <target>', 'head, a release (folsom, grizzly, havana, icehouse) or a migration id', 'head')
    .option('--db <file>', 'SQLite database file', 'netcore.sqlite')
    .action((opts: { to: string; db: string }) =>
      guard(() => {
        resolveTarget(opts.to); // a bad target fails before the file is opened
        if (existsSync(opts.db)) withReadOnly(opts.db, (ro) => assertCompatible(ro)); // refuse before opening for writing (WAL setup writes)
        const handle = openDatabase(opts.db);
        try {
          const applied = upgrade(handle, { to: opts.to, onStep: (m, ms) => console.log(`applied ${m.id} (${m.release}) in ${ms.toFixed(0)} ms`) });
          if (applied.length === 0) console.log('nothing to do');
          console.log(formatCurrent(current(handle)));
        } finally {
          handle.close();
        }
      }),
    );
  db.command('current')
    .description("print the database's current migration and release")
    .option('--db <file>', 'SQLite database file', 'netcore.sqlite')
    .action((opts: { db: string }) => guard(() => withReadOnly(opts.db, (ro) => console.log(formatCurrent(current(ro))))));
  db.command('history')
    .description('list every migration, oldest first, with when this database applied it')
    .option('--db <file>', 'SQLite database file (omit to list the history alone)')
    .action((opts: { db?: string }) => guard(() => withReadOnly(opts.db ?? ':memory:', (ro) => console.log(formatHistory(history(ro))))));
}

/** A missing file is an empty database for current/history; reading never creates or changes it. */
function withReadOnly<T>(file: string, fn: (db: Db) => T): T {
  const handle = existsSync(file) ? new Database(file, { readonly: true, fileMustExist: true }) : openDatabase(':memory:');
  try {
    return fn(handle);
  } finally {
    handle.close();
  }
}

function guard(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof MigrationError)) throw err;
    console.error(`netcore db: ${err.message}`);
    process.exitCode = 1;
  }
}

const label = (m: Migration) => `${m.id} (${m.release})`;

export function formatCurrent(state: CurrentState): string {
  if (!state.migration) return `current: base (empty database), ${state.pending} migration(s) pending`;
  return `current: ${label(state.migration)}${state.atHead ? ' (head)' : `, ${state.pending} migration(s) pending`}`;
}

export function formatHistory(entries: HistoryEntry[]): string {
  const width = Math.max(...entries.map((e) => e.migration.id.length));
  let release = '';
  const lines: string[] = [];
  for (const { migration: m, applied_at } of entries) {
    if (m.release !== release) lines.push(`${(release = m.release)}:`);
    lines.push(`  [${applied_at ? 'x' : ' '}] ${m.id.padEnd(width)}  ${applied_at ? `applied ${applied_at}` : 'pending'.padEnd(32)}  ${m.description}`);
  }
  return lines.join('\n');
}
