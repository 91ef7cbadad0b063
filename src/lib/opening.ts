// SPDX-License-Identifier: EUPL-1.2
/**
 * The municipality's opening hours for the coming days as a schedule, Dutch public holidays left
 * out. Server side (it reads the holiday tables); src/lib/opening-state.ts reads the schedule.
 */
import { publicHoliday } from './holidays.ts';
import type { Municipality } from './municipality.ts';
import type { OpenPeriod, Schedule } from './opening-state.ts';
import { addDays, minutesOf, wallClock, zonedInstant, type LocalDate } from './working-days.ts';

/** How far ahead the schedule reaches: past any run of closed days (a long weekend with a holiday). */
const DAYS_AHEAD = 10;

function isoDay(date: LocalDate): number {
  return ((new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7) + 1;
}

export function localDateText(date: LocalDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

export function openingSchedule(m: Pick<Municipality, 'openingHours' | 'timezone'>, now: Date): Schedule {
  const periods: OpenPeriod[] = [];
  const today = wallClock(now.getTime(), m.timezone);
  for (let i = 0; i <= DAYS_AHEAD; i++) {
    const date = addDays(today, i);
    if (publicHoliday(date)) continue;
    const day = isoDay(date);
    for (const slot of m.openingHours) {
      if (!slot.days.includes(day)) continue;
      const start = zonedInstant(date, minutesOf(slot.from), m.timezone).getTime();
      const end = zonedInstant(date, minutesOf(slot.to), m.timezone).getTime();
      if (end > now.getTime()) periods.push({ start, end, day, date: localDateText(date), from: slot.from });
    }
  }
  periods.sort((a, b) => a.start - b.start);
  return { timeZone: m.timezone, periods };
}

