import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerPlugin, resolvePlugin } from '../../src/netcore/plugins/registry.js';
import { SqlitePlugin } from '../../src/netcore/plugins/sqlite/index.js';
import { makeApi } from './helpers.js';

describe('plugin registry', () => {
  it('finds the built-in sqlite plugin and a registered one by name', async () => {
    expect(typeof (await resolvePlugin('sqlite'))).toBe('function');
    registerPlugin('test-extended', ({ db, config }) => new (class extends SqlitePlugin {
      override readonly name = 'test-extended';
      override readonly extensions = [...new SqlitePlugin(db, config).extensions, 'vendor-thing'];
    })(db, config));
    const api = await makeApi({ plugin: 'test-extended' });
    expect(api.app.netcore.plugin.name).toBe('test-extended');
    const { extensions } = await api.ok('GET', '/v2.0/extensions');
    expect(extensions.map((e: { alias: string }) => e.alias)).toContain('vendor-thing');
    await api.close();
  });

  it('loads a vendor plugin from a folder, and explains an unknown name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netcore-plugin-'));
    try {
      mkdirSync(join(dir, 'vendor'));
      writeFileSync(join(dir, 'vendor/index.js'), 'export const createPlugin = () => ({ name: "folder", extensions: [] });\n');
      const factory = await resolvePlugin(join(dir, 'vendor'));
      expect(((await factory({} as never)) as { name: string }).name).toBe('folder');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await expect(resolvePlugin('no-such-netcore-plugin')).rejects.toThrow(/could not be loaded \(known: .*sqlite/);
  });

  it('accepts a plugin with asynchronous operations', async () => {
    const api = await makeApi({
      plugin: ({ db, config }) => {
        const inner = new SqlitePlugin(db, config);
        return new Proxy(inner, { get: (t, k) => (typeof (t as any)[k] === 'function' ? async (...a: unknown[]) => (t as any)[k](...a) : (t as any)[k]) });
      },
    });
    const net = await api.network({ name: 'async' });
    expect((await api.ok('GET', `/v2.0/networks/${net.id}`)).network.name).toBe('async');
    await api.close();
  });
});
