// SPDX-License-Identifier: EUPL-1.2
// The call-back promise in working days: weekends skipped, the calling window's end, daylight saving, "te laat".
import { describe, expect, it } from 'vitest';
import { promiseDeadline, timeLeft, workingDaysBetween, zonedInstant } from '../../src/lib/working-days.ts';

const TZ = 'Europe/Amsterdam';
const twoDays = { workingDays: 2, window: { from: '09:00', to: '12:00' } };

describe('working days', () => {
  it('converts a wall-clock time in Amsterdam to UTC, winter and summer', () => {
    expect(zonedInstant({ year: 2026, month: 1, day: 15 }, 12 * 60, TZ).toISOString()).toBe('2026-01-15T11:00:00.000Z');
    expect(zonedInstant({ year: 2026, month: 7, day: 15 }, 12 * 60, TZ).toISOString()).toBe('2026-07-15T10:00:00.000Z');
  });

  it('ends the promise at the window end of the n-th working day after the request day', () => {
    // Monday 10:00 → Wednesday 12:00
    expect(promiseDeadline(new Date('2026-03-02T09:00:00Z'), twoDays, TZ).toISOString()).toBe('2026-03-04T11:00:00.000Z');
    // Thursday → Monday (the weekend does not count)
    expect(promiseDeadline(new Date('2026-03-05T09:00:00Z'), twoDays, TZ).toISOString()).toBe('2026-03-09T11:00:00.000Z');
    // Saturday → Tuesday
    expect(promiseDeadline(new Date('2026-03-07T09:00:00Z'), twoDays, TZ).toISOString()).toBe('2026-03-10T11:00:00.000Z');
    // Friday 23:30 local is still Friday, though it is 22:30 UTC
    expect(promiseDeadline(new Date('2026-03-06T22:30:00Z'), twoDays, TZ).toISOString()).toBe('2026-03-10T11:00:00.000Z');
  });

  it('ends at midnight without a window, and keeps local time across the clock change', () => {
    // Friday 27 March 2026 + 3 working days = Wednesday 1 April, after the change to summer time (29 March)
    const deadline = promiseDeadline(new Date('2026-03-27T10:00:00Z'), { workingDays: 3 }, TZ);
    expect(deadline.toISOString()).toBe('2026-04-01T22:00:00.000Z'); // midnight at the end of Wednesday, CEST
  });

  it('counts working days after one date up to another', () => {
    expect(workingDaysBetween({ year: 2026, month: 3, day: 5 }, { year: 2026, month: 3, day: 9 })).toBe(2);
    expect(workingDaysBetween({ year: 2026, month: 3, day: 9 }, { year: 2026, month: 3, day: 9 })).toBe(0);
    expect(workingDaysBetween({ year: 2026, month: 3, day: 9 }, { year: 2026, month: 3, day: 5 })).toBe(0);
  });

  it('says how much is left: days, today, or overdue', () => {
    const created = new Date('2026-03-02T09:00:00Z'); // Monday 10:00, due Wednesday 12:00
    expect(timeLeft(created, new Date('2026-03-02T10:00:00Z'), twoDays, TZ)).toMatchObject({ overdue: false, workingDaysLeft: 2, deadlineTime: '12:00' });
    expect(timeLeft(created, new Date('2026-03-03T10:00:00Z'), twoDays, TZ)).toMatchObject({ overdue: false, workingDaysLeft: 1 });
    expect(timeLeft(created, new Date('2026-03-04T10:59:00Z'), twoDays, TZ)).toMatchObject({ overdue: false, workingDaysLeft: 0 });
    expect(timeLeft(created, new Date('2026-03-04T11:00:01Z'), twoDays, TZ)).toMatchObject({ overdue: true, workingDaysLeft: 0 });
    // Without a window the last day runs to midnight, and that day is "today" until then.
    const noWindow = { workingDays: 1 };
    expect(timeLeft(created, new Date('2026-03-03T22:00:00Z'), noWindow, TZ)).toMatchObject({ overdue: false, workingDaysLeft: 0, deadlineTime: '24:00' });
    expect(timeLeft(created, new Date('2026-03-02T10:00:00Z'), noWindow, TZ)).toMatchObject({ workingDaysLeft: 1 });
  });
});

describe('Dutch public holidays', () => {
  it('are no working days: a promise made before Christmas skips both Christmas days and the weekend', () => {
    // Thursday 24 December 2026 + 2 working days: not Friday 25 or Saturday 26, but Monday 28 and Tuesday 29
    expect(promiseDeadline(new Date('2026-12-24T09:00:00Z'), twoDays, TZ).toISOString()).toBe('2026-12-29T11:00:00.000Z');
    // King's Day (Tuesday 27 April 2027) is skipped too; Good Friday is not a day off here
    expect(promiseDeadline(new Date('2027-04-26T09:00:00Z'), { workingDays: 1 }, TZ).toISOString()).toBe('2027-04-28T22:00:00.000Z');
    expect(promiseDeadline(new Date('2027-03-25T09:00:00Z'), { workingDays: 1 }, TZ).toISOString()).toBe('2027-03-26T23:00:00.000Z');
  });
});
