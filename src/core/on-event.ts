import type { Context, Probot } from 'probot';
import type { EmitterWebhookEventName } from '@octokit/webhooks';
import type { NetbotConfig } from '../config.js';
import { MaintainerCheck } from '../github/permissions.js';
import type { RepoRef } from '../github/types.js';
import type { AppServices } from './services.js';

/** The repository an event or job is about: GitHub's id (what the store keys by) and its current name. */
export interface RepoId extends RepoRef {
  repoId: number;
  /** Its web address (GitHub Enterprise's host included), for links the bot writes. */
  htmlUrl?: string;
}

/** What a room's handler receives besides the Probot context: the repository's valid config and per-event helpers. */
export interface HandlerEnv {
  config: NetbotConfig;
  services: AppServices;
  repo: RepoId;
  /** Maintainer/triager lookups, cached for this event. */
  people: MaintainerCheck;
  /** Logs one line per decision, tagged with the delivery id and handler. */
  decide(message: string, fields?: Record<string, unknown>): void;
}

/**
 * - `act` (the default): the handler writes to GitHub. It runs only for events people caused (never for a
 *   bot's, this app's own included), on the repository's valid config: an invalid one stops it (and is
 *   reported once).
 * - `record`: the handler only keeps netbot's records true (the board, review load, links) and writes nothing
 *   to GitHub. It runs for every event, whoever acted (records follow GitHub, bots included), without a
 *   config call, even while the config is invalid: it sees the last config that validated there (this
 *   process's cached copy, else the registry's, else the defaults) and must not act on it.
 */
export type HandlerKind = 'act' | 'record';

type RepoPayload = {
  repository?: { id: number; name: string; owner: { login: string }; private?: boolean; html_url?: string };
  installation?: { id: number };
};

const peopleByEvent = new WeakMap<object, Map<NetbotConfig, MaintainerCheck>>();
/** Every handler of one event sees the same payload object: they share one MaintainerCheck per config. */
function peopleFor(context: Context, config: NetbotConfig): MaintainerCheck {
  let byConfig = peopleByEvent.get(context.payload);
  if (!byConfig) peopleByEvent.set(context.payload, (byConfig = new Map()));
  let people = byConfig.get(config);
  if (!people) byConfig.set(config, (people = new MaintainerCheck(context.octokit, context.repo(), config)));
  return people;
}

const sightings = new WeakMap<object, Promise<void>>();
const rememberedConfig = new WeakMap<AppServices, Map<number, unknown>>();
/** What this process last wrote for each repository, and when: the same sighting again is not rewritten. */
const lastSighting = new WeakMap<AppServices, Map<number, { key: string; at: number }>>();
const SIGHTING_REFRESH_MS = 10 * 60_000;

/** Records the repository in the registry once per event, when what it says (or its config) changed. */
function remember(services: AppServices, payload: RepoPayload, config?: NetbotConfig): Promise<void> {
  const repository = payload.repository!;
  let byRepo = rememberedConfig.get(services);
  if (!byRepo) rememberedConfig.set(services, (byRepo = new Map()));
  const configChanged = config !== undefined && byRepo.get(repository.id) !== config;
  if (sightings.has(payload) && !configChanged) return sightings.get(payload)!;
  const sighting = {
    repoId: repository.id,
    owner: repository.owner.login,
    repo: repository.name,
    installationId: payload.installation?.id,
    isPrivate: repository.private,
    htmlUrl: repository.html_url,
  };
  let seen = lastSighting.get(services);
  if (!seen) lastSighting.set(services, (seen = new Map()));
  const key = JSON.stringify(sighting);
  const last = seen.get(repository.id);
  const now = Date.now();
  if (!configChanged && last?.key === key && now - last.at < SIGHTING_REFRESH_MS) return Promise.resolve();
  if (configChanged) byRepo.set(repository.id, config);
  seen.set(repository.id, { key, at: now });
  const write = services.repos.remember(sighting, configChanged ? config : undefined).catch((error) => {
    seen!.delete(repository.id); // not written: the next event tries again
    throw error;
  });
  sightings.set(payload, write);
  return write;
}

/**
 * Registers a room's handler with what every handler needs: a redelivered webhook (same X-GitHub-Delivery)
 * runs it once, whichever process receives it; the repository is recorded in the registry; an acting
 * handler gets the repository's valid config (an invalid one is reported once, and nothing is done).
 * `handlerName` is `room.handler`: it keys the delivery records.
 */
export function onEvent<E extends EmitterWebhookEventName>(
  app: Probot,
  services: AppServices,
  events: E | E[],
  handlerName: string,
  fn: (context: Context<E>, env: HandlerEnv) => Promise<void>,
  opts: {
    kind?: HandlerKind;
    /**
     * A cheap look at the payload (no I/O): false means the event is not this handler's business, so it costs
     * nothing at all: no delivery record, no config call (a comment with no command, a review with no body).
     */
    when?: (context: Context<E>) => boolean;
    /**
     * An acting handler that must also act on events bots cause: a pull request a bot opened or pushed to
     * (dependabot, a release bot) still needs its check runs, or a required check blocks it forever.
     */
    bots?: boolean;
  } = {},
): void {
  if (!/^[a-z][a-z0-9-]*\.[a-z][a-z0-9.-]*$/.test(handlerName)) throw new Error(`handler names are room.handler: ${handlerName}`);
  const kind = opts.kind ?? 'act';
  listen(app, events, async (context) => {
    const ctx = context as unknown as Context<E>;
    const payload = context.payload as RepoPayload;
    if (kind === 'act' && context.isBot && !opts.bots) return;
    if (!payload.repository) return;
    if (opts.when && !opts.when(ctx)) return;
    const log = context.log.child({ delivery: context.id, handler: handlerName });
    if (!(await services.deliveries.claim(context.id, handlerName, context.name, services.now()))) {
      log.info('duplicate delivery: already handled, skipped');
      return;
    }
    try {
      let config = kind === 'record' ? await lastKnownConfig(services, context as unknown as Context, payload.repository.id) : services.configs.defaults;
      if (kind === 'act') {
        const loaded = await services.configs.get(context as unknown as Context);
        if (!loaded.ok) {
          await remember(services, payload);
          // The first few only: a huge broken file must not log megabytes on every event.
          log.warn({ problems: loaded.problems.slice(0, 10), count: loaded.problems.length }, 'invalid .github/netbot.yml: acting on nothing in this repository');
          await services.onInvalidConfig?.(context as unknown as Context, loaded.problems);
          await services.deliveries.done(context.id, handlerName);
          return;
        }
        config = loaded.config;
      }
      await remember(services, payload, kind === 'act' ? config : undefined);
      const repo: RepoId = { repoId: payload.repository.id, owner: payload.repository.owner.login, repo: payload.repository.name, htmlUrl: payload.repository.html_url };
      const env: HandlerEnv = { config, services, repo, people: peopleFor(context, config), decide: (message, fields) => log.info(fields ?? {}, message) };
      await fn(ctx, env);
      await services.deliveries.done(context.id, handlerName);
    } catch (error) {
      await services.deliveries.release(context.id, handlerName).catch(() => {}); // let GitHub's redelivery retry it
      throw error;
    }
  });
}

type Listener = { actions: Set<string> | null; run: (context: Context) => Promise<void> };
const listenersByApp = new WeakMap<Probot, Map<string, Listener[]>>();

/**
 * One Probot listener per event name for all of netbot's handlers: Probot builds a context (and an
 * installation Octokit) per listener and event, so each handler registered with Probot itself would pay for
 * its own. Here every handler of an event shares one; their failures are reported together.
 */
function listen(app: Probot, events: string | string[], run: Listener['run']): void {
  let byEvent = listenersByApp.get(app);
  if (!byEvent) listenersByApp.set(app, (byEvent = new Map()));
  for (const event of Array.isArray(events) ? events : [events]) {
    const [name, action] = event.split('.') as [string, string | undefined];
    let listeners = byEvent.get(name);
    if (!listeners) {
      const all: Listener[] = (listeners = []);
      byEvent.set(name, all);
      app.on(name as EmitterWebhookEventName, async (context) => {
        const act = (context.payload as { action?: string }).action;
        const due = all.filter((l) => l.actions === null || (act !== undefined && l.actions.has(act)));
        const outcomes = await Promise.allSettled(due.map((l) => l.run(context as unknown as Context)));
        const errors = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
        if (errors.length === 1) throw errors[0];
        if (errors.length > 1) throw new AggregateError(errors, errors.map((e) => String((e as Error)?.message ?? e)).join('\n'));
      });
    }
    const same = listeners.find((l) => l.run === run);
    if (same && action && same.actions) same.actions.add(action);
    else if (!same) listeners.push({ actions: action ? new Set([action]) : null, run });
  }
}

/** The last config that validated in the repository, without a GitHub call. */
async function lastKnownConfig(services: AppServices, context: Context, repoId: number): Promise<NetbotConfig> {
  const cached = services.configs.peek(context.repo());
  if (cached) return cached;
  const stored = (await services.repos.get(repoId))?.config;
  if (stored === undefined) return services.configs.defaults;
  const parsed = services.configs.parseStored(stored);
  return parsed ?? services.configs.defaults;
}
