import type { NetbotConfig } from '../config.js';
import type { Octokit, RepoRef } from './types.js';

const WRITE_LEVELS = new Set(['admin', 'maintain', 'write']);

/**
 * "Is this person a maintainer": listed in config, or holds write access or more. One lookup per
 * (event, person): the cache lives as long as the per-event object it is attached to.
 */
export class MaintainerCheck {
  private readonly cache = new Map<string, Promise<boolean>>();
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
    private readonly config: NetbotConfig,
  ) {}

  isMaintainer(login: string): Promise<boolean> {
    const key = login.toLowerCase();
    if (this.config.maintainers.some((m) => m.toLowerCase() === key)) return Promise.resolve(true);
    // An app's account (`dependabot[bot]`) is never a collaborator: nothing to ask GitHub.
    if (key.endsWith('[bot]')) return Promise.resolve(false);
    let answer = this.cache.get(key);
    if (!answer) {
      answer = this.lookup(login);
      this.cache.set(key, answer);
    }
    return answer;
  }

  /** Maintainers, plus the configured triagers. */
  async isTriager(login: string): Promise<boolean> {
    if (this.config.triagers.some((t) => t.toLowerCase() === login.toLowerCase())) return true;
    return this.isMaintainer(login);
  }

  private async lookup(login: string): Promise<boolean> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({ ...this.repo, username: login });
      return WRITE_LEVELS.has(data.role_name ?? data.permission) || WRITE_LEVELS.has(data.permission);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return false; // not a collaborator
      throw error;
    }
  }
}
