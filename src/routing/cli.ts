import type { Command } from 'commander';
import { parseRepoArg } from '../github/cli-octokit.js';
import { createServices } from '../services.js';
import { routingStoreFor, type RoutingStore } from './store.js';

export interface ReviewerLoad {
  reviewer: string;
  open: { pr: number; subteams: string[]; requestedByBot: boolean; requestedAt: string; ageDays: number }[];
}

/** Each reviewer's open review requests in a repository, busiest first. */
export async function loadReport(store: RoutingStore, repoId: number, now: Date): Promise<ReviewerLoad[]> {
  const byReviewer = new Map<string, ReviewerLoad>();
  for (const r of await store.openRequests(repoId)) {
    const key = r.reviewer.toLowerCase();
    let entry = byReviewer.get(key);
    if (!entry) byReviewer.set(key, (entry = { reviewer: r.reviewer, open: [] }));
    const ageDays = Math.max(0, Math.floor((now.getTime() - Date.parse(r.requestedAt)) / 86_400_000));
    entry.open.push({ pr: r.pr, subteams: r.subteams, requestedByBot: r.requestedByBot, requestedAt: r.requestedAt, ageDays });
  }
  return [...byReviewer.values()].sort((a, b) => b.open.length - a.open.length || a.reviewer.localeCompare(b.reviewer));
}

/** The report as a terminal table. */
export function formatLoad(repo: string, rows: ReviewerLoad[]): string {
  if (rows.length === 0) return `no open review requests recorded for ${repo} (netbot counts them from pull request and review events)`;
  const total = rows.reduce((n, r) => n + r.open.length, 0);
  const width = Math.max(8, ...rows.map((r) => r.reviewer.length));
  const lines = [`open review requests in ${repo}: ${total} across ${rows.length} reviewer${rows.length === 1 ? '' : 's'}`, `${'reviewer'.padEnd(width)}  open  pull requests (subteams, age)`];
  for (const r of rows) {
    const prs = r.open.map((o) => `#${o.pr} (${o.subteams.length ? o.subteams.join('+') : o.requestedByBot ? 'default reviewer' : 'by a person'}, ${o.ageDays}d)`).join(', ');
    lines.push(`${r.reviewer.padEnd(width)}  ${String(r.open.length).padStart(4)}  ${prs}`);
  }
  return lines.join('\n');
}

/** `netbot routing --load owner/repo [--json]`: reads the app's store (NETBOT_DB), no GitHub call. */
export function registerRoutingCli(program: Command): void {
  program
    .command('routing')
    .description("reviewers' open review requests, from netbot's store (NETBOT_DB)")
    .requiredOption('--load <owner/repo>', "print each reviewer's open review requests in this repository")
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { load: string; json?: boolean }) => {
      const repo = parseRepoArg(opts.load);
      const services = await createServices();
      try {
        const known = await services.repos.byName(repo.owner, repo.repo);
        const rows = known ? await loadReport(routingStoreFor(services), known.repoId, services.now()) : [];
        console.log(opts.json ? JSON.stringify({ repo: `${repo.owner}/${repo.repo}`, reviewers: rows }, null, 2) : formatLoad(`${repo.owner}/${repo.repo}`, rows));
      } finally {
        await services.close();
      }
    });
}
