import type { Context, Probot } from 'probot';
import type { EmitterWebhookEventName } from '@octokit/webhooks';
import { DEFAULT_CONFIG, type NetbotConfig } from '../config.js';
import type { AppServices } from '../services.js';
import { reportInvalidConfigOnce } from './config-check.js';
import { MaintainerCheck } from './permissions.js';

/** What a feature handler receives besides the Probot context: the repo's valid config and per-event helpers. */
export interface HandlerEnv {
  config: NetbotConfig;
  services: AppServices;
  /** Maintainer/triager lookups, cached for this event. */
  people: MaintainerCheck;
  /** Logs one line per decision, tagged with the delivery id and handler. */
  decide(message: string, fields?: Record<string, unknown>): void;
}

/** Every handler of one event sees the same payload object: they share one MaintainerCheck per config. */
const peopleByEvent = new WeakMap<object, Map<NetbotConfig, MaintainerCheck>>();

function peopleFor(context: Context, config: NetbotConfig): MaintainerCheck {
  let byConfig = peopleByEvent.get(context.payload);
  if (!byConfig) peopleByEvent.set(context.payload, (byConfig = new Map()));
  let people = byConfig.get(config);
  if (!people) byConfig.set(config, (people = new MaintainerCheck(context.octokit, context.repo(), config)));
  return people;
}

/**
 * Registers a feature handler with what every handler needs: a redelivered webhook (same
 * X-GitHub-Delivery) runs it once; the repository's config is loaded and validated, and a repository
 * whose config is invalid gets nothing done (the problem is reported once as a failed check run); events from
 * bots (including this app) are ignored unless asked for.
 */
export function onEvent<E extends EmitterWebhookEventName>(
  app: Probot,
  services: AppServices,
  events: E | E[],
  handlerName: string,
  fn: (context: Context<E>, env: HandlerEnv) => Promise<void>,
  opts: {
    includeBots?: boolean;
    /**
     * The handler only keeps the app's own records true (review load, a person's decision) and writes nothing
     * to GitHub: it runs without loading the config, even while the repository's config is invalid, so the
     * records do not drift. It sees the default config and must not act on it.
     */
    stateOnly?: boolean;
  } = {},
): void {
  app.on(events, async (context) => {
    const ctx = context as unknown as Context<E>;
    const log = context.log.child({ delivery: context.id, handler: handlerName });
    if (!opts.includeBots && context.isBot) return;
    if (!('repository' in context.payload) || !context.payload.repository) return;
    if (!services.deliveries.claim(context.id, handlerName, context.name)) {
      log.info('duplicate delivery: already handled, skipped');
      return;
    }
    try {
      let config = DEFAULT_CONFIG;
      if (!opts.stateOnly) {
        const loaded = await services.configs.get(context as unknown as Context);
        if (!loaded.ok) {
          // The first few only: a huge broken file must not log megabytes on every event.
          log.warn({ problems: loaded.problems.slice(0, 10), count: loaded.problems.length }, 'invalid .github/netbot.yml: acting on nothing in this repository');
          await reportInvalidConfigOnce(context as unknown as Context, services, loaded.problems);
          services.deliveries.done(context.id, handlerName);
          return;
        }
        config = loaded.config;
      }
      const env: HandlerEnv = { config, services, people: peopleFor(context, config), decide: (message, fields) => log.info(fields ?? {}, message) };
      await fn(ctx, env);
      services.deliveries.done(context.id, handlerName);
    } catch (error) {
      services.deliveries.release(context.id, handlerName); // let GitHub's redelivery retry it
      throw error;
    }
  });
}
