import type { NetcoreConfigInput } from '../config.js';
import type { PluginFactory } from '../plugins/plugin.js';
import { resolvePlugin } from '../plugins/registry.js';
import type { Case, Group } from '../report.js';
import { freshMemoryDatabase } from '../db/template.js';
import { buildServer } from '../server.js';
import type { ConformanceCase } from './case.js';
import { ALL_CASES } from './cases/index.js';
import { Harness } from './harness.js';

export interface PluginTarget {
  /** The name in the report (the group). */
  name: string;
  /** A registered name, a path, or a factory; default: `name`. */
  plugin?: string | PluginFactory;
  /** Settings for every case (each case may add its own on top). */
  config?: NetcoreConfigInput;
}

export interface RunOptions {
  plugins: PluginTarget[];
  cases?: readonly ConformanceCase[];
  /** Per-case time limit; a case that exceeds it fails. */
  timeoutMs?: number;
  /** Called after each case (for progress output). */
  onCase?: (plugin: string, result: Case, done: number, total: number) => void;
  onPluginStart?: (plugin: string, total: number) => void;
}

export interface RunResult {
  cases: Case[];
  groups: Group[];
}

/** Runs every case against every plugin, each case on a fresh in-memory database. */
export async function runConformance(opts: RunOptions): Promise<RunResult> {
  const cases = opts.cases ?? ALL_CASES;
  const all: Case[] = [];
  const groups: Group[] = [];
  for (const target of opts.plugins) {
    const started = performance.now();
    opts.onPluginStart?.(target.name, cases.length);
    const results = await runPlugin(target, cases, opts);
    all.push(...results.cases);
    groups.push({
      name: target.name,
      passed: results.cases.filter((c) => c.status === 'passed').length,
      failed: results.cases.filter((c) => c.status === 'failed').length,
      skipped: results.cases.filter((c) => c.status === 'skipped').length,
      duration_ms: performance.now() - started,
      ...(results.note ? { note: results.note } : {}),
    });
  }
  return { cases: all, groups };
}

async function runPlugin(target: PluginTarget, cases: readonly ConformanceCase[], opts: RunOptions): Promise<{ cases: Case[]; note?: string }> {
  let factory: PluginFactory;
  let declared: string[];
  try {
    factory = typeof target.plugin === 'function' ? target.plugin : await resolvePlugin(target.plugin ?? target.name);
    declared = await declaredExtensions(factory, target.config);
  } catch (err) {
    // A plugin that cannot even start fails as one case, so the report still names it.
    const message = `plugin "${target.name}" could not be started: ${(err as Error).message}`;
    const load: Case = { id: `${target.name}/plugin.load`, title: 'the plugin loads and serves the API', group: target.name, status: 'failed', duration_ms: 0, message };
    // progress output counts it like any other case
    opts.onCase?.(target.name, load, 1, 1);
    return { cases: [load], note: message };
  }
  const out: Case[] = [];
  for (const c of cases) {
    const result = await runCase(target, factory, declared, c, opts.timeoutMs ?? 10_000);
    out.push(result);
    opts.onCase?.(target.name, result, out.length, cases.length);
  }
  return { cases: out, note: `extensions: ${declared.join(', ') || '(none)'}` };
}

/** What the plugin declares, as a client sees it: the aliases GET /v2.0/extensions lists. */
async function declaredExtensions(factory: PluginFactory, config?: NetcoreConfigInput): Promise<string[]> {
  const app = await buildServer({ plugin: factory, config });
  try {
    const res = await app.inject({ method: 'GET', url: '/v2.0/extensions' });
    if (res.statusCode !== 200) throw new Error(`GET /v2.0/extensions answered ${res.statusCode}`);
    return (JSON.parse(res.body) as { extensions: { alias: string }[] }).extensions.map((e) => e.alias).sort();
  } finally {
    await app.close();
  }
}

export async function runCase(target: PluginTarget, factory: PluginFactory, declared: readonly string[], c: ConformanceCase, timeoutMs: number): Promise<Case> {
  const base = { id: `${target.name}/${c.id}`, title: c.title, group: target.name, ...(c.location ? { location: c.location } : {}) };
  const missing = c.needs.filter((x) => !declared.includes(x));
  if (missing.length > 0) {
    return { ...base, status: 'skipped', duration_ms: 0, message: `needs extension ${missing.join(', ')}, which plugin "${target.name}" does not declare` };
  }
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const db = freshMemoryDatabase();
    const app = await buildServer({ db, plugin: factory, config: { ...target.config, ...c.config } }).catch((err) => {
      db.close();
      throw err;
    });
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      });
      const harness = new Harness(app, declared);
      try {
        await Promise.race([c.run(harness), timeout]);
      } finally {
        await harness.close();
      }
    } finally {
      clearTimeout(timer);
      await app.close();
      db.close();
    }
    return { ...base, status: 'passed', duration_ms: performance.now() - started };
  } catch (err) {
    const e = err as Error;
    const message = e.name === 'CaseFailure' ? e.message : `${e.name}: ${e.message}`;
    return { ...base, status: 'failed', duration_ms: performance.now() - started, message };
  }
}
