import type { Context, Probot } from 'probot';
import type { Kysely } from 'kysely';
import type { NetbotConfig } from '../config.js';
import { parseCommands, type ParsedCommand } from '../github/commands.js';
import { render } from '../templates.js';
import { onEvent, type HandlerEnv } from './on-event.js';
import type { AppServices } from './services.js';
import type { StoreMigration } from './store/index.js';

export const commandMigrations: StoreMigration[] = [
  {
    component: 'core',
    version: 6,
    description: 'command_replies: the replies to the commands of one comment, gathered into one reply comment',
    async up(db) {
      await db.schema
        .createTable('command_replies')
        .addColumn('repo_id', 'bigint', (c) => c.notNull())
        .addColumn('source', 'varchar(100)', (c) => c.notNull())
        .addColumn('command', 'varchar(300)', (c) => c.notNull())
        .addColumn('line', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('command_replies_pk', ['repo_id', 'source', 'command'])
        .execute();
    },
  },
];

/** The issue or pull request a command was said on. */
export interface CommandTarget {
  number: number;
  isPull: boolean;
  state: string;
  title: string;
  author: string;
  labels: string[];
  assignees: string[];
}

export type CommandEvent = Context<'issue_comment.created' | 'issue_comment.edited' | 'pull_request_review.submitted'>;

export interface CommandInvocation {
  context: CommandEvent;
  env: HandlerEnv;
  command: ParsedCommand;
  /** Who said it. */
  login: string;
  target: CommandTarget;
  /** The comment or review it was said in. */
  source: { kind: 'comment' | 'review'; id: number };
}

export type CommandPermission = 'anyone' | 'triagers' | 'maintainers';

/** A comment command and its help, registered by the room that owns it (Prow registers help with each plugin). */
export interface CommandSpec {
  name: string;
  room: string;
  /** e.g. `/route <subteam>`. */
  usage: string;
  summary: string;
  /** Who may use it, as the help says it (the check itself is `allowed`, or the command's own). */
  who: string;
  on: 'issues' | 'pull requests' | 'both';
  examples?: string[];
  /** Checked before `run`; refused with the standard reply. Finer rules (the holder, the author) are the command's. */
  allowed?: CommandPermission;
  /** The room is off in this repository: the command is ignored. */
  enabled?(config: NetbotConfig): boolean;
  /** Does the work; returns the reply (Markdown, rendered by the room's template), if any. */
  run(invocation: CommandInvocation): Promise<string | undefined>;
}

/** Commands in one comment beyond this are ignored (a pasted wall of commands must not fan out). */
export const MAX_COMMANDS_PER_COMMENT = 10;

/** Every room's commands, by name. */
export class CommandRegistry {
  private readonly specs = new Map<string, CommandSpec>();

  register(spec: CommandSpec): void {
    if (!/^[a-z][a-z0-9-]*$/.test(spec.name)) throw new Error(`bad command name: ${spec.name}`);
    if (this.specs.has(spec.name)) throw new Error(`the command /${spec.name} is registered twice (${this.specs.get(spec.name)!.room}, ${spec.room})`);
    this.specs.set(spec.name, spec);
  }

  get(name: string): CommandSpec | undefined {
    return this.specs.get(name);
  }

  /** In the order the rooms registered them. */
  all(): CommandSpec[] {
    return [...this.specs.values()];
  }
}

/** The README's command table, from the registry (the docs test keeps the README equal to it). */
export function commandTable(registry: CommandRegistry): string {
  const rows = registry.all().map((c) => `| \`${cell(c.usage)}\` | ${cell(c.who)} | ${c.on} | ${cell(c.summary)} |`);
  return ['| command | who | where | what |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The commands a comment adds: all of a new comment; of an edit, only those the edit added. */
export function addedCommands(body: string | null | undefined, previous?: string | null): ParsedCommand[] {
  const now = parseCommands(body);
  if (previous === undefined) return now;
  const before = new Map<string, number>();
  for (const c of parseCommands(previous)) before.set(signature(c), (before.get(signature(c)) ?? 0) + 1);
  return now.filter((c) => {
    const left = before.get(signature(c)) ?? 0;
    if (left === 0) return true;
    before.set(signature(c), left - 1);
    return false;
  });
}

const signature = (c: ParsedCommand) => `${c.name} ${c.args.join(' ')}`;

/** A Markdown table cell: a `|` would end it (inside code spans too, on GitHub). */
export const cell = (text: string) => text.replace(/\|/g, '\\|');

/**
 * One parser pass per comment, edit or review body for every room: each known command runs once per
 * delivery (its own delivery record, so a redelivery after a failure runs only what did not finish), the
 * permission is checked one way, and every reply to one comment goes into one reply comment, edited as
 * replies accrue. Commands from bots are ignored.
 */
export function registerCommandDispatch(app: Probot, services: AppServices): void {
  services.commands.register(helpCommand(services));
  const dispatch = async (context: CommandEvent, env: HandlerEnv, body: string | null | undefined, previous: string | null | undefined, source: CommandInvocation['source'], target: CommandTarget, login: string) => {
    const seen = new Set<string>();
    const commands = addedCommands(body, previous)
      .filter((c) => services.commands.get(c.name) !== undefined)
      .filter((c) => !seen.has(signature(c)) && seen.add(signature(c)))
      .slice(0, MAX_COMMANDS_PER_COMMENT);
    if (commands.length === 0) return;
    const replies = new CommandReplies(services.store.db, env.repo.repoId, `${source.kind}-${source.id}`, services.now);
    let replied = false;
    for (const command of commands) {
      const spec = services.commands.get(command.name)!;
      if (spec.enabled && !spec.enabled(env.config)) continue;
      const handler = `commands.${command.name}.${command.line}`;
      if (!(await services.deliveries.claim(context.id, handler, context.name, services.now()))) continue;
      try {
        const reply = await runOne(spec, { context, env, command, login, target, source });
        if (reply) {
          await replies.add(command, reply);
          replied = true;
        }
        await services.deliveries.done(context.id, handler);
      } catch (error) {
        await services.deliveries.release(context.id, handler).catch(() => {});
        throw error;
      }
    }
    if (!replied) return;
    const bodies = await replies.all();
    const ref = { ...env.repo, issue_number: target.number };
    await services.comments.upsert(context.octokit, ref, `reply-${source.kind}-${source.id}`, bodies.join('\n\n'), { issueHasNoComments: true });
  };

  const hasCommand = (body: string | null | undefined, previous?: string | null) => addedCommands(body, previous ?? undefined).some((c) => services.commands.get(c.name));
  onEvent(app, services, ['issue_comment.created', 'issue_comment.edited'], 'core.commands', async (context, env) => {
    const { comment, issue } = context.payload;
    const previous = context.payload.action === 'edited' ? ((context.payload as { changes?: { body?: { from?: string } } }).changes?.body?.from ?? null) : undefined;
    // An edit that GitHub sends without the old text: nothing tells which lines are new, so nothing runs.
    if (context.payload.action === 'edited' && previous === null) return;
    const target: CommandTarget = {
      number: issue.number,
      isPull: Boolean(issue.pull_request),
      state: issue.state ?? 'open',
      title: issue.title ?? '',
      author: issue.user?.login ?? '',
      labels: (issue.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))),
      assignees: (issue.assignees ?? []).flatMap((a) => (a ? [a.login] : [])),
    };
    await dispatch(context as CommandEvent, env, comment.body, previous, { kind: 'comment', id: comment.id }, target, comment.user?.login ?? context.payload.sender.login);
  }, { when: (context) => {
    if (context.payload.action !== 'edited') return hasCommand(context.payload.comment.body);
    const from = (context.payload as { changes?: { body?: { from?: string } } }).changes?.body?.from;
    return from !== undefined && hasCommand(context.payload.comment.body, from);
  } });

  onEvent(app, services, 'pull_request_review.submitted', 'core.review-commands', async (context, env) => {
    const { review, pull_request: pr } = context.payload;
    const target: CommandTarget = {
      number: pr.number,
      isPull: true,
      state: pr.state,
      title: pr.title,
      author: pr.user?.login ?? '',
      labels: (pr.labels ?? []).map((l) => l.name),
      assignees: (pr.assignees ?? []).flatMap((a) => (a ? [a.login] : [])),
    };
    await dispatch(context as CommandEvent, env, review.body, undefined, { kind: 'review', id: review.id }, target, review.user?.login ?? context.payload.sender.login);
  }, { when: (context) => hasCommand(context.payload.review.body) });
}

async function runOne(spec: CommandSpec, inv: CommandInvocation): Promise<string | undefined> {
  const { env, command, login, target } = inv;
  const place = target.isPull ? 'pull requests' : 'issues';
  if (spec.on !== 'both' && spec.on !== place) {
    env.decide(`commands: /${command.name} on ${target.isPull ? 'a pull request' : 'an issue'}: not for here`, { number: target.number, login });
    return render('core/command-reply.md.njk', { kind: 'wrong-place', login, command: command.name, on: spec.on });
  }
  const permitted =
    spec.allowed === undefined || spec.allowed === 'anyone'
      ? true
      : spec.allowed === 'maintainers'
        ? await env.people.isMaintainer(login)
        : await env.people.isTriager(login);
  if (!permitted) {
    env.decide(`commands: /${command.name} refused: not permitted`, { number: target.number, login, needs: spec.allowed });
    return refusal(inv, spec.who);
  }
  return spec.run(inv);
}

/** The one way every room refuses a command to someone it is not for (`who`: as the help says it). */
export function refusal(inv: Pick<CommandInvocation, 'login' | 'command'>, who: string): string {
  return render('core/command-reply.md.njk', { kind: 'not-permitted', login: inv.login, command: inv.command.name, who });
}

/** The replies to one comment's commands, kept so a retried delivery still shows the ones already given. */
class CommandReplies {
  constructor(
    private readonly db: Kysely<any>,
    private readonly repoId: number,
    private readonly source: string,
    private readonly now: () => Date,
  ) {}

  /** Keyed by the command itself: an edit that adds a command above an earlier one shifts lines, not replies. */
  async add(command: ParsedCommand, body: string): Promise<void> {
    await this.db
      .insertInto('command_replies')
      .values({ repo_id: this.repoId, source: this.source, command: signature(command).slice(0, 300), line: command.line, body: body.trim(), at: this.now().getTime() })
      .onConflict((oc) => oc.columns(['repo_id', 'source', 'command']).doUpdateSet({ body: body.trim(), line: command.line }))
      .execute();
  }

  /** In the order the commands stand in the comment now. */
  async all(): Promise<string[]> {
    const rows = await this.db.selectFrom('command_replies').select('body').where('repo_id', '=', this.repoId).where('source', '=', this.source).orderBy('line').orderBy('at').execute();
    return rows.map((r) => r.body as string);
  }
}

/** `/netbot help`: every command this repository's netbot understands, from the registry. */
function helpCommand(services: AppServices): CommandSpec {
  return {
    name: 'netbot',
    room: 'core',
    usage: '/netbot help',
    summary: 'lists the commands netbot understands here, who may use them and where',
    who: 'anyone',
    on: 'both',
    examples: ['/netbot help'],
    async run({ command, env }) {
      if (command.args[0]?.toLowerCase() !== 'help') return render('core/command-reply.md.njk', { kind: 'netbot-usage' });
      const commands = services.commands.all().filter((c) => !c.enabled || c.enabled(env.config));
      return render('core/help.md.njk', { commands });
    },
  };
}
