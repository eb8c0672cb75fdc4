import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportSchema, type Report } from '../../netcore/report.js';
import { DependencyCache, lockfileIds } from './cache.js';
import { FORWARDER_SOURCE, startRegistryProxy } from './registry-proxy.js';
import { runSandboxed, type Mount, type SandboxResult } from './sandbox.js';
import type { RunnerSettings } from './settings.js';
import { createWorkspace, emptyFolder, NotATarball, readUntrusted, unpackTarball, type Workspace } from './workspace.js';

export interface SuiteToRun {
  /** Unique in the run: names the report file. */
  key: string;
  suite: 'conformance' | 'migrations';
  /** A plugin name or the vendor package's folder (conformance); null for migrations. */
  plugin: string | null;
}

/** How one suite ended: with a valid report, or with the problem that kept it from giving one. */
export interface SuiteOutcome {
  key: string;
  conclusion: 'success' | 'failure' | 'cancelled';
  title: string;
  report?: Report;
  /** What went wrong when there is no usable report (or the exit status contradicts it). */
  problem?: string;
  /** The last part of what the step printed. */
  log: string;
  /** Paths of failed cases' locations that are files of the tree (an annotation can point there). */
  located?: string[];
  exitCode: number | null;
  durationMs: number;
}

export type PipelineEvent =
  | { kind: 'step'; step: 'fetch' | 'install' | 'build'; state: 'started' | 'done'; detail?: string }
  | { kind: 'suite-started'; key: string }
  | { kind: 'suite-output'; key: string; text: string }
  | { kind: 'suite-done'; outcome: SuiteOutcome };

/** Where the time went (for the live summary and the bench). */
export interface PipelineTimes {
  fetchMs: number;
  unpackMs: number;
  installMs: number;
  installCached: boolean | undefined;
  buildMs: number;
  suitesMs: number;
  totalMs: number;
}

export interface PipelineInput {
  /** The head commit's tarball (GitHub's tarball API); a 404 or 422 means the head is gone. */
  fetchTarball(): Promise<Buffer>;
  /** Whether the default branch has a lockfile with this git blob id (so its cache entry may be shared). */
  defaultBranchHas(blob: string): Promise<boolean>;
  /** Private cache entries are keyed by this (the repository and pull request). */
  scope: string;
  suites: SuiteToRun[];
  settings: RunnerSettings;
  signal: AbortSignal;
  onEvent?(event: PipelineEvent): void | Promise<void>;
}

/** A step of the runner failed: every suite not yet run ends with it. */
class StepFailed extends Error {
  constructor(
    readonly title: string,
    message: string,
    readonly log = '',
    readonly conclusion: 'failure' | 'cancelled' = 'failure',
  ) {
    super(message);
  }
}

const SANDBOX_TREE = '/pr';
const REPORT_LIMIT = 32 * 1024 * 1024;

/**
 * A pull request's suites, end to end: the head commit's tarball, unpacked; its dependencies from the cache,
 * or installed with `npm ci` (in the sandbox, reaching only the registry); `npm run build`; then each suite
 * (`netbot conformance --plugin P --json F`, `netbot migrations test --json F`), each in the sandbox with no
 * network. Every suite ends with a conclusion: a runner failure (no tarball, an install that fails, a
 * timeout) is a failure, a cancel is cancelled; nothing is left without one.
 */
export async function runPipeline(input: PipelineInput): Promise<{ outcomes: SuiteOutcome[]; times: PipelineTimes }> {
  const started = performance.now();
  const times: PipelineTimes = { fetchMs: 0, unpackMs: 0, installMs: 0, installCached: undefined, buildMs: 0, suitesMs: 0, totalMs: 0 };
  const outcomes: SuiteOutcome[] = [];
  const emit = async (event: PipelineEvent) => {
    await input.onEvent?.(event);
  };
  const ws = createWorkspace(input.settings.dir, input.scope);
  try {
    const prepared = await prepare(input, ws, times, emit);
    for (const suite of input.suites) {
      if (input.signal.aborted) throw new StepFailed('cancelled', 'the run was cancelled before this suite started', '', 'cancelled');
      await emit({ kind: 'suite-started', key: suite.key });
      const outcome = await runSuite(suite, prepared, ws, input, (text) => void emit({ kind: 'suite-output', key: suite.key, text }));
      times.suitesMs += outcome.durationMs;
      outcomes.push(outcome);
      await emit({ kind: 'suite-done', outcome });
    }
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    for (const suite of input.suites.slice(outcomes.length)) {
      const outcome: SuiteOutcome = { key: suite.key, conclusion: error.conclusion, title: error.title, problem: error.message, log: error.log, exitCode: null, durationMs: 0 };
      outcomes.push(outcome);
      await emit({ kind: 'suite-done', outcome });
    }
  } finally {
    ws.remove();
  }
  times.totalMs = performance.now() - started;
  return { outcomes, times };
}

interface Prepared {
  nodeModules: string;
  /** The netbot command inside the sandbox. */
  netbot: string;
}

async function prepare(input: PipelineInput, ws: Workspace, times: PipelineTimes, emit: (e: PipelineEvent) => Promise<void>): Promise<Prepared> {
  const { settings } = input;
  await emit({ kind: 'step', step: 'fetch', state: 'started' });
  let t = performance.now();
  let tarball: Buffer;
  try {
    tarball = await input.fetchTarball();
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404 || status === 422) throw new StepFailed('the head commit is gone', `GitHub has no tarball of this commit any more (HTTP ${status}): the pull request, its branch or its fork was deleted, or the branch was force-pushed`, '', 'cancelled');
    throw new StepFailed('could not fetch the head commit', `fetching the tarball failed: ${(error as Error).message}`);
  }
  times.fetchMs = performance.now() - t;
  if (tarball.length > settings.tarballBytes) throw new StepFailed('the tree is too big', `the tarball is ${tarball.length} bytes, over the runner's limit of ${settings.tarballBytes}`);
  t = performance.now();
  try {
    await unpackTarball(tarball, ws.tree, settings.unpackedBytes);
  } catch (error) {
    if (error instanceof NotATarball) throw new StepFailed('the head commit could not be unpacked', error.message);
    throw error;
  }
  times.unpackMs = performance.now() - t;
  await emit({ kind: 'step', step: 'fetch', state: 'done', detail: `${(tarball.length / 1024).toFixed(0)} KiB` });

  const pkg = readJson(join(ws.tree, 'package.json'), 'package.json');
  const lock = readUntrusted(join(ws.tree, 'package-lock.json'), 64 * 1024 * 1024);
  if (lock === undefined) throw new StepFailed('no package-lock.json', 'the tree has no package-lock.json at its root: `npm ci` installs only from a lockfile');
  if ('problem' in lock) throw new StepFailed('package-lock.json is unusable', `package-lock.json: ${lock.problem}`);

  const nodeModules = await dependencies(input, ws, pkg, lock.text, times, emit);

  if (typeof (pkg.scripts as Record<string, unknown> | undefined)?.build === 'string') {
    await emit({ kind: 'step', step: 'build', state: 'started' });
    const build = await sandboxed(input, ws, nodeModules, ['npm', 'run', 'build']);
    times.buildMs = build.durationMs;
    if (build.code !== 0) throw stepFailure('the build failed', '`npm run build`', build);
    await emit({ kind: 'step', step: 'build', state: 'done', detail: seconds(build.durationMs) });
  }
  return { nodeModules, netbot: netbotCommand(pkg, nodeModules) };
}

/** node_modules for this lockfile: from the cache, or installed now (and kept for the next run). */
async function dependencies(input: PipelineInput, ws: Workspace, pkg: Record<string, unknown>, lockText: string, times: PipelineTimes, emit: (e: PipelineEvent) => Promise<void>): Promise<string> {
  const cache = new DependencyCache(input.settings.dir);
  const ids = lockfileIds(lockText);
  const sharedKey = DependencyCache.sharedKey(ids.sha256);
  const privateKey = DependencyCache.privateKey(input.scope, ids.sha256);
  await emit({ kind: 'step', step: 'install', state: 'started' });
  const hit = cache.find(sharedKey) ?? cache.find(privateKey);
  if (hit) {
    times.installCached = true;
    await emit({ kind: 'step', step: 'install', state: 'done', detail: 'dependencies from the cache (same lockfile)' });
    return hit;
  }
  let shared: boolean;
  try {
    shared = await input.defaultBranchHas(ids.blob);
  } catch {
    shared = false; // unknown: the safe side is an entry of this pull request's own
  }
  times.installCached = false;
  const scratch = cache.scratch();
  try {
    if (shared) {
      // The entry others will use: the default branch's lockfile with this package.json's fields but none of its
      // scripts (the pull request's own install scripts must not write into a shared entry).
      const { scripts: _scripts, ...rest } = pkg;
      writeFileSync(join(scratch, 'package.json'), JSON.stringify(rest, null, 2));
      writeFileSync(join(scratch, 'package-lock.json'), lockText);
    } else {
      cpSync(ws.tree, scratch, { recursive: true, verbatimSymlinks: true });
      rmSync(join(scratch, 'node_modules'), { recursive: true, force: true }); // whatever the tree put there
    }
    const install = await installInSandbox(input, ws, scratch);
    times.installMs = install.durationMs;
    if (install.code !== 0) throw stepFailure('the dependencies did not install', '`npm ci`', install);
    if (!existsSync(join(scratch, 'node_modules'))) mkdirSync(join(scratch, 'node_modules')); // no dependencies at all
    const kept = cache.keep(shared ? sharedKey : privateKey, join(scratch, 'node_modules'));
    await emit({ kind: 'step', step: 'install', state: 'done', detail: `\`npm ci\` in ${seconds(install.durationMs)} (${shared ? 'the default branch has this lockfile: cached for every pull request' : 'a lockfile of this pull request: cached for it alone'})` });
    return kept;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `npm ci` in the sandbox, whose only way out is the registry proxy's socket. */
async function installInSandbox(input: PipelineInput, ws: Workspace, dir: string): Promise<SandboxResult> {
  const run = mkdtempSync(join(tmpdir(), 'netbot-install-')); // short: a Unix socket's path is at most 107 bytes
  const proxy = await startRegistryProxy(join(run, 'registry.sock'), input.settings.registry);
  try {
    writeFileSync(join(run, 'forward.mjs'), FORWARDER_SOURCE);
    const port = '3128';
    return await runSandboxed(
      {
        command: ['node', '/run/netbot/forward.mjs', port, '/run/netbot/registry.sock', '--', 'npm', 'ci', '--no-audit', '--no-fund', '--no-update-notifier'],
        cwd: SANDBOX_TREE,
        mounts: [...baseMounts(ws), { from: dir, to: SANDBOX_TREE, writable: true }, { from: run, to: '/run/netbot' }],
        env: {
          ...baseEnv(),
          npm_config_registry: input.settings.registry,
          npm_config_https_proxy: `http://127.0.0.1:${port}`,
          npm_config_proxy: `http://127.0.0.1:${port}`,
          npm_config_cache: '/tmp/npm-cache',
        },
      },
      limitsOf(input.settings),
      { signal: input.signal },
    );
  } finally {
    await proxy.close();
    rmSync(run, { recursive: true, force: true });
  }
}

async function runSuite(suite: SuiteToRun, prepared: Prepared, ws: Workspace, input: PipelineInput, onOutput: (text: string) => void): Promise<SuiteOutcome> {
  const reportPath = `/out/${suite.key}.json`;
  const args = suite.suite === 'migrations' ? ['migrations', 'test', '--json', reportPath] : ['conformance', '--plugin', suite.plugin!, '--json', reportPath];
  const result = await sandboxed(input, ws, prepared.nodeModules, ['node', prepared.netbot, ...args], onOutput);
  const base = { key: suite.key, log: result.output, exitCode: result.code, durationMs: result.durationMs };
  if (result.stopped) {
    const failure = stepFailure('the suite', `\`netbot ${args.slice(0, -2).join(' ')}\``, result);
    return { ...base, conclusion: failure.conclusion, title: failure.title, problem: failure.message };
  }
  const read = readReport(join(ws.out, `${suite.key}.json`), suite.suite);
  if ('problem' in read) return { ...base, conclusion: 'failure', title: read.title, problem: `${read.problem} (the suite exited with status ${result.code})` };
  const report = read.report;
  const located = [...new Set(report.cases.flatMap((c) => (c.status === 'failed' && c.location && isTreeFile(ws.tree, c.location.path) ? [c.location.path] : [])))];
  const failed = report.cases.filter((c) => c.status === 'failed').length || report.summary.failed;
  if (failed > 0) return { ...base, report, located, conclusion: 'failure', title: `${failed} failed, ${report.summary.passed} passed, ${report.summary.skipped} skipped` };
  if (result.code !== 0) return { ...base, report, conclusion: 'failure', title: `exited with status ${result.code}`, problem: `the suite exited with status ${result.code} though its report shows no failed case` };
  return { ...base, report, conclusion: 'success', title: `${report.summary.passed} passed, ${report.summary.skipped} skipped` };
}

/** The report a suite wrote, validated (ReportSchema): a missing, unreadable or malformed one is a problem to report. */
function readReport(path: string, suite: SuiteToRun['suite']): { report: Report } | { title: string; problem: string } {
  const file = readUntrusted(path, REPORT_LIMIT);
  if (file === undefined) return { title: 'the suite wrote no report', problem: 'the suite ended without writing its JSON report' };
  if ('problem' in file) return { title: 'the report could not be read', problem: `its report file: ${file.problem}` };
  let json: unknown;
  try {
    json = JSON.parse(file.text);
  } catch (error) {
    return { title: 'the report is not JSON', problem: `its report is not JSON: ${(error as Error).message}` };
  }
  const parsed = ReportSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `\`${i.path.join('.') || '(root)'}\`: ${i.message}`);
    return { title: 'the report is malformed', problem: `its report does not follow the format (README, "The JSON report"): ${issues.join('; ')}` };
  }
  if (parsed.data.suite !== suite) return { title: 'the report is of another suite', problem: `a ${suite} run wrote a report of the ${parsed.data.suite} suite` };
  if (parsed.data.cases.length === 0) return { title: 'the report holds no case', problem: 'the suite reported no case at all: nothing was tested' };
  return { report: parsed.data };
}

/** A relative path naming a regular file of the tree (not through `..`, not a symlink). */
function isTreeFile(tree: string, path: string): boolean {
  if (path.startsWith('/') || path.split('/').includes('..')) return false;
  try {
    return lstatSync(join(tree, path)).isFile();
  } catch {
    return false;
  }
}

function readJson(path: string, name: string): Record<string, unknown> {
  const file = readUntrusted(path, 4 * 1024 * 1024);
  if (file === undefined) throw new StepFailed(`no ${name}`, `the tree has no ${name} at its root`);
  if ('problem' in file) throw new StepFailed(`${name} is unusable`, `${name}: ${file.problem}`);
  try {
    const value = JSON.parse(file.text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // below
  }
  throw new StepFailed(`${name} is not valid`, `${name} is not a JSON object`);
}

/**
 * The `netbot` command of the tree: netcore's own (a tree whose package is netbot) or the netbot a vendor's
 * plugin depends on (node_modules/.bin/netbot).
 */
function netbotCommand(pkg: Record<string, unknown>, nodeModules: string): string {
  const bin = pkg.bin;
  const own = pkg.name === 'netbot' ? (typeof bin === 'string' ? bin : (bin as Record<string, unknown> | undefined)?.netbot) : undefined;
  if (typeof own === 'string' && !own.split('/').includes('..')) return `${SANDBOX_TREE}/${own.replace(/^\.\//, '')}`;
  try {
    lstatSync(join(nodeModules, '.bin', 'netbot'));
    return `${SANDBOX_TREE}/node_modules/.bin/netbot`;
  } catch {
    throw new StepFailed('no netbot command', 'the tree has no `netbot` command: neither its own package is netbot (with a `bin`), nor does it depend on netbot (node_modules/.bin/netbot)');
  }
}

function baseMounts(ws: Workspace): Mount[] {
  return [
    { from: ws.home, to: '/home/sandbox', writable: true },
    { from: ws.tmp, to: '/tmp', writable: true },
  ];
}

const baseEnv = () => ({ HOME: '/home/sandbox', TMPDIR: '/tmp', CI: 'true', PATH: `${SANDBOX_TREE}/node_modules/.bin:/usr/local/bin:/usr/bin:/bin`, npm_config_update_notifier: 'false' });

const limitsOf = (s: RunnerSettings) => ({ timeoutMs: s.timeoutMs, outputBytes: s.outputBytes, memoryBytes: s.memoryBytes });

/** A build or suite step: the tree writable, its dependencies read-only, reports in /out, no network. */
function sandboxed(input: PipelineInput, ws: Workspace, nodeModules: string, command: string[], onOutput?: (text: string) => void): Promise<SandboxResult> {
  emptyFolder(join(ws.tree, 'node_modules')); // the mount point, whatever the tree put there
  return runSandboxed(
    {
      command,
      cwd: SANDBOX_TREE,
      mounts: [...baseMounts(ws), { from: ws.tree, to: SANDBOX_TREE, writable: true }, { from: nodeModules, to: `${SANDBOX_TREE}/node_modules` }, { from: ws.out, to: '/out', writable: true }],
      env: baseEnv(),
    },
    limitsOf(input.settings),
    { signal: input.signal, onOutput },
  );
}

function stepFailure(title: string, what: string, result: SandboxResult): StepFailed {
  if (result.stopped === 'cancelled') return new StepFailed('cancelled', `${what} was stopped: the run was cancelled (a new push, or the pull request was closed)`, result.output, 'cancelled');
  if (result.stopped === 'timeout') return new StepFailed(`${title}: timed out`, `${what} ran past the time limit and was killed`, result.output);
  if (result.stopped === 'output') return new StepFailed(`${title}: too much output`, `${what} printed more than the output limit and was killed`, result.output);
  return new StepFailed(title, `${what} exited with status ${result.code}`, result.output);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
