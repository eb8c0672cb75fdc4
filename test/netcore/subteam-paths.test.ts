import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SUBTEAMS } from '../../src/config.js';

const root = join(import.meta.dirname, '../..');
const files = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)));

// The subteams' default paths route pull requests and label issues: they must reach the services' code.
describe("the L3 and LBaaS subteams' default paths match netcore's service code", () => {
  const owned = (team: string) => picomatch(DEFAULT_SUBTEAMS[team]!.paths as string[]);
  const all = [...files('src/netcore'), ...files('test/netcore')];

  it.each([
    ['l3', ['src/netcore/l3', 'src/netcore/metadata', 'test/netcore/l3', 'test/netcore/metadata']],
    ['lbaas', ['src/netcore/lbaas', 'test/netcore/lbaas']],
  ] as const)('%s owns every file of its folders, and they have files', (team, folders) => {
    for (const folder of folders) {
      const inside = all.filter((f) => f.startsWith(`${folder}/`));
      expect(inside.length, folder).toBeGreaterThan(0);
      expect(inside.filter((f) => !owned(team)(f)), folder).toEqual([]);
    }
  });
});
