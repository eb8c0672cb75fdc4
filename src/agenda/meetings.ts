import { Cron } from 'croner';

/**
 * Meeting times, pure. `agenda.schedule` is when the meeting starts (cron, in `agenda.timezone`); the agenda
 * is posted `postAhead` hours before, which is itself a cron (the schedule shifted back), so that each
 * posting is one scheduled occurrence of core's job runner: its key names one meeting, and it runs once.
 */

const HOUR_MS = 3_600_000;
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const cronOf = (pattern: string, timezone: string) => new Cron(pattern, { timezone, paused: true });

/** The first meeting strictly after `t`. */
export function meetingAfter(schedule: string, timezone: string, t: Date): Date {
  const next = cronOf(schedule, timezone).nextRun(t);
  if (!next) throw new Error(`the schedule "${schedule}" has no meeting after ${t.toISOString()}`);
  return next;
}

/** The last meeting strictly before `t` (the one the week's counts are "since"). */
export function meetingBefore(schedule: string, timezone: string, t: Date): Date | undefined {
  return cronOf(schedule, timezone).previousRuns(1, t)[0];
}

/** Days of the week a cron's fifth field names (0 = Sunday), or undefined for a form we do not shift. */
function daysOfWeek(field: string): number[] | undefined {
  if (field === '*') return [0, 1, 2, 3, 4, 5, 6];
  const days = new Set<number>();
  for (const part of field.toLowerCase().split(',')) {
    const range = /^([a-z]{3}|\d)(?:-([a-z]{3}|\d))?$/.exec(part);
    if (!range) return undefined;
    const day = (s: string) => (/^\d$/.test(s) ? Number(s) % 7 : DAY_NAMES.indexOf(s));
    const from = day(range[1]!);
    const to = range[2] === undefined ? from : day(range[2]);
    if (from < 0 || to < 0 || Number(range[1]) > 7 || Number(range[2] ?? 0) > 7) return undefined;
    const last = range[2] === '7' ? 7 : to; // "1-7": Monday to Sunday
    for (let d = from; d <= (last < from ? last + 7 : last); d++) days.add(d % 7);
  }
  return [...days].sort((a, b) => a - b);
}

export type ShiftResult = { ok: true; cron: string } | { ok: false; message: string };

/**
 * The schedule `hours` earlier, as a cron: `M H * * DOW` becomes `M H' * * DOW'` (the hour moved back, the
 * days of the week moved with it). Other forms (several hours, a day of the month) cannot be moved this way.
 */
export function shiftBack(schedule: string, hours: number): ShiftResult {
  const fields = schedule.trim().split(/\s+/);
  const shape = 'a schedule the agenda can be posted ahead of has one hour and "*" for the day of the month and the month, such as "0 14 * * 2"';
  if (fields.length !== 5) return { ok: false, message: shape };
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (!/^\d{1,2}$/.test(hour) || Number(hour) > 23 || dom !== '*' || month !== '*') return { ok: false, message: shape };
  const days = daysOfWeek(dow);
  if (!days) return { ok: false, message: shape };
  const shifted = Number(hour) - hours;
  const newHour = ((shifted % 24) + 24) % 24;
  const dayShift = Math.floor(shifted / 24);
  const newDays = days.length === 7 ? '*' : [...new Set(days.map((d) => (((d + dayShift) % 7) + 7) % 7))].sort((a, b) => a - b).join(',');
  return { ok: true, cron: `${minute} ${newHour} * * ${newDays}` };
}

/** The shortest time between two meetings over the next few weeks, in hours (the lead time must stay below it). */
export function shortestGapHours(schedule: string, timezone: string, from = new Date(Date.UTC(2026, 0, 5))): number {
  const runs = cronOf(schedule, timezone).nextRuns(30, from);
  let gap = Infinity;
  for (let i = 1; i < runs.length; i++) gap = Math.min(gap, (runs[i]!.getTime() - runs[i - 1]!.getTime()) / HOUR_MS);
  return gap;
}

/** `YYYY-MM-DD` and `HH:MM` of an instant in a time zone, and the zone's short name (e.g. CET). */
export function localParts(t: Date, timezone: string): { date: string; time: string; zone: string; weekday: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'long', timeZoneName: 'short' })
      .formatToParts(t)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}`, zone: parts.timeZoneName ?? timezone, weekday: parts.weekday ?? '' };
}

/** Who is bug deputy for a meeting: the rotation moves on one person each week from the week of `from`. */
export function deputyFor(rotation: readonly string[], from: string, meetingAt: Date): string | undefined {
  if (rotation.length === 0) return undefined;
  const start = Date.parse(`${from}T00:00:00Z`);
  const weeks = Math.floor((meetingAt.getTime() - start) / (7 * 24 * HOUR_MS));
  return rotation[((weeks % rotation.length) + rotation.length) % rotation.length];
}
