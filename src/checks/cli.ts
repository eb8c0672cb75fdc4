import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { ProbotOctokit } from 'probot';
import { DEFAULT_CONFIG, parseConfig } from '../config.js';
import { RepoConfigs } from '../core/config-loader.js';
import { cliOctokit } from '../github/cli-octokit.js';
import { MaintainerCheck } from '../github/permissions.js';
import type { Octokit, RepoRef } from '../github/types.js';
import { formatSummary } from '../netcore/report.js';
import type { Plan } from './plan.js';
import { runPipeline, type SuiteOutcome } from './runner/pipeline.js';
import { sandboxAvailable } from './runner/sandbox.js';
import { runnerSettings } from './runner/settings.js';
import { planFor } from './start.js';
import { decideTrust, type TrustDecision } from './trust.js';

/** `owner/repo#N`. */
export function parsePullArg(value: string): RepoRef & { number: number } {
  const m = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)#(\d+)$/.exec(value.trim());
  if (!m) throw new Error(`expected owner/repo#N (a pull request), got "${value}"`);
  return { owner: m[1]!, repo: m[2]!, number: Number(m[3]) };
}

/** An Octokit with Probot's config loader (for `.github/netbot.yml` and its `_extends`), from a token or the App. */
async function octokitFor(ref: RepoRef): Promise<Octokit> {
  if (process.env.GITHUB_TOKEN) return new ProbotOctokit({ auth: { token: process.env.GITHUB_TOKEN } }) as unknown as Octokit;
  return (await cliOctokit(ref.owner, ref.repo)) as unknown as Octokit;
}

interface Planned {
  pull: { headSha: string; author: string; association: string; defaultBranch: string };
  plan: Plan;
  trust: TrustDecision;
}

async function planPull(octokit: Octokit, ref: RepoRef & { number: number }): Promise<Planned> {
  const loaded = await new RepoConfigs(parseConfig, DEFAULT_CONFIG).fetch(octokit, ref);
  if (!loaded.ok) throw new Error(`${ref.owner}/${ref.repo}'s .github/netbot.yml is invalid: ${loaded.problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const { data: pr } = await octokit.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: ref.number });
  const plan = await planFor(octokit, { config: loaded.config, repo: { ...ref, repoId: 0 } }, ref.number);
  const author = pr.user?.login ?? '';
  const quick = decideTrust({ author, association: pr.author_association, authorIsMaintainer: false, trustedAuthors: loaded.config.checks.trustedAuthors, headSha: pr.head.sha });
  const trust = quick.trusted ? quick : decideTrust({ author, association: pr.author_association, authorIsMaintainer: await new MaintainerCheck(octokit, ref, loaded.config).isMaintainer(author), trustedAuthors: loaded.config.checks.trustedAuthors, headSha: pr.head.sha });
  return { pull: { headSha: pr.head.sha, author, association: pr.author_association, defaultBranch: pr.base.repo.default_branch }, plan, trust };
}

/** The plan as lines for a terminal. */
export function formatPlan(ref: RepoRef & { number: number }, planned: Planned): string {
  const lines = [`${ref.owner}/${ref.repo}#${ref.number} at ${planned.pull.headSha.slice(0, 7)} (${planned.plan.files} changed files)`];
  for (const s of planned.plan.suites) lines.push(`  ${s.run ? 'run ' : 'skip'}  ${s.name}: ${s.reasons.join('; ').replace(/`/g, '')}`);
  lines.push(`trust: ${planned.trust.reason}${planned.trust.trusted ? '' : ' (netbot would wait for /ok-to-test)'}`);
  return lines.join('\n');
}

/** `netbot checks plan|run owner/repo#N`: a pull request's plan, or its suites run here (in the sandbox), with a token. */
export function registerChecksCli(program: Command): void {
  const checks = program.command('checks').description("a pull request's conformance and migration checks, from the command line (GITHUB_TOKEN, or the App's credentials)");
  checks
    .command('plan <owner/repo#N>')
    .description('print which suites netbot runs on the pull request, and why (writes nothing)')
    .option('--json', 'print JSON')
    .action(async (arg: string, opts: { json?: boolean }) => {
      const ref = parsePullArg(arg);
      const planned = await planPull(await octokitFor(ref), ref);
      console.log(opts.json ? JSON.stringify({ pullRequest: `${ref.owner}/${ref.repo}#${ref.number}`, ...planned }, null, 2) : formatPlan(ref, planned));
    });
  checks
    .command('run <owner/repo#N>')
    .description('plan, then run the suites on the head commit here, in the sandbox, and print their reports (writes nothing to GitHub)')
    .option('--all', 'run every suite, the skipped ones too')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (arg: string, opts: { all?: boolean; progress: boolean }) => {
      if (!sandboxAvailable()) throw new Error('netbot checks run needs bubblewrap (Debian: apt-get install bubblewrap): pull request code only ever runs in its sandbox');
      const ref = parsePullArg(arg);
      const octokit = await octokitFor(ref);
      const planned = await planPull(octokit, ref);
      console.log(formatPlan(ref, planned));
      const suites = planned.plan.suites.filter((s) => opts.all || s.run).map((s, i) => ({ key: `suite-${i}`, suite: s.suite, plugin: s.plugin, name: s.name }));
      if (suites.length === 0) return console.log('nothing to run (use --all to run the skipped suites anyway)');
      const bar = new cliProgress.SingleBar({ format: `${ref.owner}/${ref.repo}#${ref.number} [{bar}] {value}/{total} | {step}`, hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
      if (opts.progress) bar.start(3 + suites.length, 0, { step: 'fetch the head commit' });
      const names = new Map(suites.map((s) => [s.key, s.name]));
      try {
        const { outcomes } = await runPipeline({
          fetchTarball: async () => Buffer.from((await octokit.rest.repos.downloadTarballArchive({ owner: ref.owner, repo: ref.repo, ref: planned.pull.headSha })).data as ArrayBuffer),
          defaultBranchHas: async () => false, // a local run keeps its install to itself
          scope: `cli-${ref.owner}-${ref.repo}-${ref.number}`,
          suites,
          settings: runnerSettings(),
          signal: new AbortController().signal,
          onEvent: (e) => {
            if (!opts.progress) return;
            if (e.kind === 'step' && e.state === 'done') bar.increment(1, { step: e.step === 'fetch' ? 'install' : e.step === 'install' ? 'build' : 'suites' });
            if (e.kind === 'suite-started') bar.update({ step: names.get(e.key) });
            if (e.kind === 'suite-done') bar.increment(1);
          },
        });
        if (opts.progress) bar.stop();
        for (const o of outcomes) console.log(`\n${names.get(o.key)}: ${o.conclusion} (${o.title})\n${describeOutcome(o)}`);
        if (outcomes.some((o) => o.conclusion !== 'success')) process.exitCode = 1;
      } finally {
        if (opts.progress) bar.stop();
      }
    });
}

function describeOutcome(o: SuiteOutcome): string {
  const parts: string[] = [];
  if (o.report) parts.push(formatSummary(o.report));
  if (o.problem) parts.push(o.problem);
  if (!o.report && o.log.trim()) parts.push(o.log.trim().split('\n').slice(-20).join('\n'));
  return parts.join('\n');
}
