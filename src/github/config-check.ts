import type { Context, Probot } from 'probot';
import type { ConfigProblem } from '../config.js';
import type { AppServices } from '../services.js';
import { render } from '../templates.js';
import { CONFIG_FILE, CONFIG_PATH } from './repo-config.js';

export const CONFIG_CHECK_NAME = 'netbot / config';

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
    if (!touched && ref.repo !== '.github') return;
    services.configs.invalidate(ref);
    if (!touched || payload.deleted) return;
    if (!services.deliveries.claim(context.id, 'config-check', context.name)) return;
    try {
      const result = await services.configs.get(context as unknown as Context);
      await reportConfig(context as unknown as Context, payload.after, result.ok ? [] : result.problems);
      context.log.info({ delivery: context.id, ok: result.ok }, 'config checked');
      services.deliveries.done(context.id, 'config-check');
    } catch (error) {
      services.deliveries.release(context.id, 'config-check');
      throw error;
    }
  });
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
      summary: render('config/check-summary.md.njk', { ok, problems, path: CONFIG_PATH, file: CONFIG_FILE }).slice(0, 65_000),
    },
  });
}

