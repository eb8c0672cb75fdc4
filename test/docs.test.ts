import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml'; // the parser Probot's config plugin uses for .github/netbot.yml
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, DEFAULT_SUBTEAMS, parseConfig } from '../src/config.js';

const root = new URL('../', import.meta.url);
const docs = ['README.md', ...readdirSync(new URL('docs/', root)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

/** Every ```yaml block of a Markdown file, with the line it starts on. */
function yamlBlocks(file: string): { line: number; text: string }[] {
  const text = read(file);
  return [...text.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((m) => ({
    line: text.slice(0, m.index).split('\n').length,
    text: m[1]!,
  }));
}

describe('every YAML example in the docs is a valid .github/netbot.yml (an invalid one makes netbot do nothing)', () => {
  const blocks = docs.flatMap((file) => yamlBlocks(file).map((b) => ({ file, ...b })));
  test('the docs have YAML examples (README and routing.md at least)', () => {
    expect(blocks.some((b) => b.file === 'README.md')).toBe(true);
    expect(blocks.some((b) => b.file === 'docs/routing.md')).toBe(true);
  });
  test.each(blocks.map((b) => [`${b.file}:${b.line}`, b.text] as const))('%s', (_where, text) => {
    const result = parseConfig(parse(text));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});

describe("README's complete example shows the defaults, except where a line is marked", () => {
  const block = yamlBlocks('README.md').find((b) => b.text.includes('lhfThreshold'))!;
  const example = parse(block.text) as Record<string, any>;
  const result = parseConfig(example);
  const config = result.ok ? result.config : undefined;

  test('it validates and names every top-level key of the schema', () => {
    expect(config).toBeDefined();
    expect(Object.keys(example).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
  });

  test('the four subteams are the defaults (leads, backups and description are examples)', () => {
    const shown = Object.fromEntries(
      Object.entries(config!.subteams).map(([key, { leads: _l, backups: _b, description: _d, ...team }]) => [key, team]),
    );
    const defaults = parseConfig({ subteams: DEFAULT_SUBTEAMS });
    expect(defaults.ok).toBe(true);
    if (!defaults.ok) return;
    const expected = Object.fromEntries(
      Object.entries(defaults.config.subteams).map(([key, { leads: _l, backups: _b, description: _d, ...team }]) => [key, team]),
    );
    expect(shown).toEqual(expected);
  });

  test('every other value is the default unless its line says "example"', () => {
    const marked = new Set(
      block.text
        .split('\n')
        .filter((line) => /#.*\bexample\b/.test(line))
        .map((line) => line.trim().split(':')[0]!),
    );
    const { subteams: _s, ...rest } = config!;
    const { subteams: _d, ...defaults } = DEFAULT_CONFIG;
    const strip = (o: Record<string, any>): Record<string, any> =>
      Object.fromEntries(
        Object.entries(o)
          .filter(([k]) => !marked.has(k))
          .map(([k, v]) => [k, v && typeof v === 'object' && !Array.isArray(v) ? strip(v) : v]),
      );
    expect(strip(rest)).toEqual(strip(defaults));
  });
});

describe('app.yml subscribes to exactly the events the app handles', () => {
  test('every event a handler is registered for is in default_events, and nothing else is', async () => {
    const { Probot } = await import('probot');
    const { createApp } = await import('../src/index.js');
    const { createServices } = await import('../src/services.js');
    const { TEST_APP_ID, TEST_PRIVATE_KEY } = await import('./helpers/probot.js');
    const probot = new Probot({ appId: TEST_APP_ID, privateKey: TEST_PRIVATE_KEY, logLevel: 'fatal' } as any);
    const handled = new Set<string>();
    const on = probot.on.bind(probot);
    (probot as any).on = (events: string | string[], fn: any) => {
      for (const e of [events].flat()) handled.add(e.split('.')[0]!);
      return on(events as any, fn);
    };
    const services = await createServices(':memory:');
    await probot.load(createApp({ services, worker: false }), { cwd: process.cwd(), addHandler: () => {} });
    await services.close();
    const manifest = parse(read('app.yml')) as { default_events: string[] };
    expect([...handled].sort()).toEqual([...manifest.default_events].sort());
    // README lists the same events.
    const listed = /It subscribes to these events: ([^.]*)\./.exec(read('README.md').replace(/\s+/g, ' '))?.[1];
    expect([...(listed ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).sort()).toEqual([...manifest.default_events].sort());
  });
});

describe("README's command table comes from the command registry", () => {
  /** The table the registered commands make (usage, who, where, what), from the whole app's registry. */
  async function registryTable(): Promise<{ table: string; names: string[] }> {
    const { createTestBot } = await import('./helpers/probot.js');
    const { commandTable } = await import('../src/core/commands.js');
    const bot = await createTestBot();
    try {
      return { table: commandTable(bot.services.commands), names: bot.services.commands.all().map((c) => c.name) };
    } finally {
      await bot.services.close();
    }
  }

  test('every row has four cells: a `|` inside a cell (`/vacation on|off`) is escaped, or GitHub splits the row', async () => {
    const { table, names } = await registryTable();
    expect(names).toEqual(expect.arrayContaining(['netbot', 'claim', 'unclaim', 'lhf', 'not-lhf', 'route', 'unroute', 'vacation']));
    const cells = (row: string) => row.split(/(?<!\\)\|/).length - 2;
    expect(table.split('\n').map(cells)).toEqual(table.split('\n').map(() => 4));
  });

  test('the table under "Commands in comments" is that table', async () => {
    const { table } = await registryTable();
    const section = /### Commands in comments\n([\s\S]*?)\n## /.exec(read('README.md'))?.[1] ?? '';
    expect(section).toContain(table);
  });
});
