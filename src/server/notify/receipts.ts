// SPDX-License-Identifier: EUPL-1.2
/**
 * What NotifyNL tells the portal afterwards: the delivery receipt of an SMS (delivered, or why
 * not) and an SMS a resident sent back. A receipt closes the SMS in the outbox; one that says
 * the number does not exist also stops the case's SMS and records the attempt as a wrong number
 * (the plan job then adds a call). A reply that says STOP stops the SMS of every open case with
 * that number. Both are safe to get twice: Notify sends again whatever it was not sure we got.
 *
 * The rule for receipts: only an SMS that is `sent` takes one, and the first final receipt
 * stands. A second receipt for the same SMS (the same again, or a late "delivered" after a
 * failure) changes nothing: the case may have moved on to a call on the strength of the first.
 */
import { sql } from 'kysely';
import { isId } from '../../lib/ids.ts';
import { phoneE164 } from '../../lib/phone.ts';
import type { Store } from '../store/index.ts';
import type { SmsStatus } from '../store/schema.ts';
import { stopCaseSms } from '../store/sms.ts';

/** Notify's final SMS statuses, and what each makes of the SMS in the outbox. */
export const FINAL_STATUSES = ['delivered', 'permanent-failure', 'temporary-failure', 'technical-failure'] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];

/** A delivery receipt as Notify posts it (the fields the portal uses). */
export interface NotifyReceipt {
  /** Notify's id of the SMS */
  id: string;
  /** what the portal gave as reference: the outbox row's id */
  reference: string | null;
  status: string;
  completedAt: string | null;
}

export type ReceiptOutcome =
  /** no SMS of ours: acknowledged, so Notify does not send it again for ever */
  | { kind: 'unknown' }
  /** not a final status (sending, pending): nothing to record */
  | { kind: 'notFinal' }
  /** ours, but not recorded as sent yet (a send cut off halfway): Notify should send it again later */
  | { kind: 'notYet' }
  | { kind: 'recorded'; status: FinalStatus; numberFailed: boolean }
  /** a receipt was recorded before, or the SMS was never sent: the first stands */
  | { kind: 'already'; status: SmsStatus };

function isFinal(status: string): status is FinalStatus {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

/** Notify's time (with microseconds) as the store keeps times; now when it gives none or nonsense. */
function storedTime(value: string | null, now: Date): string {
  const time = value === null ? Number.NaN : Date.parse(value);
  return Number.isNaN(time) ? now.toISOString() : new Date(time).toISOString();
}

export async function applyReceipt(store: Store, receipt: NotifyReceipt, now = new Date()): Promise<ReceiptOutcome> {
  const status = receipt.status;
  if (!isFinal(status)) return { kind: 'notFinal' };
  const at = now.toISOString();
  const completedAt = storedTime(receipt.completedAt, now);
  return store.db.transaction().execute(async (trx): Promise<ReceiptOutcome> => {
    const columns = ['id', 'case_id', 'status', 'notify_id', 'attempt_id'] as const;
    let sms = await trx.selectFrom('sms_outbox').select(columns).where('notify_id', '=', receipt.id).executeTakeFirst();
    // Notify's id is recorded with `sent`; before that the reference (our id) is what finds it
    if (!sms && isId(receipt.reference)) {
      const byReference = await trx.selectFrom('sms_outbox').select(columns).where('id', '=', receipt.reference).executeTakeFirst();
      if (byReference && (byReference.notify_id === null || byReference.notify_id === receipt.id)) sms = byReference;
    }
    if (!sms) return { kind: 'unknown' };
    if (sms.status === 'pending' || sms.status === 'sending') return { kind: 'notYet' };
    if (sms.status !== 'sent') return { kind: 'already', status: sms.status };
    const done = await trx
      .updateTable('sms_outbox')
      .set(status === 'delivered' ? { status: 'delivered', completed_at: completedAt } : { status: 'failed', failure: status, completed_at: completedAt })
      .where('id', '=', sms.id)
      .where('status', '=', 'sent')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return { kind: 'already', status: sms.status };
    let numberFailed = false;
    if (status === 'permanent-failure') {
      // the number does not exist (or no longer): what staff would record after a call to it
      if (sms.attempt_id !== null) await trx.updateTable('case_attempts').set({ result: 'wrong_number' }).where('id', '=', sms.attempt_id).execute();
      numberFailed = await stopCaseSms(trx, sms.case_id, 'numberFailed', at);
    }
    return { kind: 'recorded', status, numberFailed };
  });
}

/** An SMS a resident sent to the service's number, as Notify posts it (the fields the portal uses). */
export interface NotifyInbound {
  sourceNumber: string;
  content: string;
}

export type InboundOutcome =
  | { kind: 'notStop' }
  /** STOP, but from a number no open case has (or one that cannot be read) */
  | { kind: 'unknownNumber' }
  /** `cases` open cases had this number; `newly` of them had not said STOP before */
  | { kind: 'stopped'; cases: number; newly: number };

/**
 * What counts as STOP, after trimming, lower case and without punctuation: what the SMS asks
 * for and what people type instead. A longer message is a message, not a STOP: staff never see
 * it (the portal keeps no SMS content), so only an unmistakable one stops anything.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(['stop', 'stoppen', 'stop sms', 'sms stop', 'geen sms', 'geen sms meer', 'afmelden', 'uitschrijven', 'unsubscribe', 'стоп']);

export function isStopMessage(content: string): boolean {
  const words = content.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return STOP_WORDS.has(words);
}

/**
 * A number as Notify or a case system writes it, in E.164, or null. Notify gives international
 * numbers without the plus (447700900123, 31612345678); a Dutch one may come as dialled at home
 * (0612345678). Digits that do not start with 0 are read as international first.
 */
export function numberE164(raw: string): string | null {
  const typed = raw.trim();
  const digits = typed.replace(/[\s().\-/]/g, '');
  const tries = /^[1-9]\d+$/.test(digits) ? [`+${digits}`, typed] : [typed];
  for (const t of tries) {
    const checked = phoneE164(t);
    if (checked.ok) return checked.e164;
  }
  return null;
}

/** The open cases whose SMS number is this one (E.164), however the stored number was written. */
async function openCasesWithNumber(store: Store, e164: string): Promise<string[]> {
  // the last nine digits narrow it down in SQL (separators taken out); the number itself decides
  const tail = e164.replace(/\D/g, '').slice(-9);
  const rows = await store.db
    .selectFrom('cases')
    .select(['id', 'sms_phone'])
    .where('status', '=', 'open')
    .where('sms_phone', 'is not', null)
    .where((eb) =>
      eb.or([eb('sms_phone', '=', e164), eb(sql<string>`replace(replace(replace(replace(sms_phone, ' ', ''), '-', ''), '.', ''), '/', '')`, 'like', `%${tail}`)]),
    )
    .execute();
  return rows.filter((r) => r.sms_phone !== null && numberE164(r.sms_phone) === e164).map((r) => r.id);
}

export async function applyInboundSms(store: Store, sms: NotifyInbound, now = new Date()): Promise<InboundOutcome> {
  if (!isStopMessage(sms.content)) return { kind: 'notStop' };
  const e164 = numberE164(sms.sourceNumber);
  if (e164 === null) return { kind: 'unknownNumber' };
  const cases = await openCasesWithNumber(store, e164);
  if (cases.length === 0) return { kind: 'unknownNumber' };
  const at = now.toISOString();
  const newly = await store.db.transaction().execute(async (trx) => {
    let n = 0;
    for (const id of cases) if (await stopCaseSms(trx, id, 'smsStopped', at)) n++;
    return n;
  });
  return { kind: 'stopped', cases: cases.length, newly };
}
