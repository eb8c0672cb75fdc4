import type { Logger } from 'probot';
import type { ConfigProblem, ConfigResult, NetbotConfig } from '../config.js';
import { Labels, labelMigrations } from '../github/labels.js';
import { StickyComments, stickyCommentMigrations } from '../github/sticky-comment.js';
import { TemplateOverrides } from '../github/template-overrides.js';
import type { Octokit } from '../github/types.js';
import { CommandRegistry, commandMigrations } from './commands.js';
import { RepoConfigs } from './config-loader.js';
import { Deliveries, deliveryMigrations } from './deliveries.js';
import { JobQueue, jobMigrations } from './jobs.js';
import { JobRunner } from './job-runner.js';
import { Locks, lockMigrations } from './locks.js';
import type { ReadModels } from './read-models.js';
import { RepoRegistry, repoMigrations } from './repos.js';
import { migrate, openDatabase, type StoreDb, type StoreMigration } from './store/index.js';
import type { Context } from 'probot';

/** The floor's own tables (the GitHub primitives that keep state included); each room adds its own. */
export const CORE_MIGRATIONS: StoreMigration[] = [
  ...deliveryMigrations,
  ...stickyCommentMigrations,
  ...lockMigrations,
  ...repoMigrations,
  ...jobMigrations,
  ...labelMigrations,
  ...commandMigrations,
];

/** What every room's handlers share: the store and the helpers that keep state in it. */
export interface AppServices {
  store: StoreDb;
  deliveries: Deliveries;
  repos: RepoRegistry;
  configs: RepoConfigs;
  comments: StickyComments;
  labels: Labels;
  locks: Locks;
  jobs: JobQueue;
  /** Job definitions, schedules and the in-process worker. */
  runner: JobRunner;
  commands: CommandRegistry;
  /** What each room publishes for the others to read (the agenda reads them). */
  readModels: ReadModels;
  /** Renders a template, honouring a repository's override when the server allows it. */
  templates: TemplateOverrides;
  /** Set by the config-check room: how an invalid config met on an event is reported (once). */
  onInvalidConfig?: (context: Context, problems: ConfigProblem[]) => Promise<void>;
  /** Set when the app loads: an Octokit authenticated as an installation (for scheduled jobs). */
  octokitFor?: (installationId: number) => Promise<Octokit>;
  now: () => Date;
  log?: Logger;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** The composed config schema: validates a parsed .github/netbot.yml; `defaults` is what no file means. */
  config: { parse: (raw: unknown) => ConfigResult; defaults: NetbotConfig };
  now?: () => Date;
  /** Each room's migrations, after the floor's. */
  migrations?: readonly StoreMigration[];
}

/** Opens the store at `location` (an SQLite file or a postgres:// URL), migrates it, and builds the services. */
export async function openServices(location: string, opts: ServiceOptions): Promise<AppServices> {
  const store = openDatabase(location);
  try {
    await migrate(store, [...CORE_MIGRATIONS, ...(opts.migrations ?? [])]);
  } catch (error) {
    await store.close();
    throw error;
  }
  const now = opts.now ?? (() => new Date());
  const jobs = new JobQueue(store.db, store.dialect, () => now().getTime()); // scheduled times are the app's times
  const services: AppServices = {
    store,
    deliveries: new Deliveries(store.db),
    repos: new RepoRegistry(store.db, now),
    configs: new RepoConfigs(opts.config.parse, opts.config.defaults, () => now().getTime()),
    comments: undefined as unknown as StickyComments,
    labels: new Labels(store.db),
    locks: new Locks(store.db),
    jobs,
    runner: undefined as unknown as JobRunner,
    commands: new CommandRegistry(),
    readModels: {},
    templates: new TemplateOverrides(),
    now,
    close: async () => {
      await services.runner.stop();
      await store.close();
    },
  };
  services.comments = new StickyComments(store.db, services.locks);
  services.runner = new JobRunner(services);
  return services;
}
