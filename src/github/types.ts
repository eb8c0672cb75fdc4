import type { Context } from 'probot';

/** The Octokit instance a webhook context carries (authenticated as the installation). */
export type Octokit = Context['octokit'];

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface IssueRef extends RepoRef {
  issue_number: number;
}

export const repoKey = (r: RepoRef): string => `${r.owner}/${r.repo}`.toLowerCase();
