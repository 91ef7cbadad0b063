// SPDX-License-Identifier: EUPL-1.2
/**
 * Which SMS wording works, as counts from the store (the statistics are in src/lib/variant-results.ts):
 * per SMS step of the contact plan and per wording variant, how many cases were sent that step's
 * SMS in the period, and how many of those cases opened their personal link, finished the
 * conversation, asked for a call-back and were reached. Counts only: no case id leaves here.
 *
 * - The variant is the one the case was drawn (`plan_tasks.variant`), not the text that went out
 *   (`sms_outbox.variant` may be a fallback wording): the draw is what is random, so that is what
 *   is compared.
 * - Sent: `sms_outbox.sent_at` is set; the period is the day it was sent (`sent_at`), whole days,
 *   end inclusive, like the rest of the reach page. SMS waiting, cancelled or refused before
 *   sending do not count.
 * - The outcomes count whenever they took place, also before the SMS or after the period: the
 *   wording is drawn at random, so whatever happens for other reasons falls on every variant alike.
 *   Opened: an invitation of the case with `first_opened_at`. Finished: a conversation through an
 *   invitation of the case with `finished_at` (what the reach page counts as finished). Call-back:
 *   a call-back request of the case. Reached: a contact attempt on the case with `reached`.
 *
 * One statement, grouped in the database; each outcome is an uncorrelated `in (…)` over the
 * municipality's rows, which SQLite and PostgreSQL both evaluate once per statement.
 */
import type { SelectQueryBuilder } from 'kysely';
import type { Period } from '../../lib/period.ts';
import { VARIANT_MEASURES, type VariantCounts } from '../../lib/variant-results.ts';
import type { Database, Store } from './index.ts';

export interface StepVariantCounts {
  /** the plan step's id (`plan_tasks.step_id`) */
  step: string;
  /** per variant the case was drawn, by variant */
  variants: VariantCounts[];
}

/** Period bounds as the ISO-8601 text timestamps the store keeps (end exclusive), as the reach report takes them. */
function bounds(p: Period): [string, string] {
  const end = new Date(`${p.to}T00:00:00.000Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return [`${p.from}T00:00:00.000Z`, end.toISOString()];
}

/** Per SMS step with a wording variant, per variant: sent in the period, and of those cases the outcomes. */
export async function variantResults(store: Store, municipality: string, period: Period): Promise<StepVariantCounts[]> {
  const [start, end] = bounds(period);
  const rows = await store.db
    .selectFrom('sms_outbox')
    .innerJoin('plan_tasks', 'plan_tasks.id', 'sms_outbox.task_id')
    .where('sms_outbox.municipality', '=', municipality)
    .where('plan_tasks.municipality', '=', municipality)
    .where('sms_outbox.sent_at', 'is not', null)
    .where('sms_outbox.sent_at', '>=', start)
    .where('sms_outbox.sent_at', '<', end)
    .where('plan_tasks.variant', 'is not', null)
    .select((eb) => {
      /** How many of the group's cases are among those the subquery gives. */
      const among = <T extends keyof Database>(cases: SelectQueryBuilder<Database, T, { case_id: string | null }>) =>
        eb.fn.sum<number | string | bigint>(eb.case().when('plan_tasks.case_id', 'in', cases).then(eb.lit(1)).else(eb.lit(0)).end());
      return [
        'plan_tasks.step_id as step',
        'plan_tasks.variant as variant',
        // a case has each step once (plan_tasks) and one SMS per step (sms_outbox.task_id): a row is a case
        eb.fn.countAll<number | string | bigint>().as('sent'),
        among(
          eb
            .selectFrom('invites')
            .select('invites.case_id')
            .where('invites.municipality', '=', municipality)
            .where('invites.case_id', 'is not', null)
            .where('invites.first_opened_at', 'is not', null),
        ).as('opened'),
        among(
          eb
            .selectFrom('conversations')
            .innerJoin('invites', 'invites.id', 'conversations.invite_id')
            .select('invites.case_id')
            .where('conversations.municipality', '=', municipality)
            .where('invites.municipality', '=', municipality)
            .where('invites.case_id', 'is not', null)
            .where('conversations.finished_at', 'is not', null),
        ).as('finished'),
        among(
          eb
            .selectFrom('callback_requests')
            .select('callback_requests.case_id')
            .where('callback_requests.municipality', '=', municipality)
            .where('callback_requests.case_id', 'is not', null),
        ).as('callback'),
        among(
          eb
            .selectFrom('case_attempts')
            .select('case_attempts.case_id')
            .where('case_attempts.municipality', '=', municipality)
            .where('case_attempts.case_id', 'is not', null)
            .where('case_attempts.reached', '=', 1),
        ).as('reached'),
      ];
    })
    .groupBy(['plan_tasks.step_id', 'plan_tasks.variant'])
    .orderBy('plan_tasks.step_id')
    .orderBy('plan_tasks.variant')
    .execute();
  const steps = new Map<string, VariantCounts[]>();
  for (const r of rows) {
    const counts: VariantCounts = { variant: r.variant ?? '', sent: Number(r.sent), opened: 0, finished: 0, callback: 0, reached: 0 };
    for (const m of VARIANT_MEASURES) counts[m] = Number(r[m] ?? 0);
    steps.set(r.step, [...(steps.get(r.step) ?? []), counts]);
  }
  return [...steps].map(([step, variants]) => ({ step, variants }));
}
