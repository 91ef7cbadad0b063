// SPDX-License-Identifier: EUPL-1.2
/**
 * The SMS outbox in the store (issue 15): a plan step's SMS becomes one row with its number, text
 * and moment (the municipality's hours and rate); one sending run holds a row at a time; once
 * NotifyNL has the message the number and text are emptied and the step becomes a DDAS contact
 * attempt (SMS/Whatsapp). A run cut off halfway leaves the row `sending`, and the next run asks
 * Notify under the row's reference before it sends again: nothing is lost, nothing doubled.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { insertAttempt } from './attempts.ts';
import { breather, type Store } from './index.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
const CHUNK = 500;

/** An SMS step of the plan that has no outbox row yet, with what its text needs. */
export interface SmsStepToQueue {
  taskId: string;
  caseId: string;
  stepId: string;
  variant: string | null;
  phone: string | null;
  language: string | null;
  /** the case's working personal link, newest first; null when it has none (expired) */
  invite: { code: string; checkWord: string } | null;
}

/** Open SMS steps of the municipality without an outbox row, oldest due first, at most `limit`. */
export async function smsStepsToQueue(store: Store, municipality: string, now: string, limit: number): Promise<SmsStepToQueue[]> {
  const rows = await store.db
    .selectFrom('plan_tasks')
    .innerJoin('cases', 'cases.id', 'plan_tasks.case_id')
    .leftJoin('sms_outbox', 'sms_outbox.task_id', 'plan_tasks.id')
    .select(['plan_tasks.id as task_id', 'plan_tasks.case_id as case_id', 'plan_tasks.step_id as step_id', 'plan_tasks.variant as variant', 'cases.sms_phone as phone', 'cases.language as language'])
    .where('plan_tasks.municipality', '=', municipality)
    .where('plan_tasks.action', '=', 'sms')
    .where('plan_tasks.status', '=', 'open')
    .where('plan_tasks.due_at', '<=', now)
    .where('sms_outbox.id', 'is', null)
    .orderBy('plan_tasks.due_at')
    .orderBy('plan_tasks.id')
    .limit(limit)
    .execute();
  const invites = new Map<string, { code: string; checkWord: string }>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    await breather();
    const found = await store.db
      .selectFrom('invites')
      .select(['case_id', 'code', 'check_word'])
      .where('case_id', 'in', rows.slice(i, i + CHUNK).map((r) => r.case_id))
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .execute();
    for (const f of found) if (f.case_id !== null && !invites.has(f.case_id)) invites.set(f.case_id, { code: f.code, checkWord: f.check_word });
  }
  return rows.map((r) => ({ taskId: r.task_id, caseId: r.case_id, stepId: r.step_id, variant: r.variant, phone: r.phone, language: r.language, invite: invites.get(r.case_id) ?? null }));
}

/** The latest moment an SMS of this municipality is planned for (pending), or null: new ones queue after it. */
export async function lastPlannedSms(store: Store, municipality: string): Promise<string | null> {
  const row = await store.db
    .selectFrom('sms_outbox')
    .select((eb) => eb.fn.max('not_before').as('last'))
    .where('municipality', '=', municipality)
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirst();
  return (row?.last as string | null | undefined) ?? null;
}

export interface NewSms {
  id: string;
  municipality: string;
  caseId: string;
  taskId: string;
  phone: string;
  body: string;
  language: string;
  variant: string | null;
  notBefore: string;
  createdAt: string;
}

/** Queues SMS (one per step: a step queued by another instance already is left as it is). Returns how many were new. */
export async function queueSms(store: Store, rows: readonly NewSms[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < rows.length; i += 200) {
    const result = await store.db
      .insertInto('sms_outbox')
      .values(
        rows.slice(i, i + 200).map((r) => ({
          id: r.id,
          municipality: r.municipality,
          case_id: r.caseId,
          task_id: r.taskId,
          phone: r.phone,
          body: r.body,
          language: r.language,
          variant: r.variant,
          status: 'pending' as const,
          attempts: 0,
          not_before: r.notBefore,
          created_at: r.createdAt,
        })),
      )
      .onConflict((oc) => oc.column('task_id').doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
    await breather();
  }
  return added;
}

/** Plan steps that cannot become an SMS (no number, no working link, a text too long): skipped with the reason. */
export async function skipSmsSteps(store: Store, skipped: readonly { taskId: string; reason: string }[], at: string): Promise<void> {
  for (const [reason, group] of Map.groupBy(skipped, (s) => s.reason)) {
    const ids = group.map((s) => s.taskId);
    for (let i = 0; i < ids.length; i += CHUNK) {
      await store.db.updateTable('plan_tasks').set({ status: 'skipped', reason, updated_at: at }).where('id', 'in', ids.slice(i, i + CHUNK)).where('status', '=', 'open').execute();
    }
  }
}

/** With a NotifyNL key set (again), the SMS steps that waited for one go ahead. */
export async function releaseWaitingSms(store: Store, at: string): Promise<number> {
  const r = await store.db
    .updateTable('plan_tasks')
    .set({ status: 'open', reason: null, updated_at: at })
    .where('action', '=', 'sms')
    .where('status', '=', 'waiting')
    .where('reason', '=', 'noNotifyKey')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Pending SMS that must not go any more: the resident said STOP, the number failed, the case was
 * closed, or the plan stopped (its step is no longer open). Cancelled with the reason, number and text emptied.
 */
export async function cancelUnwantedSms(store: Store, at: string): Promise<number> {
  const pending = await store.db
    .selectFrom('sms_outbox')
    .innerJoin('cases', 'cases.id', 'sms_outbox.case_id')
    .innerJoin('plan_tasks', 'plan_tasks.id', 'sms_outbox.task_id')
    .select(['sms_outbox.id as id', 'cases.status as case_status', 'cases.sms_stopped_at as stopped', 'cases.number_failed_at as failed', 'plan_tasks.status as task_status'])
    .where('sms_outbox.status', '=', 'pending')
    .where((eb) =>
      eb.or([eb('cases.status', '!=', 'open'), eb('cases.sms_stopped_at', 'is not', null), eb('cases.number_failed_at', 'is not', null), eb('plan_tasks.status', '!=', 'open')]),
    )
    .execute();
  const why = (p: (typeof pending)[number]) => (p.stopped ? 'smsStopped' : p.failed ? 'numberFailed' : 'planStopped');
  for (const [failure, group] of Map.groupBy(pending, why)) {
    const ids = group.map((p) => p.id);
    for (let i = 0; i < ids.length; i += CHUNK) {
      await store.db
        .updateTable('sms_outbox')
        .set({ status: 'cancelled', failure, phone: null, body: null, completed_at: at, claimed_by: null, claimed_at: null })
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .where('status', '=', 'pending')
        .execute();
    }
  }
  return pending.length;
}

/** An SMS one run holds (`sending`): what it needs to send it and record what became of it. */
export type ClaimedSms = Pick<NewSms, 'id' | 'municipality' | 'caseId' | 'taskId' | 'phone' | 'body'> & {
  /** including this one */
  attempts: number;
};

const CLAIMED_COLUMNS = ['id', 'municipality', 'case_id', 'task_id', 'phone', 'body', 'attempts'] as const;

function claimedOf(r: { id: string; municipality: string; case_id: string; task_id: string; phone: string | null; body: string | null; attempts: number }): ClaimedSms {
  return { id: r.id, municipality: r.municipality, caseId: r.case_id, taskId: r.task_id, phone: r.phone ?? '', body: r.body ?? '', attempts: r.attempts };
}

/**
 * Takes up to `limit` due pending SMS for one run, in one statement: only rows still `pending`
 * change, so two instances never send the same one (PostgreSQL: SKIP LOCKED; SQLite has one writer).
 */
export async function claimDueSms(store: Store, input: { now: string; limit: number; claimer: string }): Promise<ClaimedSms[]> {
  if (input.limit <= 0) return [];
  const rows = await store.db
    .updateTable('sms_outbox')
    .set((eb) => ({ status: 'sending', claimed_by: input.claimer, claimed_at: input.now, attempts: eb('attempts', '+', 1) }))
    .where('status', '=', 'pending')
    .where('id', 'in', (eb) => {
      const due = eb
        .selectFrom('sms_outbox as due')
        .select('due.id')
        .where('due.status', '=', 'pending')
        .where('due.not_before', '<=', input.now)
        .orderBy('due.not_before')
        .orderBy('due.id')
        .limit(input.limit);
      return store.dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
    })
    .returning([...CLAIMED_COLUMNS, 'not_before'])
    .execute();
  return rows.sort((a, b) => a.not_before.localeCompare(b.not_before) || a.id.localeCompare(b.id)).map(claimedOf);
}

/**
 * SMS a run took and never finished (the instance stopped mid-send): still `sending` after
 * `before`. The caller asks Notify whether it has them before sending again.
 */
export async function strandedSms(store: Store, before: string, limit: number): Promise<ClaimedSms[]> {
  const rows = await store.db
    .selectFrom('sms_outbox')
    .select([...CLAIMED_COLUMNS])
    .where('status', '=', 'sending')
    .where('claimed_at', '<', before)
    .orderBy('claimed_at')
    .limit(limit)
    .execute();
  return rows.map(claimedOf);
}

/** A stranded SMS Notify does not have: pending again, now (it was due already). */
export async function releaseStrandedSms(store: Store, id: string, at: string): Promise<void> {
  await store.db.updateTable('sms_outbox').set({ status: 'pending', claimed_by: null, claimed_at: null, not_before: at }).where('id', '=', id).where('status', '=', 'sending').execute();
}

/**
 * Notify has it: the SMS is sent. In one transaction: the DDAS contact attempt (SMS/Whatsapp, not
 * reached; a receipt may say more later), the row `sent` with Notify's id and without number and
 * text, and the plan step done. Only a row still `sending` changes (false: someone else recorded it).
 */
export async function markSmsSent(store: Store, sms: Pick<ClaimedSms, 'id' | 'municipality' | 'caseId' | 'taskId'>, notifyId: string, at: string): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    const attemptId = randomUUID();
    const done = await trx
      .updateTable('sms_outbox')
      .set({ status: 'sent', notify_id: notifyId, sent_at: at, phone: null, body: null, last_error: null, attempt_id: attemptId, claimed_by: null, claimed_at: null })
      .where('id', '=', sms.id)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return false;
    await insertAttempt(trx, { id: attemptId, municipality: sms.municipality, caseId: sms.caseId, requestId: null, staffId: null, kind: 'sms_whatsapp', reached: false, at });
    await trx.updateTable('plan_tasks').set({ status: 'done', attempt_id: attemptId, updated_at: at }).where('id', '=', sms.taskId).execute();
    return true;
  });
}

/**
 * Notify will never take this number (invalid): the SMS failed, the case's number failed (and is
 * forgotten), its other SMS are cancelled and its SMS steps skipped. The plan job then adds a call.
 */
export async function markSmsRejected(store: Store, sms: Pick<ClaimedSms, 'id' | 'caseId' | 'taskId'>, error: string, at: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sms_outbox')
      .set({ status: 'failed', failure: 'rejected', last_error: error, phone: null, body: null, completed_at: at, claimed_by: null, claimed_at: null })
      .where('id', '=', sms.id)
      .execute();
    await stopCaseSms(trx, sms.caseId, 'numberFailed', at);
  });
}

/*
 * No more SMS for a case: the resident said STOP (an SMS back, or the button on the personal
 * link), or the number does not work (Notify refused it, or its receipt says so). Remembered on
 * the case (the plan job reads it and adds a call for a failed number), the number forgotten, the
 * SMS still waiting cancelled and the SMS steps skipped. Safe to repeat.
 */

/** Why the SMS stop; also the outbox `failure` and the plan step's `reason` (staff read both). */
export type SmsStopReason = 'smsStopped' | 'numberFailed';

/**
 * Stops the plan's SMS of one case. Only rows still `pending` are cancelled: one that is
 * `sending` is with Notify at this moment and cannot be called back; its receipt comes as usual.
 * Returns whether the case had not been stopped for this reason before.
 */
export async function stopCaseSms(db: Db, caseId: string, reason: SmsStopReason, at: string): Promise<boolean> {
  const column = reason === 'smsStopped' ? 'sms_stopped_at' : 'number_failed_at';
  const first = await db
    .updateTable('cases')
    .set(reason === 'smsStopped' ? { sms_stopped_at: at, updated_at: at } : { number_failed_at: at, updated_at: at })
    .where('id', '=', caseId)
    .where(column, 'is', null)
    .executeTakeFirst();
  // cleared every time: the case system may have given the number again after the first stop
  await db.updateTable('cases').set({ sms_phone: null }).where('id', '=', caseId).where('sms_phone', 'is not', null).execute();
  await db
    .updateTable('sms_outbox')
    .set({ status: 'cancelled', failure: reason, phone: null, body: null, completed_at: at, claimed_by: null, claimed_at: null })
    .where('case_id', '=', caseId)
    .where('status', '=', 'pending')
    .execute();
  await db
    .updateTable('plan_tasks')
    .set({ status: 'skipped', reason, updated_at: at })
    .where('case_id', '=', caseId)
    .where('action', '=', 'sms')
    .where('status', 'in', ['open', 'waiting'])
    .execute();
  return Number(first.numUpdatedRows) > 0;
}

/** Whether a case's resident can be offered "no more SMS": they have a number for SMS or got one, and it did not fail. */
export async function smsStopState(db: Db, caseId: string | null): Promise<{ offered: boolean; stopped: boolean }> {
  if (caseId === null) return { offered: false, stopped: false };
  const c = await db.selectFrom('cases').select(['sms_phone', 'sms_stopped_at', 'number_failed_at']).where('id', '=', caseId).executeTakeFirst();
  if (!c) return { offered: false, stopped: false };
  if (c.sms_stopped_at !== null) return { offered: true, stopped: true };
  // no SMS reached a number that failed: the resident came by letter
  if (c.number_failed_at !== null) return { offered: false, stopped: false };
  if (c.sms_phone !== null) return { offered: true, stopped: false };
  const got = await db
    .selectFrom('sms_outbox')
    .select('id')
    .where('case_id', '=', caseId)
    .where('notify_id', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return { offered: got !== undefined, stopped: false };
}

/**
 * Not sent this time (an outage, the rate limit): pending again from `notBefore`; with no tries
 * left (`notBefore` null) failed for good, number and text emptied, and the step skipped.
 */
export async function markSmsRetry(store: Store, sms: Pick<ClaimedSms, 'id' | 'taskId'>, error: string, notBefore: string | null, at: string): Promise<void> {
  if (notBefore !== null) {
    await store.db.updateTable('sms_outbox').set({ status: 'pending', last_error: error, not_before: notBefore, claimed_by: null, claimed_at: null }).where('id', '=', sms.id).where('status', '=', 'sending').execute();
    return;
  }
  await store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sms_outbox')
      .set({ status: 'failed', failure: 'technical-failure', last_error: error, phone: null, body: null, completed_at: at, claimed_by: null, claimed_at: null })
      .where('id', '=', sms.id)
      .execute();
    await trx.updateTable('plan_tasks').set({ status: 'skipped', reason: 'sendFailed', updated_at: at }).where('id', '=', sms.taskId).where('status', '=', 'open').execute();
  });
}

/** The key or template is wrong: the claimed SMS go back unchanged (their try not counted), to wait for a fix. */
export async function unclaimSms(store: Store, ids: readonly string[], notBefore: string, error: string): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    await store.db
      .updateTable('sms_outbox')
      .set((eb) => ({ status: 'pending', last_error: error, not_before: notBefore, claimed_by: null, claimed_at: null, attempts: eb('attempts', '-', 1) }))
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .where('status', '=', 'sending')
      .execute();
  }
}

/** How many SMS of these municipalities are waiting to go, went today and failed today (the staff screen). */
export async function smsCounts(store: Store, municipalities: readonly string[], since: string): Promise<{ queued: number; sent: number; failed: number; nextAt: string | null }> {
  if (municipalities.length === 0) return { queued: 0, sent: 0, failed: 0, nextAt: null };
  const [queued, done] = await Promise.all([
    store.db
      .selectFrom('sms_outbox')
      .select([(eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.min('not_before').as('next')])
      .where('municipality', 'in', [...municipalities])
      .where('status', 'in', ['pending', 'sending'])
      .executeTakeFirst(),
    store.db
      .selectFrom('sms_outbox')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .where('municipality', 'in', [...municipalities])
      .where('status', 'in', ['sent', 'delivered', 'failed'])
      .where((eb) => eb.or([eb('sent_at', '>=', since), eb('completed_at', '>=', since)]))
      .groupBy('status')
      .execute(),
  ]);
  const n = (s: string) => Number(done.find((d) => d.status === s)?.n ?? 0);
  return { queued: Number(queued?.n ?? 0), sent: n('sent') + n('delivered'), failed: n('failed'), nextAt: (queued?.next as string | null | undefined) ?? null };
}

/** Whether the resident's pages offer "no more SMS": SMS come to them, and they have not said STOP yet. */
export async function smsStopOffered(store: Store, caseId: string): Promise<boolean> {
  const state = await smsStopState(store.db, caseId);
  return state.offered && !state.stopped;
}
