import { createHash } from 'node:crypto';
import type { Context, Probot } from 'probot';
import type { ConfigProblem } from '../config.js';
import type { AppServices } from '../services.js';
import type { StoreMigration } from '../store/store.js';
import { repoKey } from './types.js';
import { render } from '../templates.js';
import { CONFIG_FILE, CONFIG_PATH } from './repo-config.js';

export const CONFIG_CHECK_NAME = 'netbot / config';
/** A check run's summary holds 65 535 characters: a huge broken file lists its first problems and a count. */
const SHOWN_PROBLEMS = 100;

export const configReportMigrations: StoreMigration[] = [
  {
    component: 'core',
    version: 4,
    description: 'config_reports: invalid configs already reported, so each is reported once',
    up(db) {
      db.exec(`CREATE TABLE config_reports (repo TEXT NOT NULL, problems_hash TEXT NOT NULL, reported_at TEXT NOT NULL,
        PRIMARY KEY (repo, problems_hash))`);
    },
  },
];

/**
 * Reports the config where a maintainer will see it: a check run on the commit that changed
 * .github/netbot.yml, failing with each bad key and why, or passing once the file is fixed.
 */
export function registerConfigCheck(app: Probot, services: AppServices): void {
  app.on('push', async (context) => {
    const { payload } = context;
    const ref = context.repo();
    const isDefaultBranch = payload.ref === `refs/heads/${payload.repository.default_branch}`;
    if (!isDefaultBranch) return;
    services.templates.invalidate(ref); // an override file may have changed; refetching is cheap
    const touched = payload.commits.some((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].includes(CONFIG_PATH));
    // A force push, or a push of more commits than GitHub lists (20), may change the file without saying so.
    const unlisted = payload.forced || payload.commits.length >= 20;
    if (!touched && !unlisted && ref.repo !== '.github') return;
    services.configs.invalidate(ref);
    if (!touched || payload.deleted) return;
    if (!services.deliveries.claim(context.id, 'config-check', context.name)) return;
    try {
      const result = await services.configs.get(context as unknown as Context);
      await reportConfig(context as unknown as Context, payload.after, result.ok ? [] : result.problems);
      rememberReport(services, repoKey(ref), result.ok ? null : result.problems);
      context.log.info({ delivery: context.id, ok: result.ok }, 'config checked');
      services.deliveries.done(context.id, 'config-check');
    } catch (error) {
      services.deliveries.release(context.id, 'config-check');
      throw error;
    }
  });
}

/**
 * An invalid config met outside a push (the app was installed on a repository whose file was already bad):
 * report it once, on the default branch's head commit, so a maintainer sees why netbot is silent.
 */
export async function reportInvalidConfigOnce(context: Context, services: AppServices, problems: ConfigProblem[]): Promise<void> {
  const repository = (context.payload as { repository?: { default_branch?: string } }).repository;
  if (!repository?.default_branch) return;
  const key = repoKey(context.repo());
  // Reserved before the calls: the other features handling this same event must not report it too.
  if (!rememberReport(services, key, problems)) return;
  try {
    const { data: commit } = await context.octokit.rest.repos.getCommit({ ...context.repo(), ref: repository.default_branch });
    await reportConfig(context, commit.sha, problems);
  } catch (error) {
    services.db.prepare('DELETE FROM config_reports WHERE repo = ? AND problems_hash = ?').run(key, problemsHash(problems));
    throw error;
  }
}

const problemsHash = (problems: ConfigProblem[]) => createHash('sha256').update(JSON.stringify(problems)).digest('hex');

/**
 * Problems reported (by a push or an event) are not reported again; a passing file forgets them, so a relapse
 * is. Returns false when these problems were already reported.
 */
function rememberReport(services: AppServices, repo: string, problems: ConfigProblem[] | null): boolean {
  if (problems === null) {
    services.db.prepare('DELETE FROM config_reports WHERE repo = ?').run(repo);
    return true;
  }
  const inserted = services.db
    .prepare('INSERT OR IGNORE INTO config_reports (repo, problems_hash, reported_at) VALUES (?, ?, ?)')
    .run(repo, problemsHash(problems), services.now().toISOString());
  return inserted.changes === 1;
}

async function reportConfig(context: Context, headSha: string, problems: ConfigProblem[]): Promise<void> {
  const ok = problems.length === 0;
  await context.octokit.rest.checks.create({
    ...context.repo(),
    name: CONFIG_CHECK_NAME,
    head_sha: headSha,
    status: 'completed',
    conclusion: ok ? 'success' : 'failure',
    output: {
      title: ok ? `${CONFIG_PATH} is valid` : `${CONFIG_PATH} is invalid: netbot is paused in this repository`,
      summary: render('config/check-summary.md.njk', {
        ok,
        problems: problems.slice(0, SHOWN_PROBLEMS),
        more: Math.max(0, problems.length - SHOWN_PROBLEMS),
        path: CONFIG_PATH,
        file: CONFIG_FILE,
      }).slice(0, 65_000),
    },
  });
}

