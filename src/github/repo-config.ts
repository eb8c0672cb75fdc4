import type { Context } from 'probot';
import { parseConfig, type ConfigResult } from '../config.js';
import { repoKey, type Octokit, type RepoRef } from './types.js';

export const CONFIG_FILE = 'netbot.yml';
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;
const MAX_AGE_MS = 60 * 60 * 1000;

/**
 * Each repository's validated config, loaded through Probot (so `_extends` and the owner's `.github`
 * repository apply) and cached until a push changes it, so ordinary events cost no config calls.
 * A file that does not parse or validate yields the problems and no config at all: never half a config.
 */
export class RepoConfigs {
  private readonly cache = new Map<string, { result: Promise<ConfigResult>; loadedAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  async get(context: Context, ref: RepoRef = context.repo()): Promise<ConfigResult> {
    const key = repoKey(ref);
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.loadedAt < MAX_AGE_MS) return hit.result;
    // Cache the promise so handlers of one event share a single load.
    const result = this.fetch(context.octokit, ref);
    this.cache.set(key, { result, loadedAt: this.now() });
    try {
      return await result;
    } catch (error) {
      this.cache.delete(key); // GitHub failed: try again next time
      throw error;
    }
  }

  /** Forgets a repository's config (its file changed), or every repository of an owner (its `.github` changed). */
  invalidate(ref: RepoRef): void {
    if (ref.repo.toLowerCase() === '.github') {
      const prefix = `${ref.owner.toLowerCase()}/`;
      for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
    }
    this.cache.delete(repoKey(ref));
  }

  /**
   * Reads and validates the config now, uncached (for work outside a webhook, such as the hourly sweep), as
   * Probot's `context.config` does: the repository's file, extended from the owner's `.github` repository.
   */
  async fetch(octokit: Octokit, ref: RepoRef): Promise<ConfigResult> {
    let raw: unknown;
    try {
      const { config, files } = await octokit.config.get({ owner: ref.owner, repo: ref.repo, path: CONFIG_PATH });
      raw = files.some((file) => file.config !== null) ? config : null;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status !== undefined) throw error; // GitHub failed: let the delivery fail and be retried
      return { ok: false, problems: [{ path: '(file)', message: cleanYamlError(String((error as Error).message)) }] };
    }
    return parseConfig(raw);
  }
}

function cleanYamlError(message: string): string {
  return message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, '').split('\n')[0]!.slice(0, 500);
}
