import type { NetbotConfig } from '../config.js';
import { render } from '../templates.js';
import type { Octokit, RepoRef } from './types.js';
import { repoKey } from './types.js';

/**
 * Renders a template, or the repository's own version of it when config names one (`templates:`) and the
 * server allows overrides (NETBOT_ALLOW_TEMPLATE_OVERRIDES=true): nunjucks templates can run code on the
 * server, so only an operator who trusts the installations should turn this on. An override that cannot be
 * fetched or rendered falls back to the built-in template, so a broken override never silences the bot.
 */
export class TemplateOverrides {
  private readonly sources = new Map<string, Promise<string | undefined>>();
  constructor(private readonly allowed = process.env.NETBOT_ALLOW_TEMPLATE_OVERRIDES === 'true') {}

  async render(octokit: Octokit, ref: RepoRef, config: NetbotConfig, name: string, vars: Record<string, unknown>): Promise<string> {
    const path = config.templates[name];
    if (!this.allowed || !path) return render(name, vars);
    const source = await this.fetch(octokit, ref, path);
    if (source === undefined) return render(name, vars);
    try {
      return render(name, vars, source);
    } catch {
      return render(name, vars);
    }
  }

  /** Forgets fetched overrides of a repository (its config or files changed). */
  invalidate(ref: RepoRef): void {
    const prefix = `${repoKey(ref)}:`;
    for (const key of this.sources.keys()) if (key.startsWith(prefix)) this.sources.delete(key);
  }

  private fetch(octokit: Octokit, ref: RepoRef, path: string): Promise<string | undefined> {
    const key = `${repoKey(ref)}:${path}`;
    let source = this.sources.get(key);
    if (!source) {
      source = octokit.rest.repos
        .getContent({ ...ref, path, mediaType: { format: 'raw' } })
        .then((res) => decodeRaw(res.data as unknown))
        .catch(() => undefined);
      this.sources.set(key, source);
    }
    return source;
  }
}

/** The raw media type comes back as text or bytes depending on the content type GitHub sends. */
function decodeRaw(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  return undefined;
}
