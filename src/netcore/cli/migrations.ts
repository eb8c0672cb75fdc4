import type { Command } from 'commander';
import { runMigrationsSuite } from '../db/walk/index.js';
import { formatSummary, writeReport, type Case } from '../report.js';

/** `netbot migrations test [--json FILE]`: the migration walk test; exit status 1 on any failure. */
export function registerMigrationsTest(program: Command): void {
  const migrations = program.command('migrations').description("netcore's schema migrations");
  migrations
    .command('test')
    .description('walk every migration from every release with data, check rows survive and schemas match a fresh head')
    .option('--json <file>', 'write the JSON report (the format the checks feature reads) to this file')
    .action((opts: { json?: string }) => {
      let group = '';
      const report = runMigrationsSuite({
        onCase: (c: Case) => {
          if (c.group !== group) console.log(`${(group = c.group)}...`);
          if (c.status === 'failed') console.log(`  FAIL ${c.id}`);
        },
      });
      console.log(`\n${formatSummary(report)}`);
      if (opts.json) {
        writeReport(opts.json, report);
        console.log(`\nreport: ${opts.json}`);
      }
      if (report.summary.failed > 0) process.exitCode = 1;
    });
}
