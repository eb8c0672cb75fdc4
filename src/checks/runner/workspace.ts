import { randomUUID } from 'node:crypto';
import { constants, mkdirSync, openSync, readSync, closeSync, fstatSync, rmSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';

/** The folders of one job's run, under the runner's directory; removed when the job ends. */
export interface Workspace {
  root: string;
  /** The pull request's tree (the tarball, unpacked). */
  tree: string;
  /** Where the suites write their reports (a folder of its own, not the tree). */
  out: string;
  home: string;
  tmp: string;
  /** The install step's proxy socket and forwarder. */
  run: string;
  remove(): void;
}

export function createWorkspace(dir: string, label: string): Workspace {
  const root = join(dir, 'work', `${label.replace(/[^A-Za-z0-9_-]/g, '_')}-${randomUUID().slice(0, 8)}`);
  const ws = { root, tree: join(root, 'tree'), out: join(root, 'out'), home: join(root, 'home'), tmp: join(root, 'tmp'), run: join(root, 'run') };
  for (const d of Object.values(ws)) mkdirSync(d, { recursive: true });
  return { ...ws, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export class NotATarball extends Error {}

/**
 * Unpacks a GitHub tarball (`owner-repo-sha/` prefix stripped) with node-tar: no absolute paths or `..`, no
 * owners kept, nothing written through a symlink; at most `maxBytes` unpacked. Anything that is not a
 * (gzipped) tar, or a tar with no files, is a NotATarball.
 */
export async function unpackTarball(data: Buffer, into: string, maxBytes: number): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  let tooBig = false;
  const unpack = tar.x({
    cwd: into,
    strip: 1,
    strict: true,
    preserveOwner: false,
    filter: (_path, entry) => {
      const size = 'size' in entry ? Number(entry.size) : 0;
      bytes += size;
      if (bytes > maxBytes) tooBig = true;
      if (!tooBig) files++;
      return !tooBig;
    },
  });
  await new Promise<void>((resolve, reject) => {
    unpack.on('error', (error: Error) => reject(new NotATarball(`not a tarball GitHub makes: ${error.message}`)));
    unpack.on('close', () => resolve());
    unpack.end(data);
  });
  if (tooBig) throw new NotATarball(`the tree unpacks to more than ${Math.round(maxBytes / 1048576)} MiB`);
  if (files === 0) throw new NotATarball('the tarball holds no files');
  return { files, bytes };
}

/**
 * Reads a file the pull request's code could have written or planted, as the app (outside the sandbox): only a
 * regular file, never through a symlink (a report that links to the app's key must not be read), at most
 * `maxBytes`. Undefined when it is not there.
 */
export function readUntrusted(path: string, maxBytes: number): { text: string } | { problem: string } | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') return { problem: 'it is a symbolic link (not read)' };
    return { problem: `it cannot be read (${code})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: 'it is not a regular file (not read)' };
    if (stat.size > maxBytes) return { problem: `it is ${stat.size} bytes, over the limit of ${maxBytes}` };
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { text: buffer.subarray(0, read).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

/** Removes whatever the tree has at `path` (a folder, a file, a symlink) and leaves an empty folder. */
export function emptyFolder(path: string): void {
  try {
    lstatSync(path);
    rmSync(path, { recursive: true, force: true });
  } catch {
    // not there
  }
  mkdirSync(path, { recursive: true });
}
