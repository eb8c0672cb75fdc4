/**
 * Code locations an issue points at: file paths in the text and Python / JS stack frames. Neutron-style
 * paths (`neutron/db/l3_db.py`, `/opt/stack/neutron/neutron/...`) are mapped onto netcore's layout so the
 * subteams' path globs apply to them too.
 */
export interface CodeRef {
  /** The path as written in the issue (trimmed). */
  raw: string;
  /** The repository path it maps to (netcore layout). */
  path: string;
  from: 'frame' | 'path';
}

/** Large bodies are scanned only this far: a pasted 5 MB log must not cost more than a normal report. */
export const MAX_SCAN_CHARS = 64_000;

const PY_FRAME = /File "([^"\n]{1,300})", line \d+/g;
const JS_FRAME = /\bat (?:[^\s()]{1,200} )?\(?((?:[A-Za-z]:)?[\w./@-]{1,300}\.[cm]?[jt]sx?):\d+(?::\d+)?\)?/g;
// A path: at least one slash, a file extension, made of path characters.
const PATH = /(?:^|[\s`'"(\[<=:])((?:\.{0,2}\/)?(?:[\w@.-]+\/)+[\w@.-]+\.(?:py|ts|js|mjs|cjs|json|yaml|yml|ini|cfg|md|rst|sql|sh|txt))(?=$|[\s`'")\]>:,;.])/gm;
// A project directory such as `test/netcore/ipv6/` (two or more segments, trailing slash).
const DIR = /(?:^|[\s`'"(\[<])((?:src|test|docs|neutron)\/(?:[\w.-]+\/)+)(?=$|[\s`'")\]>:,;.])/gm;

export function normalisePath(raw: string): string {
  let p = raw.trim().replace(/\\/g, '/');
  const pkg = p.search(/\/(?:site|dist)-packages\//);
  if (pkg >= 0) p = p.slice(p.indexOf('-packages/', pkg) + '-packages/'.length);
  const netcore = p.indexOf('src/netcore/');
  if (netcore > 0) p = p.slice(netcore);
  const testDir = p.indexOf('test/netcore/');
  if (testDir > 0) p = p.slice(testDir);
  // A checkout such as /opt/stack/neutron/neutron/db/x.py: keep from the last package directory.
  const neutron = p.lastIndexOf('neutron/');
  if (neutron >= 0 && !p.startsWith('src/') && !p.startsWith('test/')) p = p.slice(neutron);
  p = p.replace(/^\.\//, '').replace(/^\/+/, '');
  if (p.startsWith('neutron/tests/')) return `test/netcore/${p.slice('neutron/tests/'.length)}`;
  if (p.startsWith('neutron/')) return `src/netcore/${p.slice('neutron/'.length)}`;
  return p;
}

/** Distinct code locations in the text, frames first, in order of appearance. */
export function findCodeRefs(text: string): CodeRef[] {
  const scanned = text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text;
  const out: CodeRef[] = [];
  const seen = new Set<string>();
  const add = (raw: string, from: CodeRef['from']) => {
    if (/^https?:/i.test(raw) || raw.includes('://')) return;
    const path = normalisePath(raw);
    if (!path || seen.has(path)) return;
    // Frames and absolute paths outside the project (stdlib, other libraries) point at nobody's code.
    const inProject = path.startsWith('src/') || path.startsWith('test/');
    if ((from === 'frame' || raw.trim().startsWith('/')) && !inProject) return;
    seen.add(path);
    out.push({ raw: raw.trim(), path, from });
  };
  for (const m of scanned.matchAll(PY_FRAME)) add(m[1]!, 'frame');
  for (const m of scanned.matchAll(JS_FRAME)) if (!m[1]!.includes('node_modules/') && !m[1]!.startsWith('node:')) add(m[1]!, 'frame');
  for (const m of scanned.matchAll(PATH)) {
    const before = scanned.slice(Math.max(0, m.index! - 10), m.index! + 1);
    if (/\/\/\S*$/.test(before)) continue; // part of a URL
    add(m[1]!, 'path');
  }
  for (const m of scanned.matchAll(DIR)) add(m[1]!, 'path');
  return out;
}
