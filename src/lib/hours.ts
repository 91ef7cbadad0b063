// SPDX-License-Identifier: EUPL-1.2
/** Opening hours as words in the resident's language ("ma–vr 09:00–17:00"), from structured data. */
import type { Municipality } from './municipality.ts';

// 2026-01-05 is a Monday: day 1..7 (ISO) maps onto 5..11 January.
// Where the runtime has no calendar data for a language (Papiamento in Node's ICU), Dutch day
// names are what the resident sees on every letter and sign here, so they are the fallback.
function weekday(day: number, lng: string, style: 'short' | 'long'): string {
  const locale = Intl.DateTimeFormat.supportedLocalesOf([lng]).length > 0 ? lng : 'nl';
  return new Intl.DateTimeFormat(locale, { weekday: style, timeZone: 'UTC' }).format(Date.UTC(2026, 0, 4 + day));
}

/** The weekday names Monday … Sunday in a language (Dutch where the runtime has none). */
export function weekdayNames(lng: string, style: 'short' | 'long' = 'long'): string[] {
  return [1, 2, 3, 4, 5, 6, 7].map((d) => weekday(d, lng, style));
}

/** "from–to" that never breaks over two lines: word joiners hold the dash to both ends. */
const RANGE = '\u2060–\u2060';

function dayRanges(days: readonly number[]): [number, number][] {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const d of sorted) {
    const last = ranges.at(-1);
    if (last && d === last[1] + 1) last[1] = d;
    else ranges.push([d, d]);
  }
  return ranges;
}

export function openingHoursText(hours: Municipality['openingHours'], lng: string, style: 'short' | 'long' = 'short'): string {
  return hours
    .map(({ days, from, to }) => {
      const dayText = dayRanges(days)
        .map(([a, b]) => (a === b ? weekday(a, lng, style) : `${weekday(a, lng, style)}${RANGE}${weekday(b, lng, style)}`))
        .join(', ');
      return `${dayText} ${from}${RANGE}${to}`;
    })
    .join('; ');
}
