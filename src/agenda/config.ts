import { Cron } from 'croner';
import { z } from 'zod';
import { login } from '../core/config-fields.js';

const cron = z.string().refine(
  (pattern) => {
    try {
      new Cron(pattern, { paused: true });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a cron expression (five fields, e.g. "0 12 * * 1"; croner reads it)' },
);

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

/** `agenda:` in .github/netbot.yml. */
export const agendaConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Cron expression, in `timezone`, for when the agenda is built and posted. */
  schedule: cron.default('0 12 * * 1'),
  timezone: timeZone.default('UTC'),
  chair: login.optional(),
});
