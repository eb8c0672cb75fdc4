import type { Command } from 'commander';

/** `netbot triage ...` commands. */
export function registerTriageCommands(_program: Command): void {}
