import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfigFile } from '../config.js';
import { ALL_CASES } from '../conformance/cases/index.js';
import { runConformance } from '../conformance/runner.js';
import { registeredPlugins } from '../plugins/registry.js';
import { buildReport, formatSummary, writeReport, type Case } from '../report.js';

interface Options {
  plugin: string[];
  json?: string;
  case: string[];
  config?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `netbot conformance [--plugin NAME ...] [--json FILE]`: the plugin conformance suite; exit status 1 on any failure. */
export function registerConformance(program: Command): void {
  program
    .command('conformance')
    .description('run the plugin conformance suite against netcore plugins (default: every registered one)')
    .option('--plugin <name>', 'a plugin to test: a registered name, a folder, or an npm package (repeatable)', collect, [])
    .option('--case <prefix>', 'run only cases whose id starts with this (repeatable)', collect, [])
    .option('--config <file>', 'JSON netcore config for every case (e.g. pluginOptions for a vendor plugin)')
    .option('--json <file>', 'write the JSON report (the format the checks feature reads) to this file')
    .action(async (opts: Options) => {
      const startedAt = new Date();
      const names = opts.plugin.length > 0 ? opts.plugin : registeredPlugins();
      const config = opts.config ? loadConfigFile(opts.config) : undefined;
      const cases = opts.case.length > 0 ? ALL_CASES.filter((c) => opts.case.some((p) => c.id.startsWith(p))) : ALL_CASES;
      const progress = progressReporter();
      const result = await runConformance({
        plugins: names.map((name) => ({ name, config })),
        cases,
        onPluginStart: progress.start,
        onCase: progress.update,
      });
      progress.stop();
      const report = buildReport('conformance', startedAt, result.cases, result.groups);
      console.log(`\n${formatSummary(report)}`);
      if (opts.json) {
        writeReport(opts.json, report);
        console.log(`\nreport: ${opts.json}`);
      }
      if (report.summary.failed > 0) process.exitCode = 1;
    });
}

/** A live bar per plugin on a terminal; one line per finished plugin otherwise (CI logs, the app's child process). */
function progressReporter() {
  const tty = process.stdout.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  let counts = { passed: 0, failed: 0, skipped: 0 };
  let started = 0;
  const finish = (plugin: string) => {
    bar?.stop();
    bar = undefined;
    if (!tty && plugin) console.log(`${plugin}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${((performance.now() - started) / 1000).toFixed(2)}s)`);
  };
  let current = '';
  return {
    start(plugin: string, total: number) {
      finish(current);
      current = plugin;
      counts = { passed: 0, failed: 0, skipped: 0 };
      started = performance.now();
      if (tty) {
        bar = new cliProgress.SingleBar({ format: `${plugin.padEnd(12)} [{bar}] {value}/{total} | {failed} failed | {id}`, hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(total, 0, { failed: 0, id: '' });
      }
    },
    update(_plugin: string, c: Case, done: number) {
      counts[c.status]++;
      bar?.update(done, { failed: counts.failed, id: c.id });
    },
    stop() {
      finish(current);
      current = '';
    },
  };
}
