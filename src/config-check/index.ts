import { createHash } from 'node:crypto';
import type { Context, Probot } from 'probot';
import type { ConfigProblem } from '../config.js';
import { CONFIG_FILE, CONFIG_PATH } from '../core/config-loader.js';
import type { Room } from '../core/room.js';
import type { AppServices } from '../core/services.js';
import { touched, type StoreMigration } from '../core/store/index.js';
import { repoParams } from '../github/types.js';
import { render } from '../templates.js';

export const CONFIG_CHECK_NAME = 'netbot / config';
/** A check run's summary holds 65 535 characters: a huge broken file lists its first problems and a count. */
const SHOWN_PROBLEMS = 100;

const migrations: StoreMigration[] = [
  {
    component: 'config-check',
    version: 1,
    description: 'config_reports: invalid configs already reported, so each is reported once',
    async up(db) {
      await db.schema
        .createTable('config_reports')
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('problems_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('reported_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('config_reports_pk', ['repo_id', 'problems_hash'])
        .execute();
    },
  },
];

type RepoPayload = { repository?: { id: number; default_branch?: string } };

/**
 * The config check: a check run named `netbot / config` where a maintainer will see it, on the commit that
 * changed .github/netbot.yml (failing with each bad key and why, or passing once the file is fixed), and
 * once on the default branch's head for a bad file first met on any other event.
 */
export const configCheckRoom: Room = {
  name: 'config-check',
  migrations,
  register(app, services) {
    services.onInvalidConfig = (context, problems) => reportInvalidConfigOnce(context, services, problems);
    registerPushCheck(app, services);
  },
};

function registerPushCheck(app: Probot, services: AppServices): void {
  app.on('push', async (context) => {
    const { payload } = context;
    const ref = context.repo();
    const isDefaultBranch = payload.ref === `refs/heads/${payload.repository.default_branch}`;
    if (!isDefaultBranch) return;
    services.templates.invalidate(ref); // an override file may have changed; refetching is cheap
    const touchedFile = payload.commits.some((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].includes(CONFIG_PATH));
    // A force push, or a push of more commits than GitHub lists (20), may change the file without saying so.
    const unlisted = payload.forced || payload.commits.length >= 20;
    if (!touchedFile && !unlisted && ref.repo !== '.github') return;
    services.configs.invalidate(ref);
    if (!touchedFile || payload.deleted) return;
    if (!(await services.deliveries.claim(context.id, 'config-check.push', context.name, services.now()))) return;
    try {
      const result = await services.configs.get(context as unknown as Context);
      await reportConfig(context as unknown as Context, payload.after, result.ok ? [] : result.problems);
      await rememberReport(services, payload.repository.id, result.ok ? null : result.problems);
      context.log.info({ delivery: context.id, ok: result.ok }, 'config checked');
      await services.deliveries.done(context.id, 'config-check.push');
    } catch (error) {
      await services.deliveries.release(context.id, 'config-check.push');
      throw error;
    }
  });
}

/**
 * An invalid config met outside a push (the app was installed on a repository whose file was already bad):
 * report it once, on the default branch's head commit, so a maintainer sees why netbot is silent.
 */
export async function reportInvalidConfigOnce(context: Context, services: AppServices, problems: ConfigProblem[]): Promise<void> {
  const repository = (context.payload as RepoPayload).repository;
  if (!repository?.default_branch) return;
  // Reserved before the calls: the other rooms handling this same event (in any process) must not report it too.
  if (!(await rememberReport(services, repository.id, problems))) return;
  try {
    const { data: commit } = await context.octokit.rest.repos.getCommit({ ...repoParams(context.repo()), ref: repository.default_branch });
    await reportConfig(context, commit.sha, problems);
  } catch (error) {
    await services.store.db.deleteFrom('config_reports').where('repo_id', '=', repository.id).where('problems_hash', '=', problemsHash(problems)).execute();
    throw error;
  }
}

const problemsHash = (problems: ConfigProblem[]) => createHash('sha256').update(JSON.stringify(problems)).digest('hex');

/**
 * Problems reported (by a push or an event) are not reported again; a passing file forgets them, so a relapse
 * is. Returns false when these problems were already reported.
 */
async function rememberReport(services: AppServices, repoId: number, problems: ConfigProblem[] | null): Promise<boolean> {
  const db = services.store.db;
  if (problems === null) {
    await db.deleteFrom('config_reports').where('repo_id', '=', repoId).execute();
    return true;
  }
  const inserted = await db
    .insertInto('config_reports')
    .values({ repo_id: repoId, problems_hash: problemsHash(problems), reported_at: services.now().getTime() })
    .onConflict((oc) => oc.columns(['repo_id', 'problems_hash']).doNothing())
    .executeTakeFirst();
  return touched(inserted) === 1;
}

async function reportConfig(context: Context, headSha: string, problems: ConfigProblem[]): Promise<void> {
  const ok = problems.length === 0;
  await context.octokit.rest.checks.create({
    ...repoParams(context.repo()),
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
