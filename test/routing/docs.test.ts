import { readFileSync } from 'node:fs';
import { parse } from 'yaml'; // the parser Probot's config plugin uses for .github/netbot.yml
import { expect, test } from 'vitest';
import { parseConfig } from '../../src/config.js';

test('the configuration example in docs/routing.md is a valid .github/netbot.yml (an invalid one makes netbot do nothing)', () => {
  const doc = readFileSync(new URL('../../docs/routing.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Configuration keys'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block).toBeDefined();
  const result = parseConfig(parse(block!));
  expect(result.ok ? [] : result.problems).toEqual([]);
});
