// SPDX-License-Identifier: EUPL-1.2
/** Opening hours as words in the resident's language ("ma–vr 09:00–17:00"), from structured data. */
import type { Municipality } from './municipality.ts';

// 2026-01-05 is a Monday: day 1..7 (ISO) maps onto 5..11 January.
function weekday(day: number, lng: string): string {
  try {
    return new Intl.DateTimeFormat(lng, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2026, 0, 4 + day));
  } catch {
    return new Intl.DateTimeFormat('nl', { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2026, 0, 4 + day));
  }
}

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

export function openingHoursText(hours: Municipality['openingHours'], lng: string): string {
  return hours
    .map(({ days, from, to }) => {
      const dayText = dayRanges(days)
        .map(([a, b]) => (a === b ? weekday(a, lng) : `${weekday(a, lng)}–${weekday(b, lng)}`))
        .join(', ');
      return `${dayText} ${from}–${to}`;
    })
    .join('; ');
}
