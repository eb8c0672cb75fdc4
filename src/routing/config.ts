import { z } from 'zod';
import { logins } from '../core/config-fields.js';

/** `routing:` in .github/netbot.yml. */
export const routingConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Open review requests at which a reviewer counts as full and a backup is asked instead. */
  maxOpenReviews: z.number().int().min(1).max(100).default(5),
  /** Reviewers away: never asked while listed here (or set away with `/vacation on`). */
  vacation: logins,
  /** Asked when no subteam matches a pull request. */
  defaultReviewers: logins,
});
