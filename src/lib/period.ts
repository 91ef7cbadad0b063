// SPDX-License-Identifier: EUPL-1.2
/** A reporting period of whole days (`van` to `tot`, both inclusive), as the DDAS delivery and the reach page take it. */

export interface Period {
  /** YYYY-MM-DD, inclusive */
  from: string;
  /** YYYY-MM-DD, inclusive */
  to: string;
}

/** A delivery or a report covers at most this many days. */
export const MAX_PERIOD_DAYS = 366;

export type PeriodProblem = 'missing' | 'notADay' | 'endBeforeStart' | 'tooLong';

/** The day as given when it is a real one in YYYY-MM-DD, else null (2026-02-30 is not). */
export function realDay(text: string | null | undefined): string | null {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text ? text : null;
}

/** Days from `from` to `to`, both counted. */
export function daysIn(p: Period): number {
  return Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The period from two given days, or what is wrong with them. */
export function parsePeriod(van: string | null | undefined, tot: string | null | undefined): { ok: true; period: Period } | { ok: false; problem: PeriodProblem; field: 'van' | 'tot' } {
  if (!van) return { ok: false, problem: 'missing', field: 'van' };
  if (!tot) return { ok: false, problem: 'missing', field: 'tot' };
  const from = realDay(van);
  if (!from) return { ok: false, problem: 'notADay', field: 'van' };
  const to = realDay(tot);
  if (!to) return { ok: false, problem: 'notADay', field: 'tot' };
  if (to < from) return { ok: false, problem: 'endBeforeStart', field: 'tot' };
  if (daysIn({ from, to }) > MAX_PERIOD_DAYS) return { ok: false, problem: 'tooLong', field: 'tot' };
  return { ok: true, period: { from, to } };
}

/** What is wrong, after the field's name: "tot is before van". */
export const PERIOD_PROBLEMS: Record<PeriodProblem, string> = {
  missing: 'is required (YYYY-MM-DD)',
  notADay: 'is not a day that exists, in YYYY-MM-DD',
  endBeforeStart: 'is before van',
  tooLong: `makes the period longer than ${MAX_PERIOD_DAYS} days`,
};
