import type { Logger } from 'probot';
import { Deliveries, deliveryMigrations } from './store/deliveries.js';
import { openStore, type SqliteDb, type StoreMigration } from './store/store.js';
import { configReportMigrations } from './github/config-check.js';
import { Labels, labelMigrations } from './github/labels.js';
import { RepoConfigs } from './github/repo-config.js';
import { StickyComments, stickyCommentMigrations } from './github/sticky-comment.js';
import { TemplateOverrides } from './github/template-overrides.js';
import { featureMigrations } from './store/schema.js';

/** What every feature's handlers share: the store and the GitHub helpers that keep state in it. */
export interface AppServices {
  db: SqliteDb;
  deliveries: Deliveries;
  configs: RepoConfigs;
  comments: StickyComments;
  labels: Labels;
  /** Renders a template, honouring a repository's override when the server allows it. */
  templates: TemplateOverrides;
  now: () => Date;
  log?: Logger;
}

export const ALL_MIGRATIONS: StoreMigration[] = [...deliveryMigrations, ...stickyCommentMigrations, ...labelMigrations, ...configReportMigrations, ...featureMigrations];

export function createServices(dbFile: string, opts: { now?: () => Date } = {}): AppServices {
  const db = openStore(dbFile, ALL_MIGRATIONS);
  const now = opts.now ?? (() => new Date());
  return {
    db,
    deliveries: new Deliveries(db),
    configs: new RepoConfigs(() => now().getTime()),
    comments: new StickyComments(db),
    labels: new Labels(db),
    templates: new TemplateOverrides(),
    now,
  };
}
