import { expect, test } from 'vitest';
import { deputyFor, localParts, meetingAfter, shiftBack, shortestGapHours } from '../../src/agenda/meetings.js';
import { parseConfig } from '../../src/config.js';

const problems = (agenda: unknown) => {
  const r = parseConfig({ agenda });
  return r.ok ? [] : r.problems;
};

test('bad schedules, time zones and rotations are config errors with their key paths (one problem each)', () => {
  expect(problems({ schedule: 'every tuesday' })).toEqual([{ path: 'agenda.schedule', message: 'not a cron expression (five fields, e.g. "0 12 * * 1"; croner reads it)' }]);
  expect(problems({ timezone: 'Europe/Atlantis' })).toEqual([{ path: 'agenda.timezone', message: 'not a time zone (an IANA name such as UTC or Europe/Berlin)' }]);
  expect(problems({ bugDeputies: { rotation: [] } })).toEqual([{ path: 'agenda.bugDeputies.rotation', message: 'a rotation needs at least one person' }]);
  expect(problems({ bugDeputies: { rotation: ['amuller'], from: 'next monday' } })).toEqual([{ path: 'agenda.bugDeputies.from', message: 'must be a date, YYYY-MM-DD' }]);
  expect(problems({ schedule: '0 14 1 * *' })[0]?.path).toBe('agenda.schedule'); // monthly: cannot be posted a fixed time ahead as a cron
  expect(problems({ schedule: '0 9 * * *', postAhead: 30 })).toEqual([{ path: 'agenda.postAhead', message: 'must be shorter than the time between two meetings (24 hours)' }]);
  expect(problems({ timebox: { bugs: 10, coffee: 5 } })).toEqual([{ path: 'agenda.timebox', message: 'unknown key: coffee' }]);
  expect(problems({ gateThresholds: { notice: 40 } })).toEqual([{ path: 'agenda.gateThresholds', message: 'notice <= warning <= critical' }]);
  expect(problems({ enabled: true, schedule: '30 15 * * 1,4', timezone: 'Europe/Berlin', postAhead: 48 })).toEqual([]);
});

test('the posting cron: the hour moved back, the days with it', () => {
  expect(shiftBack('0 14 * * 2', 24)).toEqual({ ok: true, cron: '0 14 * * 1' });
  expect(shiftBack('30 9 * * 1', 36)).toEqual({ ok: true, cron: '30 21 * * 6' });
  expect(shiftBack('0 2 * * MON-FRI', 3)).toEqual({ ok: true, cron: '0 23 * * 0,1,2,3,4' });
  expect(shiftBack('0 14 * * *', 2)).toEqual({ ok: true, cron: '0 12 * * *' });
  expect(shiftBack('0 14 * * 0', 24)).toEqual({ ok: true, cron: '0 14 * * 6' });
  expect(shiftBack('0 9,15 * * 1', 2).ok).toBe(false);
  expect(shortestGapHours('30 15 * * 1,4', 'UTC')).toBe(72);
});

test('meetings in the configured time zone, across a daylight-saving change; the deputy rotation', () => {
  const m = meetingAfter('0 15 * * 2', 'Europe/Berlin', new Date('2026-10-20T15:00:00Z'));
  expect(m.toISOString()).toBe('2026-10-27T14:00:00.000Z'); // CET after the change: 15:00 local is 14:00 UTC
  expect(localParts(m, 'Europe/Berlin')).toEqual({ date: '2026-10-27', time: '15:00', zone: 'CET', weekday: 'Tuesday' });
  const rota = ['a', 'b', 'c'];
  expect([0, 1, 2, 3].map((w) => deputyFor(rota, '2026-01-05', new Date(Date.UTC(2026, 0, 6 + 7 * w))))).toEqual(['a', 'b', 'c', 'a']);
});
