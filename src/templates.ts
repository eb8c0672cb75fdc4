import nunjucks from 'nunjucks';
import { join } from 'node:path';
import { breakMentions, escapeHtml, mdInline, quietLogin } from './github/markdown.js';
import { packageRoot } from './paths.js';

/**
 * Every text the app writes lives in templates/ as a nunjucks template. HTML is autoescaped; Markdown
 * templates use the `md` filter for untrusted text. A repository may override a template by naming a file
 * of its own in config (`templates:`); the caller fetches that source and passes it to `render`.
 */
function addFilters(env: nunjucks.Environment): nunjucks.Environment {
  env.addFilter('md', (value: unknown, max?: number) => new nunjucks.runtime.SafeString(mdInline(value, max)));
  env.addFilter('quietlogin', (value: string) => new nunjucks.runtime.SafeString(quietLogin(value)));
  env.addFilter('nomention', (value: unknown) => breakMentions(String(value ?? '')));
  env.addFilter('html', (value: unknown) => new nunjucks.runtime.SafeString(escapeHtml(String(value ?? ''))));
  env.addFilter('json', (value: unknown) => new nunjucks.runtime.SafeString(JSON.stringify(value).replace(/</g, '\\u003c')));
  return env;
}

let shared: nunjucks.Environment | undefined;

export function templateEnv(): nunjucks.Environment {
  if (!shared) {
    const loader = new nunjucks.FileSystemLoader(join(packageRoot(), 'templates'), { noCache: false });
    shared = addFilters(new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true }));
  }
  return shared;
}

/** Renders a template by name (e.g. `triage/welcome.md.njk`), or from an override's source when given. */
export function render(name: string, vars: Record<string, unknown>, overrideSource?: string): string {
  const env = templateEnv();
  const text = overrideSource !== undefined ? env.renderString(overrideSource, vars) : env.render(name, vars);
  return text.replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
