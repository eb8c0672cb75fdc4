import { Command } from 'commander';
import { registerAgendaCli } from './agenda/cli.js';
import { registerChecksCli } from './checks/cli.js';
import { cliErrorLine } from './cli-error.js';
import { registerNetcoreCommands } from './netcore/cli/index.js';
import { registerRoutingCli } from './routing/cli.js';
import { registerServe } from './serve.js';
import { registerTriageCli } from './triage/cli.js';
import { registerWorker } from './worker.js';

/** `netbot`: the one entry for everything that is not a webhook. */
export function buildProgram(): Command {
  const program = new Command('netbot')
    .description('netbot: the contributor and bug-triage GitHub App beside netcore, and netcore itself')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });
  registerServe(program);
  registerTriageCli(program);
  registerRoutingCli(program);
  registerAgendaCli(program);
  registerNetcoreCommands(program);
  registerChecksCli(program);
  registerWorker(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  // A failed command says what went wrong in one line; the stack is for debugging only.
  console.error(cliErrorLine(error));
  if (process.env.NETBOT_DEBUG && error instanceof Error) console.error(error.stack);
  process.exit(1);
}
