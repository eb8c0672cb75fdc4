#!/usr/bin/env node
// The `netbot` command runs the compiled CLI; `npm run build` (or `npm start`) produces it.
import { existsSync } from 'node:fs';
const cli = new URL('../lib/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('netbot: lib/ is missing. Run `npm run build` first (npm start does it for you).');
  process.exit(1);
}
await import(cli.href);
