// SPDX-License-Identifier: EUPL-1.2
/**
 * When the contact plan's SMS may go out: within the municipality's hours of the day, Monday to
 * Saturday, never on a Sunday or a Dutch public holiday, and no faster than the rate NotifyNL
 * allows the service. A batch of thousands is spread over the allowed hours, day after day.
 */
import { publicHoliday } from './holidays.ts';
import { addDays, minutesOf, wallClock, weekday, zonedInstant, type LocalDate } from './working-days.ts';

/** The municipalities' clock: the hours of the window are Dutch hours. */
export const SMS_TIME_ZONE = 'Europe/Amsterdam';

export interface SendingWindow {
  /** HH:MM on the municipality's clock */
  from: string;
  to: string;
  /** SMS per minute */
  perMinute: number;
}

/** Whether SMS may go out on this date at all: not a Sunday, not a public holiday. */
export function isSendingDay(date: LocalDate): boolean {
  return weekday(date) !== 0 && publicHoliday(date) === null;
}

/** The first moment at or after `at` inside the window: `at` itself when SMS may go out then. */
export function nextSendMoment(at: Date, window: Pick<SendingWindow, 'from' | 'to'>, timeZone: string): Date {
  const clock = wallClock(at.getTime(), timeZone);
  const today: LocalDate = { year: clock.year, month: clock.month, day: clock.day };
  const minutes = clock.hour * 60 + clock.minute;
  if (isSendingDay(today) && minutes >= minutesOf(window.from) && minutes < minutesOf(window.to)) return at;
  let day = minutes < minutesOf(window.from) ? today : addDays(today, 1);
  // at most a handful of days: Christmas on a Saturday, then Sunday
  for (let i = 0; i < 14 && !isSendingDay(day); i++) day = addDays(day, 1);
  return zonedInstant(day, minutesOf(window.from), timeZone);
}

/**
 * The moments `count` SMS go out from `start` on: one every 60/perMinute seconds inside the
 * window, what does not fit today from the window's start on the next sending day.
 */
export function sendSchedule(count: number, start: Date, window: SendingWindow, timeZone: string): Date[] {
  const gap = 60_000 / window.perMinute;
  const out: Date[] = [];
  let t = nextSendMoment(start, window, timeZone).getTime();
  let end = windowEnd(t, window, timeZone);
  for (let i = 0; i < count; i++) {
    if (t >= end) {
      t = nextSendMoment(new Date(t), window, timeZone).getTime();
      end = windowEnd(t, window, timeZone);
    }
    out.push(new Date(t));
    t += gap;
  }
  return out;
}

/** The end of the window on the day of `instant`. */
function windowEnd(instant: number, window: Pick<SendingWindow, 'to'>, timeZone: string): number {
  const c = wallClock(instant, timeZone);
  return zonedInstant({ year: c.year, month: c.month, day: c.day }, minutesOf(window.to), timeZone).getTime();
}
