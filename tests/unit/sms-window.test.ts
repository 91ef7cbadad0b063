// SPDX-License-Identifier: EUPL-1.2
// When the plan's SMS may go out: inside the hours, never at night, on a Sunday or a public
// holiday, and spread at the configured rate.
import { describe, expect, it } from 'vitest';
import { isSendingDay, nextSendMoment, sendSchedule } from '../../src/lib/sms-window.ts';
import { wallClock } from '../../src/lib/working-days.ts';

const TZ = 'Europe/Amsterdam';
const WINDOW = { from: '09:00', to: '20:00', perMinute: 60 };
/** "2026-12-05 19:59" on the Amsterdam clock */
const local = (d: Date) => {
  const c = wallClock(d.getTime(), TZ);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${c.year}-${p(c.month)}-${p(c.day)} ${p(c.hour)}:${p(c.minute)}:${p(c.second)}`;
};

describe('the SMS sending window', () => {
  it('knows the days: Saturdays yes, Sundays, Christmas and King’s Day no', () => {
    expect(isSendingDay({ year: 2026, month: 12, day: 5 })).toBe(true);
    expect(isSendingDay({ year: 2026, month: 12, day: 6 })).toBe(false);
    expect(isSendingDay({ year: 2026, month: 12, day: 25 })).toBe(false);
    expect(isSendingDay({ year: 2027, month: 4, day: 27 })).toBe(false);
  });

  it('sends now inside the window, and otherwise at the start of the next one', () => {
    // Thursday 3 December 2026, 14:00 in Amsterdam (13:00 UTC)
    expect(local(nextSendMoment(new Date('2026-12-03T13:00:00Z'), WINDOW, TZ))).toBe('2026-12-03 14:00:00');
    // 06:30: at nine
    expect(local(nextSendMoment(new Date('2026-12-03T05:30:00Z'), WINDOW, TZ))).toBe('2026-12-03 09:00:00');
    // 20:00 sharp is outside; Friday 09:00
    expect(local(nextSendMoment(new Date('2026-12-03T19:00:00Z'), WINDOW, TZ))).toBe('2026-12-04 09:00:00');
    // Saturday night: not Sunday, Monday
    expect(local(nextSendMoment(new Date('2026-12-05T21:00:00Z'), WINDOW, TZ))).toBe('2026-12-07 09:00:00');
    // Christmas Eve evening: past both Christmas days and the Sunday after
    expect(local(nextSendMoment(new Date('2027-12-24T20:00:00Z'), WINDOW, TZ))).toBe('2027-12-27 09:00:00');
  });

  it('spreads 5,000 SMS at 30 a minute over the allowed hours, none at night or on Sunday', () => {
    // Saturday 5 December 2026, 18:00 in Amsterdam: two hours at one every 2 s hold 3,600
    const times = sendSchedule(5000, new Date('2026-12-05T17:00:00Z'), { ...WINDOW, perMinute: 30 }, TZ);
    expect(times).toHaveLength(5000);
    expect(local(times[0] as Date)).toBe('2026-12-05 18:00:00');
    expect(local(times[3599] as Date)).toBe('2026-12-05 19:59:58');
    expect(local(times[3600] as Date)).toBe('2026-12-07 09:00:00');
    expect(local(times[4999] as Date)).toBe('2026-12-07 09:46:38');
    for (const t of times) {
      const c = wallClock(t.getTime(), TZ);
      expect(c.hour >= 9 && c.hour < 20, local(t)).toBe(true);
      expect(new Date(Date.UTC(c.year, c.month - 1, c.day)).getUTCDay(), local(t)).not.toBe(0);
    }
    // never faster than the rate
    for (let i = 1; i < times.length; i++) expect((times[i] as Date).getTime() - (times[i - 1] as Date).getTime()).toBeGreaterThanOrEqual(2000);
  });

  it('holds the hours on the day the clocks go back', () => {
    // Sunday 25 October 2026 is a Sunday anyway; Saturday 28 March 2026 → Monday 30 March after the change
    const times = sendSchedule(3, new Date('2026-03-28T18:59:59Z'), { ...WINDOW, perMinute: 1 }, TZ);
    expect(times.map(local)).toEqual(['2026-03-28 19:59:59', '2026-03-30 09:00:00', '2026-03-30 09:01:00']);
  });
});
