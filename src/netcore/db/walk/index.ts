import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport, repoRoot, type Case, type Location, type Report } from '../../report.js';
import type { Migration } from '../migration.js';
import { MIGRATIONS } from '../migrations/index.js';
import type { WalkFixtures } from './fixture.js';
import { FIXTURES } from './fixtures/index.js';
import { MIGRATIONS_DIR, sourceLocator, type Locator } from './locate.js';
import { runMigrationTest } from './walk.js';

export { runMigrationTest, buildAt } from './walk.js';
export type { WalkFixture, WalkFixtures } from './fixture.js';

export interface SuiteOptions {
  migrations?: readonly Migration[];
  fixtures?: WalkFixtures;
  locate?: Locator;
  onCase?: (c: Case) => void;
}

/** `netbot migrations test`: the walk over netcore's real history, as a report. */
export function runMigrationsSuite(options: SuiteOptions = {}): Report {
  const started = new Date();
  const cases = runMigrationTest({
    migrations: options.migrations ?? MIGRATIONS,
    fixtures: options.fixtures ?? FIXTURES,
    locate: options.locate ?? sourceLocator(),
    historyLocation: historyLocation(),
    onCase: options.onCase,
  });
  return buildReport('migrations', started, cases);
}

/** The line declaring MIGRATIONS, where whole-history cases point. */
function historyLocation(): Location | undefined {
  const path = `${MIGRATIONS_DIR}/index.ts`;
  const file = join(repoRoot(), path);
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.includes('export const MIGRATIONS'));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^\];/.test(l));
  return { path, start_line: start + 1, end_line: (end < 0 ? start : end) + 1 };
}
