import { refusal, type CommandInvocation } from '../core/commands.js';
import type { AppServices } from '../core/services.js';
import { render } from '../templates.js';
import { currentPull, historyNotes, pullHead } from './handlers.js';
import { failureHistory } from './history.js';
import { startChecks, trustOf } from './start.js';
import { checksStoreFor } from './store.js';
import { OK_TO_TEST_LABEL } from './trust.js';

const reply = (vars: Record<string, unknown>) => render('checks/reply.md.njk', { label: OK_TO_TEST_LABEL, ...vars });
const short = (sha: string) => sha.slice(0, 7);

/** `/retest` and `/ok-to-test`. */
export function registerChecksCommands(services: AppServices): void {
  const store = checksStoreFor(services);
  const enabled = (config: { checks: { enabled: boolean } }) => config.checks.enabled;

  services.commands.register({
    name: 'retest',
    room: 'checks',
    usage: '/retest',
    summary: "runs the pull request's suites again on its head commit; the reply says which failed cases are known flakes",
    who: "the pull request's author, maintainers",
    on: 'pull requests',
    examples: ['/retest'],
    enabled,
    async run(inv: CommandInvocation) {
      const { env, login, target } = inv;
      const isAuthor = login.toLowerCase() === target.author.toLowerCase();
      if (!isAuthor && !(await env.people.isMaintainer(login))) return refusal(inv, "the pull request's author, maintainers");
      const pr = await currentPull(inv.context.octokit, env, target.number);
      if (pr.state !== 'open') return reply({ outcome: 'closed' });
      const head = pullHead(pr);
      const failures = await failureHistory(store, env.repo.repoId, head.headSha);
      const { runs, trust } = await startChecks(inv.context.octokit, env, head, { mode: 'rerun', trigger: `/retest by ${login}`, history: historyNotes(failures) });
      const started = runs.filter((r) => r.planned && r.state !== 'completed');
      if (started.length > 0) return reply({ outcome: 'retest', sha: short(head.headSha), names: started.map((r) => r.name), failures });
      if (!trust.trusted) return reply({ outcome: 'needs-approval', sha: short(head.headSha), reason: trust.reason });
      const busy = (await store.latest(env.repo.repoId, head.headSha)).filter((r) => r.state !== 'completed');
      if (busy.length > 0) return reply({ outcome: 'running', sha: short(head.headSha), names: busy.map((r) => r.name) });
      return reply({ outcome: 'nothing', sha: short(head.headSha) });
    },
  });

  services.commands.register({
    name: 'ok-to-test',
    room: 'checks',
    usage: '/ok-to-test',
    summary: `lets the suites run on an untrusted author's head commit (as the \`${OK_TO_TEST_LABEL}\` label does); a new push needs it again`,
    who: 'maintainers',
    on: 'pull requests',
    examples: ['/ok-to-test'],
    allowed: 'maintainers',
    enabled,
    async run(inv: CommandInvocation) {
      const { env, login, target } = inv;
      const pr = await currentPull(inv.context.octokit, env, target.number);
      if (pr.state !== 'open') return reply({ outcome: 'closed' });
      const head = pullHead(pr);
      const trust = await trustOf(env, head);
      if (trust.trusted) return reply({ outcome: 'already-trusted', reason: trust.reason });
      await store.approve(env.repo.repoId, head.number, head.headSha, login, 'command');
      const { runs } = await startChecks(inv.context.octokit, env, head, { mode: 'approval', trigger: `approved by ${login}` });
      return reply({ outcome: 'approved', sha: short(head.headSha), names: runs.filter((r) => r.state !== 'completed').map((r) => r.name) });
    },
  });
}
