import type { Command } from 'commander';
import { registerConformance } from './conformance.js';
import { registerNetcoreDb } from './db.js';
import { registerMigrationsTest } from './migrations.js';
import { registerNetcoreServe } from './serve.js';

/** netcore's commands: `netbot netcore serve|db ...`, `netbot conformance`, `netbot migrations test`. */
export function registerNetcoreCommands(program: Command): void {
  const netcore = program.command('netcore').description('run and manage netcore, the networking service');
  registerNetcoreServe(netcore);
  registerNetcoreDb(netcore);
  registerConformance(program);
  registerMigrationsTest(program);
}
