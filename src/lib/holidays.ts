// SPDX-License-Identifier: EUPL-1.2
/**
 * Dutch public holidays (the days offices are closed: New Year, Easter and Whit Mondays, King's
 * Day, Ascension, Christmas), from the well-kept `date-holidays` tables. Server side only.
 */
import Holidays from 'date-holidays';

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const netherlands = new Holidays('NL');
const byYear = new Map<number, Map<string, string>>();

function key(date: CalendarDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

function holidaysOf(year: number): Map<string, string> {
  let days = byYear.get(year);
  if (!days) {
    days = new Map();
    // "public" only: Good Friday and Liberation Day are "school" days here, and offices stay open
    for (const h of netherlands.getHolidays(year)) if (h.type === 'public') days.set(h.date.slice(0, 10), h.name);
    byYear.set(year, days);
  }
  return days;
}

/** The holiday's Dutch name when the date is a public holiday in the Netherlands, else null. */
export function publicHoliday(date: CalendarDate): string | null {
  return holidaysOf(date.year).get(key(date)) ?? null;
}
