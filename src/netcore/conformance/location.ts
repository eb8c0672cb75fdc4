import { existsSync, readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, type Location } from '../report.js';

// Frames look like `at defineCase (/repo/src/...:12:3)` or `at file:///repo/lib/src/...js:40:9`.
const FRAME = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+):\d+\)?$/;

/**
 * The repository-relative location of whoever called defineCase, from the stack. Under vitest (or any
 * loader with source maps) the frame is already the `.ts` source; from the compiled `lib/` tree the
 * frame is the `.js` file, so we point at its `src/` twin and find the case's id literal there.
 */
export function callerLocation(id: string): Location | undefined {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  // frame 0 is this function, frame 1 defineCase, frame 2 the case definition
  const frame = frames[2];
  const m = frame ? FRAME.exec(frame.trim()) : null;
  if (!m) return undefined;
  const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
  let path = relative(repoRoot(), file).split(sep).join('/');
  let line = Number(m[2]);
  if (path.startsWith('lib/') && path.endsWith('.js')) {
    path = path.slice('lib/'.length).replace(/\.js$/, '.ts');
    line = lineOf(`${repoRoot()}/${path}`, id) ?? line;
  }
  if (path.startsWith('..')) return undefined;
  return { path, start_line: line, end_line: line };
}

// The line of the `defineCase(` call that holds `id: '<id>'`.
function lineOf(file: string, id: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes(`'${id}'`));
  if (at < 0) return undefined;
  for (let i = at; i >= 0 && i > at - 3; i--) if (lines[i].includes('defineCase(')) return i + 1;
  return at + 1;
}
