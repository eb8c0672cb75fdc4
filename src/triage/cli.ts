import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { cliOctokit, parseRepoArg } from '../github/cli-octokit.js';
import { createServices } from '../services.js';
import type { RepoRef } from '../github/types.js';
import { backfill, type BackfillOctokit } from './backfill.js';
import { refitRepository, type LearnOutcome } from './learn/learner.js';
import type { LearnedModel } from './learn/model.js';

/**
 * `netbot triage --backfill owner/repo`: fills the starter-bug board's store from GitHub and reads the repository's
 * history of labelled issues as examples (writes nothing to GitHub). `netbot triage --learn owner/repo`: refits the
 * repository's learned models from the examples in the store and prints their cross-validated precision and recall.
 */
export function registerTriageCli(program: Command): void {
  program
    .command('triage')
    .description("starter bugs: fill netbot's store (NETBOT_DB or DATABASE_URL) from a repository, or refit its learned model")
    .option(
      '--backfill <owner/repo>',
      'read every open issue, classify it (areas, low-hanging fruit) and store it for the board; read the closed ones (see --history) as labelled examples for the learned model. Writes only to the store, never to GitHub. Needs GITHUB_TOKEN, or APP_ID with PRIVATE_KEY(_PATH)',
    )
    .option('--history <count>', 'with --backfill: how many closed issues (newest first) to read as examples', '1000')
    .option('--learn <owner/repo>', "refit the repository's learned models from the examples in the store (no GitHub call) and print their precision and recall by cross-validation")
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (opts: { backfill?: string; learn?: string; history: string; progress: boolean }) => {
      if (!opts.backfill === !opts.learn) throw new Error('netbot triage: give one of --backfill owner/repo or --learn owner/repo');
      if (opts.learn) return learn(parseRepoArg(opts.learn));
      const history = Number(opts.history);
      if (!Number.isInteger(history) || history < 0) throw new Error(`--history: expected a whole number of issues (0 or more), got "${opts.history}"`);
      return runBackfill(parseRepoArg(opts.backfill!), history, opts.progress);
    });
}

async function runBackfill(ref: RepoRef, history: number, progress: boolean): Promise<void> {
  // Credentials first: a run that cannot reach GitHub leaves no empty store behind.
  const octokit = (await cliOctokit(ref.owner, ref.repo)) as unknown as BackfillOctokit;
  const services = await createServices();
  const file = services.store.describe;
  const bar = new cliProgress.SingleBar(
    { format: `${ref.owner}/${ref.repo} [{bar}] {value}/{total} open issues and PRs`, hideCursor: true, stream: process.stderr, noTTYOutput: false },
    cliProgress.Presets.shades_classic,
  );
  try {
    const result = await backfill(
      octokit,
      ref,
      services,
      {
        start: (total) => void (progress && bar.start(total, 0)),
        tick: () => {
          if (!progress) return;
          if (bar.getProgress() >= 1) bar.setTotal(bar.getTotal() + 1); // the count was taken before the listing
          bar.increment();
        },
      },
      { history },
    );
    if (progress) bar.stop();
    const c = result.candidates;
    const ex = result.examples;
    console.log(
      [
        `backfilled ${ref.owner}/${ref.repo} into ${file}: ${result.bugs} open bugs (${result.lhf} low-hanging fruit, ${result.claimed} assigned) out of ${result.seen} open issues and pull requests.`,
        c.length ? `${c.length} more score${c.length === 1 ? 's' : ''} as low-hanging fruit but ${c.length === 1 ? 'is' : 'are'} not labelled (${c.slice(0, 20).map((n) => `#${n}`).join(', ')}${c.length > 20 ? ', …' : ''}): a triager can /lhf ${c.length === 1 ? 'it' : 'them'}.` : '',
        result.closed ? `${result.closed} stored bug(s) no longer open on GitHub were recorded closed.` : '',
        `Examples for the learned model (${ex.closedRead} closed issues read): ${ex.starters} starters, ${ex.notStarters} not, ${ex.withAreas} with an area label; \`netbot triage --learn ${ref.owner}/${ref.repo}\` fits it.`,
        'Nothing was written to GitHub.',
      ]
        .filter(Boolean)
        .join(' '),
    );
  } finally {
    if (progress) bar.stop();
    await services.close();
  }
}

const pct = (n: number) => n.toFixed(2);

function describeModel(m: LearnedModel): string {
  const top = Object.entries(m.weights)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, 6)
    .map(([f, w]) => `${m.forms[f] ? `${f.split(':')[0]} "${m.forms[f]}"` : f} ${w > 0 ? '+' : ''}${w.toFixed(2)}`);
  return (
    `precision ${pct(m.cv.precision)}, recall ${pct(m.cv.recall)} at >= ${m.threshold} by cross-validation (${m.cv.folds} folds x ${m.cv.repeats}; target precision ${m.cv.targetPrecision}${m.cv.met ? '' : ': NOT reached, the best precision it could get'}); ` +
    `"maybe" from ${m.maybeThreshold}; weighs most: ${top.join(', ')}`
  );
}

export function learnReport(name: string, outcome: LearnOutcome, minExamples: number): string[] {
  const s = outcome.starter;
  const lines = [
    s.model
      ? `${name} starter model v${s.version ?? '?'} from ${s.positives} starters and ${s.negatives} others: ${describeModel(s.model)}`
      : `${name} starter model: too few examples (${s.positives} starters and ${s.negatives} others; ${minExamples} of each needed): the built-in score stays in charge.`,
  ];
  for (const [key, a] of Object.entries(outcome.areas)) {
    lines.push(a.model ? `${name} area ${key} model from ${a.positives} reports with it and ${a.negatives} without: ${describeModel(a.model)}` : `${name} area ${key}: too few examples (${a.positives} with it, ${a.negatives} without): the configured keywords and paths alone.`);
  }
  return lines;
}

async function learn(ref: RepoRef): Promise<void> {
  const services = await createServices();
  try {
    const known = await services.repos.byName(ref.owner, ref.repo);
    if (!known) throw new Error(`netbot has not seen ${ref.owner}/${ref.repo} (install the app there, or run \`netbot triage --backfill ${ref.owner}/${ref.repo}\` first)`);
    const config = (known.config !== undefined && services.configs.parseStored(known.config)) || services.configs.defaults;
    const outcome = await refitRepository(services, known.repoId, config, { force: true });
    for (const line of learnReport(`${known.owner}/${known.repo}`, outcome, config.triage.learning.minExamples)) console.log(line);
  } finally {
    await services.close();
  }
}
