import type { NetbotConfig } from '../config.js';
import { render } from '../templates.js';
import type { Octokit, RepoRef } from './types.js';
import { repoKey } from './types.js';

/** A repository's template that failed to render: where, and why (nunjucks says at which line). */
export interface OverrideFailure {
  template: string;
  path: string;
  line: number | null;
  message: string;
}

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
    return (await this.renderReporting(octokit, ref, config, name, vars)).text;
  }

  /** As `render`, and says why an override was not used when it failed to render (for the page that shows it). */
  async renderReporting(octokit: Octokit, ref: RepoRef, config: NetbotConfig, name: string, vars: Record<string, unknown>): Promise<{ text: string; failure?: OverrideFailure }> {
    const path = config.templates[name];
    if (!this.allowed || !path) return { text: render(name, vars) };
    const source = await this.fetch(octokit, ref, path);
    if (source === undefined) return { text: render(name, vars) };
    try {
      return { text: render(name, vars, source) };
    } catch (error) {
      const message = String((error as Error).message ?? error);
      const line = /\[Line (\d+)/.exec(message)?.[1];
      const reason = message.split('\n').map((l) => l.trim()).filter((l) => l && !/^Template render error/.test(l) && !/^\(.*\)\s*(\[Line \d+, Column \d+\])?$/.test(l)).join(' ');
      return { text: render(name, vars), failure: { template: name, path, line: line === undefined ? null : Number(line), message: reason || message.slice(0, 300) } };
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
