import type { Command } from 'commander';

// Placeholder: filled in by the work that owns this command.
export function registerNetcoreDb(_parent: Command): void {}
