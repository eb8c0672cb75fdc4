import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registerNetcoreCommands } from '../../../src/netcore/cli/index.js';
import { serveConfig } from '../../../src/netcore/cli/serve.js';
import { resolveConfig } from '../../../src/netcore/config.js';
import { buildServer } from '../../../src/netcore/server.js';
import { runCli } from '../helpers.js';

describe('auth settings are checked when the config is read', () => {
  it('the example in docs/netcore.md is a valid config, with every auth key', () => {
    const doc = readFileSync(new URL('../../../docs/netcore.md', import.meta.url), 'utf8');
    const example = /## Configuration[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)![1];
    const config = resolveConfig({ ...JSON.parse(example), auth: 'keystone' });
    expect(config.keystone).toMatchObject({ username: 'network', timeoutMs: 5000, tokenCacheSeconds: 300 });
    expect(config.trustedProxies).toEqual(['10.0.0.5', '192.168.0.0/24']);
  });

  it.each([
    [{ auth: 'keystone' }, 'keystone: auth "keystone" needs the keystone settings'],
    [{ auth: 'trusted-proxy' }, 'trustedProxies: auth "trusted-proxy" needs at least one trusted proxy address'],
    [{ auth: 'trusted-proxy', trustedProxies: ['10.0.0.0/33'] }, 'trustedProxies.0: must be an IP address or a CIDR'],
    [{ auth: 'ldap' }, 'auth: Invalid option'],
    [{ auth: 'keystone', keystone: { authUrl: 'ftp://k/v3', username: 'u', password: 'p', projectName: 's' } }, 'keystone.authUrl'],
  ])('%j', async (config, message) => {
    await expect(buildServer({ config: config as never })).rejects.toThrow(message);
  });
});

describe('netbot netcore serve --auth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netcore-auth-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('wins over the config file’s auth, and the whole is checked again', () => {
    const file = join(dir, 'netcore.json');
    const keystone = { authUrl: 'http://127.0.0.1:5000/v3', username: 'network', password: 'secret', projectName: 'service' };
    writeFileSync(file, JSON.stringify({ auth: 'noauth', keystone }));
    expect(serveConfig({ config: file }).auth).toBe('noauth');
    expect(serveConfig({ config: file, auth: 'keystone' })).toMatchObject({ auth: 'keystone', keystone: { ...keystone, timeoutMs: 5000, tokenCacheSeconds: 300 } });
    expect(() => serveConfig({ auth: 'keystone' })).toThrow('keystone: auth "keystone" needs the keystone settings');
  });

  it('refuses a mode it does not know', async () => {
    await expect(runCli(registerNetcoreCommands, 'netcore', 'serve', '--auth', 'ldap')).rejects.toThrow(
      "option '--auth <mode>' argument 'ldap' is invalid. Allowed choices are noauth, keystone, trusted-proxy.",
    );
  });
});
