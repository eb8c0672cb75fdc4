import type { Command } from 'commander';

/** `netbot routing ...` commands. */
export function registerRoutingCommands(_program: Command): void {}
