// SPDX-License-Identifier: EUPL-1.2
/**
 * Reach figures for one municipality and period: the funnel from invitation to help accepted,
 * and the same per channel, topic, language and week. Counts only — no personal data leaves here.
 * Reach follows the national definition: residents reached ÷ signals (here: invitations sent),
 * against the 40% target.
 */
import { sql } from 'kysely';
import { ANSWERS, type AnswerTable } from '../../../flows/answers.ts';
import type { Store } from '../store/index.ts';

export const REACH_TARGET = 0.4;
/** End results that mean the resident took help up (DDAS): advice or a quick fix, or follow-up help. */
export const HELP_ACCEPTED = ['advice_quick_fix', 'follow_up_financial', 'follow_up_non_financial'] as const;

export interface Period {
  /** ISO date (inclusive), e.g. 2026-11-01 */
  from: string;
  /** ISO date (inclusive) */
  to: string;
}

export interface Funnel {
  invitesSent: number;
  linksOpened: number;
  conversationsStarted: number;
  conversationsFinished: number;
  callbacksRequested: number;
  residentsReached: number;
  helpAccepted: number;
  contactAttempts: number;
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
  total: Funnel;
  /** residents reached ÷ invitations sent, or null without invitations */
  reach: number | null;
  attemptsPerReached: number | null;
  /** per channel, language and week, and per answer the table marks `reach` (topic, urgency) */
  by: { channel: Breakdown[]; language: Breakdown[]; week: Breakdown[]; [answer: string]: Breakdown[] };
}

const EMPTY: Funnel = {
  invitesSent: 0,
  linksOpened: 0,
  conversationsStarted: 0,
  conversationsFinished: 0,
  callbacksRequested: 0,
  residentsReached: 0,
  helpAccepted: 0,
  contactAttempts: 0,
};

/** Period bounds as the ISO-8601 text timestamps the store keeps (end exclusive). */
function bounds(p: Period): [string, string] {
  const end = new Date(`${p.to}T00:00:00.000Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return [`${p.from}T00:00:00.000Z`, end.toISOString()];
}

/** ISO week of a timestamp, "2026-W48", computed in JavaScript so both databases agree. */
export function isoWeek(iso: string): string {
  const d = new Date(iso.slice(0, 10) + 'T00:00:00Z');
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week =
    1 +
    Math.round(((d.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
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
    .select(['id', 'channel', 'topic', 'language', 'answers', 'created_at', 'outcome'])
    .select((eb) => [
      eb
        .selectFrom('case_attempts')
        .select(sql<number>`count(*)`.as('n'))
        .whereRef('case_attempts.request_id', '=', 'callback_requests.id')
        .where('case_attempts.staff_id', 'is not', null)
        .as('attempts'),
      eb
        .selectFrom('case_attempts')
        .select(sql<number>`count(*)`.as('n'))
        .whereRef('case_attempts.request_id', '=', 'callback_requests.id')
        .where('case_attempts.reached', '=', 1)
        .where('case_attempts.staff_id', 'is not', null)
        .as('reached'),
    ])
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
    const attempts = Number(r.attempts ?? 0);
    for (let i = 0; i < attempts; i++) count('contactAttempts', dims);
    if (Number(r.reached ?? 0) > 0) count('residentsReached', dims);
    if (r.outcome && (HELP_ACCEPTED as readonly string[]).includes(r.outcome)) count('helpAccepted', dims);
  }

  const by = Object.fromEntries(
    [...groups.entries()].map(([dim, group]) => [
      dim,
      [...group.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, funnel]) => ({ key, funnel })),
    ]),
  ) as ReachReport['by'];
  return {
    municipality,
    period,
    total,
    reach: total.invitesSent > 0 ? total.residentsReached / total.invitesSent : null,
    attemptsPerReached: total.residentsReached > 0 ? total.contactAttempts / total.residentsReached : null,
    by,
  };
}

export const FUNNEL_FIELDS = [
  'invitesSent',
  'linksOpened',
  'conversationsStarted',
  'conversationsFinished',
  'callbacksRequested',
  'residentsReached',
  'helpAccepted',
] as const satisfies readonly (keyof Funnel)[];

/** The report as CSV (one row per dimension value, plus the total): counts only. */
export function reachCsv(report: ReachReport): string {
  const header = ['dimension', 'value', ...FUNNEL_FIELDS, 'contactAttempts'];
  const line = (dim: string, key: string, f: Funnel) =>
    [dim, key, ...FUNNEL_FIELDS.map((k) => f[k]), f.contactAttempts].join(',');
  const rows = [header.join(','), line('total', 'total', report.total)];
  for (const dim of Object.keys(report.by))
    for (const b of report.by[dim] ?? []) rows.push(line(dim, b.key.replace(/[,"\n]/g, ' '), b.funnel));
  return `${rows.join('\r\n')}\r\n`;
}
