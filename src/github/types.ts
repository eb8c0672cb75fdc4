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

/** Only the parameters GitHub's repository routes take: a ref may carry more (the store's repoId), which Octokit would send. */
export const repoParams = (r: RepoRef): { owner: string; repo: string } => ({ owner: r.owner, repo: r.repo });
export const issueParams = (r: IssueRef): { owner: string; repo: string; issue_number: number } => ({ owner: r.owner, repo: r.repo, issue_number: r.issue_number });
