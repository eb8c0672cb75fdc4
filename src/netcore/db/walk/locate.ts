import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Location } from '../../report.js';
import { repoRoot } from '../../report.js';
import type { Migration } from '../migration.js';

export type Locator = (m: Migration) => Location | undefined;

export const MIGRATIONS_DIR = 'src/netcore/db/migrations';

/**
 * Finds where each migration is defined by reading the .ts sources under `dirs` (repo-relative): the
 * object holding `id: '<id>'`, from its `export const` line to its closing `};`. Reads the sources
 * once; works the same when running from lib/ because the repository's src/ is beside it.
 */
export function sourceLocator(dirs: string[] = [MIGRATIONS_DIR], root: string = repoRoot()): Locator {
  const files: { path: string; lines: string[] }[] = [];
  for (const dir of dirs) {
    let names: string[] = [];
    try {
      names = readdirSync(join(root, dir)).filter((f) => f.endsWith('.ts'));
    } catch {
      continue; // no sources (an installed package): cases go without a location
    }
    for (const f of names) files.push({ path: relative(root, join(root, dir, f)).split('\\').join('/'), lines: readFileSync(join(root, dir, f), 'utf8').split('\n') });
  }
  return (m) => {
    const pattern = new RegExp(`\\bid:\\s*['"\`]${m.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"\`]`);
    for (const f of files) {
      const at = f.lines.findIndex((l) => pattern.test(l));
      if (at < 0) continue;
      let start = at;
      while (start > 0 && !/^(export )?const /.test(f.lines[start]!) && !/^\s*\{\s*$/.test(f.lines[start]!)) start--;
      // the object ends at the first closing brace indented like the line that opened it
      const indent = /^\s*/.exec(f.lines[start]!)![0];
      let end = at;
      while (end < f.lines.length - 1 && !new RegExp(`^${indent}\\}`).test(f.lines[end]!)) end++;
      return { path: f.path, start_line: start + 1, end_line: end + 1 };
    }
    return undefined;
  };
}
