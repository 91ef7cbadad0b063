// SPDX-License-Identifier: EUPL-1.2
/**
 * Reach figures for one municipality and period. First as the nation counts it (DDAS, read from
 * the very levering the delivery to CBS carries: src/lib/ddas-reach.ts), then the portal's own
 * funnel from invitation to call-back request, per channel, topic, language and week. Counts
 * only — no personal data leaves here.
 */
import { ANSWERS, type AnswerTable } from '../../../flows/answers.ts';
import { ddasReach, isoWeek, reachRows, type DdasReach } from '../../lib/ddas-reach.ts';
import { toCsv } from '../../lib/csv.ts';
import type { Period } from '../../lib/period.ts';
import { leveringOf } from '../ddas/delivery.ts';
import type { Store } from '../store/index.ts';
import { variantResults, type StepVariantCounts } from '../store/variant-results.ts';
import { variantCsvRows } from './reach-variants.ts';

export { REACH_TARGET } from '../../lib/ddas-reach.ts';
export type { Period } from '../../lib/period.ts';
export { isoWeek };

/** The portal's own funnel: from the personal link to the call-back request. */
export interface Funnel {
  invitesSent: number;
  linksOpened: number;
  conversationsStarted: number;
  conversationsFinished: number;
  callbacksRequested: number;
}

/** The answers the reach page breaks its funnel down by (`reach` in flows/answers.ts). */
export function reachAnswers(table: AnswerTable = ANSWERS): string[] {
  return Object.entries(table)
    .filter(([, spec]) => spec.reach && (spec.type === 'one' || spec.type === 'many'))
    .map(([field]) => field);
}

/** Channel, the answers with `reach`, language and week, in that order. */
export const DIMENSIONS: readonly string[] = ['channel', ...reachAnswers(), 'language', 'week'];
export type Dimension = string;

export interface Breakdown {
  key: string;
  funnel: Funnel;
}

export interface ReachReport {
  municipality: string;
  period: Period;
  /** reach as DDAS counts it, from the period's levering */
  ddas: DdasReach;
  /** how many of the period's cases are made-up demo cases (SEED_DEMO) */
  demoCases: number;
  /** whether a finished conversation with a call-back through a link counts as reached here */
  portalCountsReached: boolean;
  total: Funnel;
  /** per channel, language and week, and per answer the table marks `reach` (topic, urgency) */
  by: { channel: Breakdown[]; language: Breakdown[]; week: Breakdown[]; [answer: string]: Breakdown[] };
  /** per SMS step with wording variants, per variant: SMS sent in the period and what those cases did (src/server/store/variant-results.ts) */
  variants: StepVariantCounts[];
}

const EMPTY: Funnel = {
  invitesSent: 0,
  linksOpened: 0,
  conversationsStarted: 0,
  conversationsFinished: 0,
  callbacksRequested: 0,
};

/** Period bounds as the ISO-8601 text timestamps the store keeps (end exclusive). */
function bounds(p: Period): [string, string] {
  const end = new Date(`${p.to}T00:00:00.000Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return [`${p.from}T00:00:00.000Z`, end.toISOString()];
}

export async function reachReport(store: Store, municipality: string, period: Period): Promise<ReachReport> {
  const [start, end] = bounds(period);
  const db = store.db;
  const groups = new Map<Dimension, Map<string, Funnel>>(DIMENSIONS.map((dim) => [dim, new Map()]));
  const total: Funnel = { ...EMPTY };
  /** Counts once in the total, and under each dimension's value (each chosen code for a several-choice answer). */
  const count = (field: keyof Funnel, dims: Partial<Record<Dimension, string | string[] | null>>) => {
    total[field]++;
    for (const [dim, value] of Object.entries(dims)) {
      const group = groups.get(dim);
      if (!group) continue;
      const keys = Array.isArray(value) ? (value.length > 0 ? value : ['unknown']) : [value ?? 'unknown'];
      for (const key of keys) {
        const f = group.get(key) ?? { ...EMPTY };
        f[field]++;
        group.set(key, f);
      }
    }
  };
  /** The answer dimensions of a stored conversation or request (the topic has its own column). */
  const answerDims = (answersJson: string, topic: string | null): Record<string, string | string[] | null> => {
    let answers: Record<string, unknown> = {};
    try {
      answers = JSON.parse(answersJson) as Record<string, unknown>;
    } catch {
      // a broken row counts as "unknown" rather than hiding the rest
    }
    return Object.fromEntries(
      reachAnswers().map((field) => {
        const value = (ANSWERS as AnswerTable)[field]?.column ? topic : answers[field];
        return [field, typeof value === 'string' || Array.isArray(value) ? (value as string | string[]) : null];
      }),
    );
  };

  const invites = await db
    .selectFrom('invites')
    .select(['channel', 'topic', 'created_at', 'first_opened_at'])
    .where('municipality', '=', municipality)
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .execute();
  for (const i of invites) {
    count('invitesSent', { channel: i.channel, topic: i.topic, week: isoWeek(i.created_at) });
    if (i.first_opened_at) count('linksOpened', { channel: i.channel, topic: i.topic, week: isoWeek(i.created_at) });
  }

  const conversations = await db
    .selectFrom('conversations')
    .select(['channel', 'topic', 'language', 'answers', 'started_at', 'finished_at'])
    .where('municipality', '=', municipality)
    .where('started_at', '>=', start)
    .where('started_at', '<', end)
    .execute();
  for (const c of conversations) {
    const dims = {
      channel: c.channel,
      ...answerDims(c.answers, c.topic),
      language: c.language,
      week: isoWeek(c.started_at),
    };
    count('conversationsStarted', dims);
    if (c.finished_at) count('conversationsFinished', dims);
  }

  const requests = await db
    .selectFrom('callback_requests')
    .select(['id', 'channel', 'topic', 'language', 'answers', 'created_at'])
    .where('municipality', '=', municipality)
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .execute();
  for (const r of requests) {
    const dims = {
      channel: r.channel,
      ...answerDims(r.answers, r.topic),
      language: r.language,
      week: isoWeek(r.created_at),
    };
    count('callbacksRequested', dims);
  }

  const by = Object.fromEntries(
    [...groups.entries()].map(([dim, group]) => [
      dim,
      [...group.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, funnel]) => ({ key, funnel })),
    ]),
  ) as ReachReport['by'];
  const { levering, demoCases, portalCountsReached } = await leveringOf(store, municipality, period);
  const variants = await variantResults(store, municipality, period);
  return { municipality, period, ddas: ddasReach(levering), demoCases, portalCountsReached, total, by, variants };
}

export const FUNNEL_FIELDS = [
  'invitesSent',
  'linksOpened',
  'conversationsStarted',
  'conversationsFinished',
  'callbacksRequested',
] as const satisfies readonly (keyof Funnel)[];

/**
 * The report as CSV, one number a row (`section,key,measure,value`): the DDAS figures first, with
 * the official values as keys, then the portal's funnel in total and per dimension, then per SMS
 * step its wording variants (`variants.<step>,<variant>,sent|opened|finished|callback|reached`). Counts only.
 */
export function reachCsv(report: ReachReport): string {
  const rows: (string | number)[][] = [['section', 'key', 'measure', 'value']];
  for (const [section, key, measure, value] of reachRows(report.ddas)) rows.push([`ddas.${section}`, key, measure, value]);
  for (const f of FUNNEL_FIELDS) rows.push(['funnel', 'total', f, report.total[f]]);
  for (const dim of Object.keys(report.by)) for (const b of report.by[dim] ?? []) for (const f of FUNNEL_FIELDS) rows.push([`funnel.${dim}`, b.key, f, b.funnel[f]]);
  rows.push(...variantCsvRows(report.variants));
  return toCsv(rows.map((r) => r.map(String)));
}
