import picomatch from 'picomatch';
import { breakMentions } from '../github/markdown.js';
import type { ChecksConfig } from './config.js';

/** One check run the plan decides on: run it, or complete it at once as skipped; either way with its reasons. */
export interface PlannedSuite {
  /** The check run's name, e.g. `netbot / conformance (sqlite)`: stable, so a branch protection can require it. */
  name: string;
  suite: 'conformance' | 'migrations';
  /** The plugin for conformance (a name, or the vendor package's folder); null for migrations. */
  plugin: string | null;
  run: boolean;
  /** Why it runs, or why it is skipped; each a sentence naming the files. */
  reasons: string[];
}

export interface Plan {
  suites: PlannedSuite[];
  /** How many changed files the plan read. */
  files: number;
}

export const suiteName = (suite: 'conformance' | 'migrations', plugin: string | null) => (suite === 'migrations' ? 'netbot / migrations' : `netbot / conformance (${plugin})`);

type Target = { kind: 'plugin'; plugin: string } | { kind: 'every-plugin' } | { kind: 'migrations' } | { kind: 'everything' };

/**
 * What each path means for the suites, in order (the first rule that matches decides), on netcore's layout.
 * `why` completes "changed: ..." in a reason.
 */
const RULES: { glob: string[]; why: string; targets: (m: string[]) => Target[] }[] = [
  { glob: ['docs/**', '**/*.md', 'LICENSE*', '.gitignore', '.github/ISSUE_TEMPLATE/**'], why: 'documentation only', targets: () => [] },
  { glob: ['package.json', 'package-lock.json', 'tsconfig*.json', 'bin/**'], why: 'the dependencies or the build', targets: () => [{ kind: 'everything' }] },
  { glob: ['src/netcore/plugins/*/**'], why: "the plugin's own folder", targets: (m) => [{ kind: 'plugin', plugin: m[0]! }] },
  { glob: ['src/netcore/db/connection.ts'], why: 'the database connection every plugin and migration uses', targets: () => [{ kind: 'every-plugin' }, { kind: 'migrations' }] },
  { glob: ['src/netcore/db/**', 'test/netcore/migrations/**'], why: 'a migration, a model or the walk fixtures', targets: () => [{ kind: 'migrations' }] },
  { glob: ['src/netcore/api/**', 'src/netcore/ipam/**', 'src/netcore/segments/**', 'src/netcore/conformance/**'], why: 'the shared API, IPAM, segments or conformance code', targets: () => [{ kind: 'every-plugin' }] },
  { glob: ['src/netcore/**'], why: 'netcore code every plugin runs', targets: () => [{ kind: 'every-plugin' }] },
];

const matchers = RULES.map((rule) => ({ ...rule, match: picomatch(rule.glob, { dot: true }) }));
const pluginFolder = /^src\/netcore\/plugins\/([^/]+)\//;

/** Which rule a path falls under, and what it touches (undefined: no rule, code netcore does not run). */
function classify(path: string): { why: string; targets: Target[] } | undefined {
  for (const rule of matchers) {
    if (!rule.match(path)) continue;
    const plugin = pluginFolder.exec(path)?.[1];
    return { why: rule.why, targets: rule.targets(plugin ? [plugin] : []) };
  }
  return undefined;
}

/** Names a few files, then a count: a reason stays one line however big the pull request. */
function listFiles(files: string[], shown = 3): string {
  const named = files.slice(0, shown).map((f) => `\`${breakMentions(f.replace(/`/g, "'")).slice(0, 200)}\``).join(', ');
  return files.length > shown ? `${named} and ${files.length - shown} more` : named;
}

/**
 * The plan for a pull request from its changed files (pure): which suites run and why. A plugin's folder runs
 * that plugin's conformance; the shared API, IPAM, segments or conformance code runs every plugin's; a migration,
 * a model or the walk fixtures run the migration test; docs only run nothing. Every suite the repository has
 * is in the plan, the skipped ones too (each still gets a completed check run, so a branch protection that
 * requires it never blocks a merge). `truncated`: GitHub listed only part of the files, so everything runs.
 */
export function planChecks(files: readonly string[], config: ChecksConfig, opts: { truncated?: boolean } = {}): Plan {
  if (config.pluginPackage !== undefined) return planVendor(files, config.pluginPackage);
  const suites = new Map<string, PlannedSuite & { because: Map<string, string[]> }>();
  for (const plugin of config.plugins) suites.set(`conformance:${plugin}`, { name: suiteName('conformance', plugin), suite: 'conformance', plugin, run: false, reasons: [], because: new Map() });
  suites.set('migrations', { name: suiteName('migrations', null), suite: 'migrations', plugin: null, run: false, reasons: [], because: new Map() });

  const add = (key: string, why: string, file: string) => {
    const s = suites.get(key);
    if (!s) return;
    s.run = true;
    s.because.set(why, [...(s.because.get(why) ?? []), file]);
  };
  const otherPlugins = new Map<string, string[]>();
  const docs: string[] = [];
  const elsewhere: string[] = [];
  for (const file of files) {
    const found = classify(file);
    if (!found) {
      elsewhere.push(file);
      continue;
    }
    if (found.targets.length === 0) docs.push(file);
    for (const target of found.targets) {
      if (target.kind === 'plugin') {
        if (suites.has(`conformance:${target.plugin}`)) add(`conformance:${target.plugin}`, found.why, file);
        else otherPlugins.set(target.plugin, [...(otherPlugins.get(target.plugin) ?? []), file]);
      } else if (target.kind === 'migrations') add('migrations', found.why, file);
      else {
        for (const key of suites.keys()) if (target.kind === 'everything' || key.startsWith('conformance:')) add(key, found.why, file);
      }
    }
  }

  return {
    files: files.length,
    suites: [...suites.values()].map(({ because, ...s }) => {
      if (opts.truncated) return { ...s, run: true, reasons: [`GitHub lists only the first ${files.length} changed files of this pull request: every suite runs`] };
      if (s.run) return { ...s, reasons: [...because].map(([why, list]) => `${why} changed: ${listFiles(list)}`) };
      const reasons: string[] = [];
      if (files.length === 0) reasons.push('the pull request changes no file');
      else if (docs.length === files.length) reasons.push(`documentation only: ${listFiles(docs)}`);
      else reasons.push(`nothing this suite runs changed (${describeOthers(docs, elsewhere, otherPlugins, s.suite)})`);
      return { ...s, reasons };
    }),
  };
}

function describeOthers(docs: string[], elsewhere: string[], otherPlugins: Map<string, string[]>, suite: string): string {
  const parts: string[] = [];
  if (elsewhere.length) parts.push(`outside netcore: ${listFiles(elsewhere)}`);
  if (docs.length) parts.push(`documentation: ${listFiles(docs)}`);
  for (const [plugin, list] of otherPlugins) parts.push(`plugin ${plugin}, not in checks.plugins: ${listFiles(list)}`);
  if (parts.length === 0) parts.push(suite === 'migrations' ? 'no migration, model or walk fixture' : "no shared code nor this plugin's folder");
  return parts.join('; ');
}

/** A vendor's plugin repository: its conformance run on any change but documentation. */
function planVendor(files: readonly string[], folder: string): Plan {
  const docs = files.filter((f) => classify(f)?.targets.length === 0);
  const code = files.filter((f) => classify(f)?.targets.length !== 0);
  const run = code.length > 0;
  const reasons = run
    ? [`the plugin package (\`${folder}\`) is tested against netcore's conformance suite on every change but documentation; changed: ${listFiles(code)}`]
    : [files.length === 0 ? 'the pull request changes no file' : `documentation only: ${listFiles(docs)}`];
  return { files: files.length, suites: [{ name: suiteName('conformance', folder === '.' ? 'plugin' : folder), suite: 'conformance', plugin: folder, run, reasons }] };
}
