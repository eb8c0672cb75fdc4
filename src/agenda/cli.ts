import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { cliOctokit, parseRepoArg } from '../github/cli-octokit.js';
import type { Octokit } from '../github/types.js';
import { createServices } from '../services.js';
import { meetingAfter } from './meetings.js';
import { previewAgenda } from './publish.js';

const STEPS = ['GitHub: one GraphQL query', "netbot's store and the other rooms' records", 'render'];

/**
 * `netbot agenda owner/repo --dry-run`: the next meeting's agenda as it would be posted now, on stdout. It
 * writes nothing (not to GitHub, not to the store). The config is the repository's last valid one that
 * netbot has seen (the defaults if none), which it says on stderr.
 */
export function registerAgendaCli(program: Command): void {
  program
    .command('agenda')
    .description("the weekly meeting's agenda as it would be posted now (needs GITHUB_TOKEN, or APP_ID with PRIVATE_KEY(_PATH))")
    .argument('<owner/repo>', 'the repository')
    .requiredOption('--dry-run', 'print the agenda instead of posting it (posting is the scheduled job\'s)')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (repoArg: string, opts: { dryRun: boolean; progress: boolean }) => {
      const ref = parseRepoArg(repoArg);
      const octokit = (await cliOctokit(ref.owner, ref.repo)) as unknown as Octokit;
      const services = await createServices();
      const bar = new cliProgress.SingleBar({ format: `${ref.owner}/${ref.repo} [{bar}] {value}/{total} {step}`, hideCursor: true, stream: process.stderr, noTTYOutput: false }, cliProgress.Presets.shades_classic);
      try {
        const known = await services.repos.byName(ref.owner, ref.repo);
        const config = (known?.config !== undefined && services.configs.parseStored(known.config)) || services.configs.defaults;
        console.error(known?.config !== undefined ? `using ${ref.owner}/${ref.repo}'s last valid config that netbot has seen` : `netbot has no config of ${ref.owner}/${ref.repo} on record: using the defaults`);
        const meetingAt = meetingAfter(config.agenda.schedule, config.agenda.timezone, services.now());
        if (opts.progress) bar.start(STEPS.length, 0, { step: STEPS[0] });
        let done = 0;
        const repo = { repoId: known?.repoId ?? 0, owner: ref.owner, repo: ref.repo, htmlUrl: known?.htmlUrl ?? undefined };
        const { body } = await previewAgenda({ services, octokit, repo, config }, meetingAt, (step) => {
          if (opts.progress) bar.update(done++, { step });
        });
        if (opts.progress) {
          bar.update(STEPS.length, { step: 'done' });
          bar.stop();
        }
        process.stdout.write(body);
      } finally {
        if (opts.progress) bar.stop();
        await services.close();
      }
    });
}
