// SPDX-License-Identifier: EUPL-1.2
/**
 * Open or closed, read in the browser or on the server from a schedule the server made
 * (src/lib/opening.ts): the island reads it against its own clock, since a page may stay open
 * past closing time. Nothing here needs the holiday tables.
 */
export interface OpenPeriod {
  /** epoch ms */
  start: number;
  end: number;
  /** ISO weekday 1 (Monday) … 7 (Sunday) in the municipality's time zone */
  day: number;
  /** the local calendar date, YYYY-MM-DD */
  date: string;
  /** local opening time, HH:MM */
  from: string;
}

export interface Schedule {
  timeZone: string;
  periods: OpenPeriod[];
}

export function openNow(schedule: Schedule, now: number): boolean {
  return schedule.periods.some((p) => p.start <= now && now < p.end);
}

export type NextOpening =
  | { when: 'today' | 'tomorrow'; from: string }
  | { when: 'on'; day: number; from: string }
  | null;

/** The local calendar date at `now` in the schedule's time zone, YYYY-MM-DD (works in the browser too). */
export function localDateAt(now: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now));
}

/** When the office opens next, as the resident is told it: today at, tomorrow at, or on a weekday at. */
export function nextOpening(schedule: Schedule, now: number): NextOpening {
  const next = schedule.periods.find((p) => p.start > now);
  if (!next) return null;
  const today = localDateAt(now, schedule.timeZone);
  const tomorrow = localDateAt(now + 86_400_000, schedule.timeZone);
  if (next.date === today) return { when: 'today', from: next.from };
  if (next.date === tomorrow) return { when: 'tomorrow', from: next.from };
  return { when: 'on', day: next.day, from: next.from };
}

/** The text key and clip id of "we are there again …" (clips exist per opening time and weekday). */
export function nextOpeningKey(next: Exclude<NextOpening, null>): { key: string; clip: string } {
  if (next.when === 'on') return { key: 'talkNow.opensOn', clip: `talkNow.opensOn#${next.day}-${next.from}` };
  const key = next.when === 'today' ? 'talkNow.opensToday' : 'talkNow.opensTomorrow';
  return { key, clip: `${key}#${next.from}` };
}
