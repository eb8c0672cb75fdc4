import nock from 'nock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../src/config.js';
import { TemplateOverrides } from '../../src/github/template-overrides.js';
import { TestOctokit } from '../helpers/probot.js';

const ref = { owner: 'netcore', repo: 'netcore' };
const octokit = new TestOctokit({ auth: 'token' }) as any;
const withOverride = (() => {
  const r = parseConfig({ templates: { 'config/check-summary.md.njk': '.github/netbot/summary.njk' } });
  if (!r.ok) throw new Error('bad test config');
  return r.config;
})();

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

test('without the server opt-in, a configured override is not even fetched', async () => {
  const text = await new TemplateOverrides(false).render(octokit, ref, withOverride, 'config/check-summary.md.njk', { ok: true, path: 'x' });
  expect(text).toContain('is valid');
});

test("with the opt-in, the repository's template is fetched once and used, with the same filters", async () => {
  nock('https://api.github.com')
    .get('/repos/netcore/netcore/contents/.github%2Fnetbot%2Fsummary.njk')
    .reply(200, 'Custom: {{ path | md }}', { 'content-type': 'application/vnd.github.raw' });
  const overrides = new TemplateOverrides(true);
  const vars = { ok: true, path: '<b>@team</b>' };
  expect(await overrides.render(octokit, ref, withOverride, 'config/check-summary.md.njk', vars)).toBe('Custom: &lt;b&gt;@\u200dteam&lt;/b&gt;\n');
  expect(await overrides.render(octokit, ref, withOverride, 'config/check-summary.md.njk', vars)).toContain('Custom:');
});

test('an override that is missing or broken falls back to the built-in template', async () => {
  nock('https://api.github.com').get('/repos/netcore/netcore/contents/.github%2Fnetbot%2Fsummary.njk').reply(404, {});
  const missing = await new TemplateOverrides(true).render(octokit, ref, withOverride, 'config/check-summary.md.njk', { ok: true, path: 'p' });
  expect(missing).toContain('is valid');
  nock('https://api.github.com').get('/repos/netcore/netcore/contents/.github%2Fnetbot%2Fsummary.njk').reply(200, '{% if %}', { 'content-type': 'application/vnd.github.raw' });
  const broken = await new TemplateOverrides(true).render(octokit, ref, withOverride, 'config/check-summary.md.njk', { ok: true, path: 'p' });
  expect(broken).toContain('is valid');
  expect(DEFAULT_CONFIG.templates).toEqual({});
});
