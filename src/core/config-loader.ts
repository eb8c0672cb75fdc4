import type { Context } from 'probot';
import type { ConfigResult, NetbotConfig } from '../config.js';
import { repoKey, type Octokit, type RepoRef } from '../github/types.js';

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
  /** The valid configs loaded, for handlers that must not wait for GitHub (records). */
  private readonly settled = new Map<string, NetbotConfig>();
  /**
   * `parse` validates a parsed file (the composed schema of every room's section); `defaults` is what it
   * gives for no file at all.
   */
  constructor(
    private readonly parse: (raw: unknown) => ConfigResult,
    readonly defaults: NetbotConfig,
    private readonly now: () => number = Date.now,
  ) {}

  get(context: Context, ref: RepoRef = context.repo()): Promise<ConfigResult> {
    return this.cached(context.octokit, ref);
  }

  /** The cached config (loaded now if it is not cached, or older than an hour). */
  async cached(octokit: Octokit, ref: RepoRef): Promise<ConfigResult> {
    const key = repoKey(ref);
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.loadedAt < MAX_AGE_MS) return hit.result;
    // Cache the promise so handlers of one event share a single load.
    const result = this.fetch(octokit, ref);
    this.cache.set(key, { result, loadedAt: this.now() });
    try {
      const settled = await result;
      if (settled.ok) this.settled.set(key, settled.config);
      else this.settled.delete(key);
      return settled;
    } catch (error) {
      this.cache.delete(key); // GitHub failed: try again next time
      throw error;
    }
  }

  /** This process's valid copy, if it holds one already (no call, no waiting). */
  peek(ref: RepoRef): NetbotConfig | undefined {
    return this.settled.get(repoKey(ref));
  }

  /** A config the registry kept (it validated when stored); undefined if it no longer does (the schema grew stricter). */
  parseStored(raw: unknown): NetbotConfig | undefined {
    const result = this.parse(raw);
    return result.ok ? result.config : undefined;
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
    let files: ConfigFile[] = [];
    try {
      const loaded = await octokit.config.get({ owner: ref.owner, repo: ref.repo, path: CONFIG_PATH });
      const config = loaded.config;
      files = loaded.files as ConfigFile[];
      // Probot merges a scalar or list at a file's root away into nothing, and drops an `_extends` it cannot read.
      if (files.some((file) => file.config !== null && (typeof file.config !== 'object' || Array.isArray(file.config)))) {
        return { ok: false, problems: [{ path: '(root)', message: 'the file must be a YAML mapping of keys to values' }] };
      }
      const firstExtended = files[0]?.config === null && ref.repo !== '.github' ? 2 : 1; // after the owner's .github default
      const missing = files.slice(firstExtended).find((file) => file.config === null);
      if (missing) {
        const where = `${missing.owner}/${missing.repo}:${missing.path}`;
        return { ok: false, problems: [{ path: '_extends', message: `${where} does not exist, or this app is not installed there` }] };
      }
      raw = files.some((file) => file.config !== null) ? config : null;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status !== undefined) throw error; // GitHub failed: let the delivery fail and be retried
      return { ok: false, problems: [{ path: '(file)', message: cleanYamlError(error as Error) }] };
    }
    const result = this.parse(raw);
    if (result.ok) return result;
    return { ok: false, problems: result.problems.map((problem) => ({ ...problem, message: problem.message + inFile(files, problem.path) })) };
  }
}

type ConfigFile = { owner: string; repo: string; path: string; config: unknown };

/**
 * Where a bad key comes from when it is not the repository's own file (the owner's `.github` default or an
 * `_extends`): files merge key by key at the top level, so the first file holding the top-level key owns it.
 */
function inFile(files: ConfigFile[], path: string): string {
  const top = path.split('.')[0]!;
  const owner = files.find((file) => file.config !== null && typeof file.config === 'object' && Object.hasOwn(file.config, top));
  if (!owner || owner === files[0]) return '';
  return ` (in ${owner.owner}/${owner.repo}:${owner.path})`;
}

/** The loader's message, plus the YAML parser's (which says at which line and column). */
function cleanYamlError(error: Error): string {
  const firstLine = (e: unknown) => String((e as Error)?.message ?? '').split('\n')[0]!;
  const cause = error.cause ? `: ${firstLine(error.cause)}` : '';
  return `${firstLine(error).replace(/^\[@probot\/octokit-plugin-config\]\s*/, '')}${cause}`.slice(0, 500);
}
