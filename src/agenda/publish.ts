import { createHash } from 'node:crypto';
import type { Octokit } from '../github/types.js';
import { repoParams } from '../github/types.js';
import { render } from '../templates.js';
import { composeAgenda, type Agenda } from './compose.js';
import { gatherAgenda, type AgendaEnv, type Prepared } from './gather.js';
import { renderAgenda } from './render.js';
import { agendaStoreFor, type MeetingRow } from './store.js';

export interface PublishEnv extends AgendaEnv {
  octokit: Octokit;
}

export type PublishOutcome =
  | { action: 'created' | 'adopted' | 'updated' | 'unchanged'; number: number | null; url: string | null; frozen: boolean; problems: number }
  | { action: 'skipped'; why: string };

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** The agenda as it would be now, rendered (a preview, the CLI's dry run): writes nothing anywhere. */
export async function previewAgenda(env: AgendaEnv & { octokit: Octokit }, meetingAt: Date, step?: (what: string) => void): Promise<{ agenda: Agenda; body: string; prepared: Prepared }> {
  const frozen = env.services.now() >= meetingAt;
  const prepared = await gatherAgenda(env, meetingAt, { write: false, frozen, mentions: false, step });
  const agenda = composeAgenda(prepared.input);
  step?.('render');
  const { body } = await renderAgenda((name, vars) => env.services.templates.renderReporting(env.octokit, env.repo, env.config, name, vars), agenda);
  return { agenda, body, prepared };
}

/**
 * Posts or edits one meeting's agenda: one issue (or Discussion) per meeting, found in the store, never a
 * second one. The first post closes the previous meeting's agenda with a link to this one. With `freeze`
 * (the meeting started) the agenda is written one last time and later nominations go to the next meeting.
 * One repository's agendas are written by one process at a time (a lock in the store).
 */
export async function publishAgenda(env: PublishEnv, meetingAt: Date, opts: { freeze?: boolean } = {}): Promise<PublishOutcome> {
  const { services, repo, config, octokit } = env;
  const store = agendaStoreFor(services);
  return services.locks.withLock(`agenda:${repo.repoId}`, async () => {
    const existing = await store.meeting(repo.repoId, meetingAt.getTime());
    if (existing?.frozenAt) return { action: 'skipped', why: 'the agenda is frozen: the meeting has started' };
    if (!existing && opts.freeze) return { action: 'skipped', why: 'no agenda was posted for this meeting' };
    const frozen = Boolean(opts.freeze) || services.now() >= meetingAt;
    const discussion = config.agenda.discussionCategory !== undefined;
    if (!existing) await ensureLabel(env);
    const prepared = await gatherAgenda(env, meetingAt, { write: true, frozen, mentions: true });
    const agenda = composeAgenda(prepared.input);
    const { body, problems } = await renderAgenda((name, vars) => services.templates.renderReporting(octokit, repo, config, name, vars), agenda);
    const hash = digest(body);
    let row = existing;
    let action: 'created' | 'adopted' | 'updated' | 'unchanged';
    if (!row) {
      const found = prepared.gathered.lists.existing?.[0];
      const posted = found && !found.isPull && !discussion ? { number: found.number, url: found.url, nodeId: null } : await create(env, prepared, agenda.title, body);
      await store.recordMeeting(repo.repoId, { meetingAt: meetingAt.getTime(), kind: discussion ? 'discussion' : 'issue', number: posted.number, nodeId: posted.nodeId, url: posted.url, bodyHash: found ? null : hash });
      row = (await store.meeting(repo.repoId, meetingAt.getTime()))!;
      action = found ? 'adopted' : 'created';
    } else action = 'updated';
    if (row.bodyHash === hash) action = action === 'updated' ? 'unchanged' : action;
    else {
      await edit(env, row, body);
      await store.setBodyHash(repo.repoId, meetingAt.getTime(), hash);
    }
    await store.snapshot(repo.repoId, meetingAt.getTime(), agenda.counts);
    if (frozen) await store.freeze(repo.repoId, meetingAt.getTime());
    if (prepared.previousRow) await closePrevious(env, prepared.previousRow, row);
    return { action, number: row.number, url: row.url, frozen, problems: problems.length };
  });
}

/** The agenda label exists (a Discussion is labelled by the label's id, which the query reads). */
async function ensureLabel(env: PublishEnv): Promise<void> {
  await env.services.labels.ensure(env.octokit, env.repo, [{ name: env.config.agenda.label, color: 'c2e0c6', description: 'A weekly meeting agenda (netbot)' }]);
}

async function create(env: PublishEnv, prepared: Prepared, title: string, body: string): Promise<{ number: number; url: string; nodeId: string | null }> {
  const { octokit, repo, config } = env;
  const category = config.agenda.discussionCategory;
  if (category === undefined) {
    const { data } = await octokit.rest.issues.create({ ...repoParams(repo), title, body, labels: [config.agenda.label] });
    return { number: data.number, url: data.html_url, nodeId: data.node_id };
  }
  const found = prepared.gathered.categories.find((c) => c.name.toLowerCase() === category.toLowerCase());
  if (!found) throw new Error(`agenda: no Discussion category named "${category}" in ${repo.owner}/${repo.repo} (agenda.discussionCategory); categories: ${prepared.gathered.categories.map((c) => c.name).join(', ') || 'none (are Discussions on?)'}`);
  const created = await octokit.graphql<{ createDiscussion: { discussion: { id: string; number: number; url: string } } }>(
    'mutation CreateAgenda($repositoryId: ID!, $categoryId: ID!, $title: String!, $body: String!) { createDiscussion(input: { repositoryId: $repositoryId, categoryId: $categoryId, title: $title, body: $body }) { discussion { id number url } } }',
    { repositoryId: prepared.gathered.repositoryId, categoryId: found.id, title, body },
  );
  const d = created.createDiscussion.discussion;
  if (prepared.gathered.labelId) {
    await octokit.graphql('mutation LabelAgenda($id: ID!, $labels: [ID!]!) { addLabelsToLabelable(input: { labelableId: $id, labelIds: $labels }) { clientMutationId } }', { id: d.id, labels: [prepared.gathered.labelId] });
  }
  return { number: d.number, url: d.url, nodeId: d.id };
}

async function edit(env: PublishEnv, row: MeetingRow, body: string): Promise<void> {
  const { octokit, repo } = env;
  if (row.kind === 'discussion') {
    await octokit.graphql('mutation EditAgenda($id: ID!, $body: String!) { updateDiscussion(input: { discussionId: $id, body: $body }) { discussion { id } } }', { id: row.nodeId, body });
  } else {
    await octokit.rest.issues.update({ ...repoParams(repo), issue_number: row.number!, body });
  }
}

/** Closes the previous meeting's agenda with a link to this one, once (the store says whether it was). */
async function closePrevious(env: PublishEnv, previous: MeetingRow, next: MeetingRow): Promise<void> {
  const { services, octokit, repo } = env;
  const store = agendaStoreFor(services);
  if (previous.closedAt !== null || previous.number === null) return;
  if (!(await store.markClosed(repo.repoId, previous.meetingAt))) return;
  const body = render('agenda/next.md.njk', { url: next.url, number: next.number, kind: next.kind });
  try {
    if (previous.kind === 'discussion') {
      await octokit.graphql(
        'mutation CloseAgenda($id: ID!, $body: String!) { addDiscussionComment(input: { discussionId: $id, body: $body }) { comment { id } } closeDiscussion(input: { discussionId: $id, reason: RESOLVED }) { discussion { id } } }',
        { id: previous.nodeId, body },
      );
    } else {
      // Closed first: a retry after a failed comment closes again (harmless) rather than comments twice.
      await octokit.rest.issues.update({ ...repoParams(repo), issue_number: previous.number, state: 'closed', state_reason: 'completed' });
      await octokit.rest.issues.createComment({ ...repoParams(repo), issue_number: previous.number, body });
    }
  } catch (error) {
    await store.reopenClosed(repo.repoId, previous.meetingAt); // the next run tries again
    throw error;
  }
}
