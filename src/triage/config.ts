import { z } from 'zod';
import { labelName } from '../core/config-fields.js';
import { BUILTIN_LHF_MODEL } from './lhf-model.js';

/** `triage:` in .github/netbot.yml. */
export const triageConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Built-in score (0..1) at or above which a bug is labelled low-hanging fruit: by default the fitted one. */
  lhfThreshold: z.number().min(0).max(1).default(BUILTIN_LHF_MODEL.threshold),
  /** Between this score and lhfThreshold a bug is a "maybe": no label, left for a triager to decide. */
  lhfMaybeThreshold: z.number().min(0).max(1).default(BUILTIN_LHF_MODEL.maybeThreshold),
  /** Only issues carrying one of these labels are scored (empty: every issue). */
  bugLabels: z.array(labelName).default([]),
  claims: z
    .strictObject({
      maxOpenPerPerson: z.number().int().min(1).max(50).default(1),
      /** A claim with no linked pull request and no activity for this many days is released. */
      staleDays: z.number().int().min(1).max(365).default(14),
    })
    .prefault({}),
  welcome: z
    .strictObject({
      enabled: z.boolean().default(true),
      chat: z.url().optional(),
      mailingList: z.string().optional(),
    })
    .prefault({}),
  /** Learning from the repository's own triagers: a model per repository, fitted on their decisions. */
  learning: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Starter examples needed of each kind (starters and not) before a learned model replaces the built-in score. */
      minExamples: z.number().int().min(10).max(10_000).default(30),
      /** The precision (by cross-validation on the examples) the learned model's threshold is chosen for. */
      targetPrecision: z.number().min(0.5).max(1).default(0.8),
    })
    .prefault({}),
  /** Public base URL of this app's HTTP server, used to link the starter-bug board. */
  boardUrl: z.url().optional(),
}).refine((t) => t.lhfMaybeThreshold <= t.lhfThreshold, {
  path: ['lhfMaybeThreshold'],
  message: 'must not be above lhfThreshold (the "maybe" band lies below the starter threshold)',
});
