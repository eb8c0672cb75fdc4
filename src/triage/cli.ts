import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { cliOctokit, parseRepoArg } from '../github/cli-octokit.js';
import { createServices } from '../services.js';
import { backfill, type BackfillOctokit } from './backfill.js';

/** `netbot triage --backfill owner/repo`: fills the starter-bug board's store from GitHub (writes nothing to GitHub). */
export function registerTriageCli(program: Command): void {
  program
    .command('triage')
    .description("starter-bug board: fill netbot's store (NETBOT_DB) from a repository's open issues")
    .requiredOption(
      '--backfill <owner/repo>',
      'read every open issue, classify it (areas, low-hanging fruit) and store it for the board. Writes only to the store, never to GitHub: no labels, no comments. Needs GITHUB_TOKEN, or APP_ID with PRIVATE_KEY(_PATH)',
    )
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (opts: { backfill: string; progress: boolean }) => {
      const ref = parseRepoArg(opts.backfill);
      // Credentials first: a run that cannot reach GitHub leaves no empty store behind.
      const octokit = (await cliOctokit(ref.owner, ref.repo)) as unknown as BackfillOctokit;
      const services = await createServices();
      const file = services.store.describe;
      const bar = new cliProgress.SingleBar(
        { format: `${ref.owner}/${ref.repo} [{bar}] {value}/{total} open issues and PRs`, hideCursor: true, stream: process.stderr, noTTYOutput: false },
        cliProgress.Presets.shades_classic,
      );
      try {
        const result = await backfill(octokit, ref, services, {
          start: (total) => void (opts.progress && bar.start(total, 0)),
          tick: () => {
            if (!opts.progress) return;
            if (bar.getProgress() >= 1) bar.setTotal(bar.getTotal() + 1); // the count was taken before the listing
            bar.increment();
          },
        });
        if (opts.progress) bar.stop();
        const c = result.candidates;
        console.log(
          [
            `backfilled ${ref.owner}/${ref.repo} into ${file}: ${result.bugs} open bugs (${result.lhf} low-hanging fruit, ${result.claimed} assigned) out of ${result.seen} open issues and pull requests.`,
            c.length ? `${c.length} more score${c.length === 1 ? 's' : ''} as low-hanging fruit but ${c.length === 1 ? 'is' : 'are'} not labelled (${c.slice(0, 20).map((n) => `#${n}`).join(', ')}${c.length > 20 ? ', …' : ''}): a triager can /lhf ${c.length === 1 ? 'it' : 'them'}.` : '',
            result.closed ? `${result.closed} stored bug(s) no longer open on GitHub were recorded closed.` : '',
            'Nothing was written to GitHub.',
          ]
            .filter(Boolean)
            .join(' '),
        );
      } finally {
        if (opts.progress) bar.stop();
        await services.close();
      }
    });
}
