import { Cron } from 'croner';
import { z } from 'zod';
import { labelName, login } from '../core/config-fields.js';
import { shiftBack, shortestGapHours } from './meetings.js';

function parses(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true });
    return true;
  } catch {
    return false;
  }
}

const cron = z.string().refine(parses, { message: 'not a cron expression (five fields, e.g. "0 12 * * 1"; croner reads it)' });

export const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a time zone (an IANA name such as UTC or Europe/Berlin)' },
);

/** The agenda's sections, in the order they stand in it (each has its own template, agenda/<id>.md.njk). */
export const SECTIONS = ['header', 'announcements', 'actions', 'bugs', 'subteams', 'gate', 'discussion', 'trend'] as const;
export type SectionId = (typeof SECTIONS)[number];

const minutes = z.number().int().min(1).max(600);
const percent = z.number().min(0).max(100);

/** `agenda:` in .github/netbot.yml. */
export const agendaConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** When the meeting starts: cron, in `timezone`. */
    schedule: cron.default('0 12 * * 1'),
    timezone: timeZone.default('UTC'),
    /** Hours before the meeting the agenda is posted (it is frozen when the meeting starts). */
    postAhead: z.number().int().min(1).max(144).default(24),
    /** The meeting's length in minutes: the sections' timeboxes are checked against it. */
    length: minutes.default(60),
    chair: login.optional(),
    /** Where the meeting happens (a channel, a call link); shown in the header. */
    place: z.string().min(1).max(200).optional(),
    /** The minutes of a meeting, `{date}` standing for its date (YYYY-MM-DD); else the previous agenda's comments. */
    minutes: z.string().url().max(300).optional(),
    /** The label on each agenda issue. */
    label: labelName.default('meeting-agenda'),
    /** Open issues with this label are announced. */
    announcementLabel: labelName.default('announcement'),
    /** Bug priority labels, most urgent first: open bugs are counted by each. */
    priorityLabels: z.array(labelName).default(['critical', 'high', 'medium', 'low']),
    /** The priorities whose bugs must not stay without an assignee. */
    urgentLabels: z.array(labelName).default(['critical', 'high']),
    /** The bug deputy rotation: one person a week, the first one in the week of `from` (YYYY-MM-DD). */
    bugDeputies: z
      .strictObject({
        rotation: z.array(login).min(1, 'a rotation needs at least one person'),
        from: z.string().refine((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'must be a date, YYYY-MM-DD').default('2026-01-05'),
      })
      .optional(),
    /** Post a Discussion in this category instead of an issue. */
    discussionCategory: z.string().min(1).max(100).optional(),
    /** Anyone may nominate topics and add or close action items (else maintainers and triagers). */
    openNominations: z.boolean().default(false),
    /** Minutes for each section (optional); their total is checked against `length`. */
    timebox: z.partialRecord(z.enum(SECTIONS), minutes).default({}),
    /** A suite's failure rate (%) at or above each is flagged: Neutron's gate-failure policy (10, 25, 33 %). */
    gateThresholds: z
      .strictObject({ notice: percent.default(10), warning: percent.default(25), critical: percent.default(33) })
      .prefault({})
      .refine((t) => t.notice <= t.warning && t.warning <= t.critical, 'notice <= warning <= critical'),
    /** Weeks of open-bug history in the trend chart. */
    trendWeeks: z.number().int().min(2).max(52).default(8),
    /** Items each list in the agenda shows (the counts are always whole). */
    listLimit: z.number().int().min(1).max(20).default(5),
  })
  .superRefine((agenda, ctx) => {
    // zod runs this even when a key failed: each problem is said once, on its own key.
    if (!parses(agenda.schedule) || !(agenda.postAhead <= 144)) return;
    const shifted = shiftBack(agenda.schedule, agenda.postAhead);
    if (!shifted.ok) {
      ctx.addIssue({ code: 'custom', path: ['schedule'], message: shifted.message });
      return;
    }
    let gap: number;
    try {
      gap = shortestGapHours(agenda.schedule, agenda.timezone);
    } catch {
      return; // the time zone is reported on its own key
    }
    if (agenda.postAhead >= gap) ctx.addIssue({ code: 'custom', path: ['postAhead'], message: `must be shorter than the time between two meetings (${gap} hours)` });
  });

export type AgendaConfig = z.infer<typeof agendaConfigSchema>;
