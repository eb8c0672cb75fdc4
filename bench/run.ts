// Runs every benchmark under bench/ (files named *.bench.ts), or those whose name contains an argument:
// `npm run bench`, `npm run bench -- netcore`. Each prints its own figures and ratios. Each file runs in
// its own process, so one benchmark's mocks, caches and heap never colour another's figures.
import { fork } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = '--bench-file';

if (process.argv[2] === CHILD) {
  const mod = (await import(pathToFileURL(join(here, process.argv[3]!)).href)) as { default: () => Promise<void> };
  await mod.default();
  process.exit(0); // a benchmark's leftover timers or sockets must not keep the run waiting
}

const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches ${filters.join(' ')}`);
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  console.log(`\n## ${file.replace(/\.bench\.js$/, '')}`);
  const code = await new Promise<number | null>((resolve) => {
    fork(fileURLToPath(import.meta.url), [CHILD, file], { stdio: 'inherit', execArgv: process.execArgv }).on('exit', resolve);
  });
  if (code !== 0) {
    failed++;
    console.log(`(${file} failed with exit code ${code})`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
