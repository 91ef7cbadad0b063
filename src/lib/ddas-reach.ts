// SPDX-License-Identifier: EUPL-1.2
/**
 * Reach as the nation counts it, read from one DDAS `levering` (the same object the delivery to
 * CBS carries, so the reach page and the export can never disagree):
 * - cases: vroegsignaalzaken in the period; those closed as "not taken up" (repeat signal, wrong
 *   signal, deceased, no longer a resident, other reason) count as cases, not as ones tried;
 * - reached: cases with at least one contact attempt with `bereikt`; reach = reached ÷ cases
 *   taken up, against the national target of 40 %;
 * - attempts per case (taken up), reach per `soort` and per `dagdeel` (attempts and reached
 *   attempts), end results, per ISO week of the attempt and per signal partner.
 * Keys are the national model's own values (Telefoon, Ochtend, Energie, …).
 */
import { ddasValue, END_RESULTS, NOT_TAKEN_UP } from './ddas.ts';

/** The part of a levering this reads: as the Uitwisselmodel writes it. */
export interface ReachLevering {
  vroegsignalen: { ID: string; signaalpartner: { type: string } }[];
  vroegsignaalzaken: {
    resultaat?: string;
    vroegsignalen: { ID: string }[];
    contactpogingen: { soort: string; bereikt: boolean; datum: string; dagdeel: string }[];
  }[];
}

/** End results (official values) of cases that were never taken up. */
export const NOT_TAKEN_UP_VALUES: readonly string[] = NOT_TAKEN_UP.map((code) => ddasValue('endResult', code));

export const REACH_TARGET = 0.4;

export interface AttemptCount {
  attempts: number;
  reached: number;
}

export interface WeekCount extends AttemptCount {
  week: string;
  /** cases with an attempt in this week */
  casesTried: number;
  /** cases with a reached attempt in this week */
  casesReached: number;
}

export interface PartnerCount {
  partner: string;
  cases: number;
  takenUp: number;
  reachedCases: number;
  attempts: number;
}

export interface DdasReach {
  cases: number;
  notTakenUp: number;
  takenUp: number;
  reachedCases: number;
  /** reached ÷ taken up; null without cases taken up */
  reach: number | null;
  attempts: number;
  /** attempts ÷ cases taken up */
  attemptsPerCase: number | null;
  byKind: Record<string, AttemptCount>;
  byDayPart: Record<string, AttemptCount>;
  /** cases per end result (official value); `open` for cases without one yet */
  endResults: Record<string, number>;
  byWeek: WeekCount[];
  byPartner: PartnerCount[];
}

/** ISO week of a day, "2026-W48". */
export function isoWeek(day: string): string {
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - weekday + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export const OPEN = 'open';

const bump = (map: Record<string, AttemptCount>, key: string, reached: boolean) => {
  const c = (map[key] ??= { attempts: 0, reached: 0 });
  c.attempts++;
  if (reached) c.reached++;
};

export function ddasReach(levering: ReachLevering): DdasReach {
  const partnerOf = new Map(levering.vroegsignalen.map((s) => [s.ID, s.signaalpartner.type]));
  const out: DdasReach = { cases: 0, notTakenUp: 0, takenUp: 0, reachedCases: 0, reach: null, attempts: 0, attemptsPerCase: null, byKind: {}, byDayPart: {}, endResults: {}, byWeek: [], byPartner: [] };
  const weeks = new Map<string, WeekCount>();
  const partners = new Map<string, PartnerCount>();
  for (const c of levering.vroegsignaalzaken) {
    out.cases++;
    const notTakenUp = c.resultaat !== undefined && NOT_TAKEN_UP_VALUES.includes(c.resultaat);
    if (notTakenUp) out.notTakenUp++;
    else out.takenUp++;
    const reached = c.contactpogingen.some((a) => a.bereikt);
    if (reached) out.reachedCases++;
    out.endResults[c.resultaat ?? OPEN] = (out.endResults[c.resultaat ?? OPEN] ?? 0) + 1;
    out.attempts += c.contactpogingen.length;
    const tried = new Set<string>();
    const reachedIn = new Set<string>();
    for (const a of c.contactpogingen) {
      bump(out.byKind, a.soort, a.bereikt);
      bump(out.byDayPart, a.dagdeel, a.bereikt);
      const week = isoWeek(a.datum);
      const w = weeks.get(week) ?? { week, attempts: 0, reached: 0, casesTried: 0, casesReached: 0 };
      w.attempts++;
      if (a.bereikt) w.reached++;
      weeks.set(week, w);
      tried.add(week);
      if (a.bereikt) reachedIn.add(week);
    }
    for (const week of tried) (weeks.get(week) as WeekCount).casesTried++;
    for (const week of reachedIn) (weeks.get(week) as WeekCount).casesReached++;
    for (const partner of new Set(c.vroegsignalen.map((s) => partnerOf.get(s.ID) ?? 'Overige'))) {
      const p = partners.get(partner) ?? { partner, cases: 0, takenUp: 0, reachedCases: 0, attempts: 0 };
      p.cases++;
      if (!notTakenUp) p.takenUp++;
      if (reached) p.reachedCases++;
      p.attempts += c.contactpogingen.length;
      partners.set(partner, p);
    }
  }
  // in the model's order, open last
  const order = [...END_RESULTS.map((code) => ddasValue('endResult', code)), OPEN];
  out.endResults = Object.fromEntries(Object.entries(out.endResults).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)));
  out.reach = out.takenUp > 0 ? out.reachedCases / out.takenUp : null;
  out.attemptsPerCase = out.takenUp > 0 ? out.attempts / out.takenUp : null;
  out.byWeek = [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week));
  out.byPartner = [...partners.values()].sort((a, b) => a.partner.localeCompare(b.partner));
  return out;
}

/** Every number of the report as rows of `section, key, measure, value` (the CSV and the test read the same). */
export function reachRows(r: DdasReach): [string, string, string, number][] {
  const rows: [string, string, string, number][] = [];
  for (const m of ['cases', 'notTakenUp', 'takenUp', 'reachedCases', 'attempts'] as const) rows.push(['total', 'total', m, r[m]]);
  for (const [k, c] of Object.entries(r.byKind)) rows.push(['soort', k, 'attempts', c.attempts], ['soort', k, 'reached', c.reached]);
  for (const [k, c] of Object.entries(r.byDayPart)) rows.push(['dagdeel', k, 'attempts', c.attempts], ['dagdeel', k, 'reached', c.reached]);
  for (const [k, n] of Object.entries(r.endResults)) rows.push(['resultaat', k, 'cases', n]);
  for (const w of r.byWeek) for (const m of ['attempts', 'reached', 'casesTried', 'casesReached'] as const) rows.push(['week', w.week, m, w[m]]);
  for (const p of r.byPartner) for (const m of ['cases', 'takenUp', 'reachedCases', 'attempts'] as const) rows.push(['signaalpartner', p.partner, m, p[m]]);
  return rows;
}
