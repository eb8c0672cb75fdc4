import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** A lockfile's identities: its content hash (the cache key) and its git blob id (to ask GitHub if the default branch has it). */
export function lockfileIds(text: string): { sha256: string; blob: string } {
  const bytes = Buffer.from(text, 'utf8');
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    blob: createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex'),
  };
}

/**
 * Installed dependencies (`node_modules`), one folder per lockfile. An entry built from a lockfile the default
 * branch also has is shared (`shared-<hash>`): any pull request with that lockfile uses it. A pull request's
 * own lockfile gets an entry only that pull request uses (`pr-<repo>-<number>-<hash>`), so a hostile install
 * script cannot poison the cache for others. Entries are only ever read by the sandbox (mounted read-only).
 */
export class DependencyCache {
  constructor(private readonly dir: string) {}

  static sharedKey = (sha256: string) => `shared-${sha256}`;
  static privateKey = (scope: string, sha256: string) => `pr-${scope.replace(/[^A-Za-z0-9_-]/g, '_')}-${sha256}`;

  /** The entry's node_modules (its real path: the sandbox mounts it), if it is there. */
  find(key: string): string | undefined {
    const path = join(this.dir, 'cache', key, 'node_modules');
    return existsSync(path) ? realpathSync(path) : undefined;
  }

  /** A fresh folder to install into, on the cache's file system (so that `keep` is a rename). */
  scratch(): string {
    const path = join(this.dir, 'cache', '.incoming', randomUUID());
    mkdirSync(path, { recursive: true });
    return path;
  }

  /** Moves an installed node_modules into the entry; if another worker got there first, theirs is kept. */
  keep(key: string, nodeModules: string): string {
    const entry = join(this.dir, 'cache', key);
    if (!existsSync(entry)) {
      const staging = `${entry}.${randomUUID().slice(0, 8)}`;
      mkdirSync(staging, { recursive: true });
      renameSync(nodeModules, join(staging, 'node_modules'));
      try {
        renameSync(staging, entry);
      } catch {
        rmSync(staging, { recursive: true, force: true }); // another worker's entry is there now
      }
    }
    return this.find(key)!;
  }
}
