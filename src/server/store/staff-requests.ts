// SPDX-License-Identifier: EUPL-1.2
/**
 * Call-back requests as staff work them: the queue, one request, assigning, contact attempts,
 * closing, and clearing personal data. Every read and write takes the municipalities the staff
 * member serves and filters on them in SQL, so another municipality's row is never even loaded.
 */
import type { Kysely, Transaction } from 'kysely';
import { toCallbackRequest, type CallbackRequest } from './callbacks.ts';
import type { Store } from './index.ts';
import { CONTACT_KINDS, END_RESULTS, type ContactKind, type DayPart, type EndResult, type SignalPartner } from '../../lib/ddas.ts';
import { insertAttempt } from './attempts.ts';
import type { CallbackRequestRow, ContactResult, Database } from './schema.ts';

export type { ContactKind, ContactResult } from './schema.ts';

export const REQUEST_STATUSES = ['new', 'in_progress', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** How staff tried: every DDAS contactsoort, in the model's order. */
export { CONTACT_KINDS };
export const CONTACT_RESULTS = ['reached', 'not_reached', 'voicemail', 'wrong_number'] as const satisfies readonly ContactResult[];
/** How a request (and its case) ends: the 15 DDAS end results. */
export const OUTCOMES = END_RESULTS;
export type Outcome = EndResult;
/** Notes are codes from this list, never free text: free text invites personal data. */
export const NOTE_CODES = ['call_back_later', 'other_moment_agreed', 'interpreter_needed', 'asked_to_call_us', 'visit_planned'] as const;
export type NoteCode = (typeof NOTE_CODES)[number];

/** What a write on a request came to: done, no such request for this staff member, or already closed. */
export type WriteResult = 'ok' | 'notFound' | 'closed';

type Db = Kysely<Database> | Transaction<Database>;

/** What the queue can be narrowed to; every field is optional. */
export interface QueueFilter {
  status?: 'new' | 'in_progress';
  urgent?: boolean;
  /** only requests assigned to this staff member */
  assignedTo?: string;
  language?: string;
  /** one of the municipalities (it must be among those given) */
  municipality?: string;
  /** requests whose case has a signal of this partner */
  partner?: SignalPartner;
}

/** Every open request of these municipalities (new and in progress), urgent first, then oldest first. */
export async function listOpenRequests(store: Store, municipalities: readonly string[], filter: QueueFilter = {}): Promise<CallbackRequest[]> {
  return (await queuePageOf(store, municipalities, filter, { limit: 100_000, offset: 0 })).items;
}

/**
 * One page of the open requests of these municipalities, narrowed by `filter`, urgent first, then
 * oldest first, and how many there are in all.
 */
export async function queuePageOf(
  store: Store,
  municipalities: readonly string[],
  filter: QueueFilter,
  page: { limit: number; offset: number },
): Promise<{ items: CallbackRequest[]; total: number }> {
  const among = filter.municipality ? municipalities.filter((m) => m === filter.municipality) : [...municipalities];
  if (among.length === 0) return { items: [], total: 0 };
  let query = store.db
    .selectFrom('callback_requests')
    .where('municipality', 'in', among)
    .where('status', 'in', filter.status ? [filter.status] : ['new', 'in_progress']);
  if (filter.urgent !== undefined) query = query.where('urgent', '=', filter.urgent ? 1 : 0);
  if (filter.assignedTo) query = query.where('assigned_to', '=', filter.assignedTo);
  if (filter.language) query = query.where('language', '=', filter.language);
  if (filter.partner) {
    const partner = filter.partner;
    query = query.where((eb) => eb.exists(eb.selectFrom('signals').select('signals.id').whereRef('signals.case_id', '=', 'callback_requests.case_id').where('signals.partner', '=', partner)));
  }
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    query.selectAll().orderBy('urgent', 'desc').orderBy('created_at', 'asc').orderBy('id', 'asc').limit(page.limit).offset(page.offset).execute(),
  ]);
  return { items: rows.map(toCallbackRequest), total: Number(count?.n ?? 0) };
}

/** The request, only when it belongs to one of these municipalities. */
export async function getRequestFor(store: Store, id: string, municipalities: readonly string[]): Promise<CallbackRequest | undefined> {
  const row = await findIn(store.db, id, municipalities);
  return row && toCallbackRequest(row);
}

/**
 * Assigns the request to this staff member (taking it over from a colleague, if need be); a new
 * request becomes in progress. A closed request stays as it is.
 */
export async function assignRequest(
  store: Store,
  input: { id: string; municipalities: readonly string[]; staffId: string; at: string },
): Promise<WriteResult> {
  if (input.municipalities.length === 0) return 'notFound';
  const result = await store.db
    .updateTable('callback_requests')
    .set((eb) => ({
      assigned_to: input.staffId,
      status: eb.case().when('status', '=', 'new').then('in_progress').else(eb.ref('status')).end(),
      updated_at: input.at,
    }))
    .where('id', '=', input.id)
    .where('municipality', 'in', [...input.municipalities])
    .where('status', '<>', 'closed')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) > 0) return 'ok';
  return (await findIn(store.db, input.id, input.municipalities)) ? 'closed' : 'notFound';
}

/**
 * Records one attempt to reach the resident, on the request and on its case; the first one makes
 * a new request in progress. Date and part of the day are the moment's unless staff gave others.
 */
export async function recordContactAttempt(
  store: Store,
  input: {
    id: string;
    requestId: string;
    municipalities: readonly string[];
    staffId: string;
    kind: ContactKind;
    result: ContactResult;
    noteCode: string | null;
    onDate?: string;
    dayPart?: DayPart;
    at: string;
  },
): Promise<WriteResult> {
  if (input.municipalities.length === 0) return 'notFound';
  return store.db.transaction().execute(async (trx): Promise<WriteResult> => {
    // The status update doubles as the check (and, on PostgreSQL, locks the row until commit),
    // so an attempt cannot slip in beside a close on another instance.
    const updated = await trx
      .updateTable('callback_requests')
      .set((eb) => ({
        status: eb.case().when('status', '=', 'new').then('in_progress').else(eb.ref('status')).end(),
        updated_at: input.at,
      }))
      .where('id', '=', input.requestId)
      .where('municipality', 'in', [...input.municipalities])
      .where('status', '<>', 'closed')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      return (await findIn(trx, input.requestId, input.municipalities)) ? 'closed' : 'notFound';
    }
    const request = await findIn(trx, input.requestId, input.municipalities);
    if (!request) return 'notFound';
    await insertAttempt(trx, {
      id: input.id,
      municipality: request.municipality,
      caseId: request.case_id,
      requestId: input.requestId,
      staffId: input.staffId,
      kind: input.kind,
      reached: input.result === 'reached',
      result: input.result,
      noteCode: input.noteCode,
      ...(input.onDate ? { onDate: input.onDate } : {}),
      ...(input.dayPart ? { dayPart: input.dayPart } : {}),
      at: input.at,
    });
    return 'ok';
  });
}

/**
 * Closes the request with a DDAS end result, once: closing it again is refused ('closed'). Its
 * case, when it has one that is still open, closes with the same result.
 */
export async function closeRequest(
  store: Store,
  input: { id: string; municipalities: readonly string[]; outcome: Outcome; staffId: string; at: string },
): Promise<WriteResult> {
  if (input.municipalities.length === 0) return 'notFound';
  return store.db.transaction().execute(async (trx): Promise<WriteResult> => {
    const result = await trx
      .updateTable('callback_requests')
      .set((eb) => ({
        status: 'closed',
        outcome: input.outcome,
        closed_at: input.at,
        updated_at: input.at,
        // Whoever closes it is the one who handled it, if no one had taken it yet.
        assigned_to: eb.fn.coalesce('assigned_to', eb.val(input.staffId)),
      }))
      .where('id', '=', input.id)
      .where('municipality', 'in', [...input.municipalities])
      .where('status', '<>', 'closed')
      .executeTakeFirst();
    const request = await findIn(trx, input.id, input.municipalities);
    if (Number(result.numUpdatedRows) === 0) return request ? 'closed' : 'notFound';
    if (request?.case_id) {
      await trx
        .updateTable('cases')
        .set({ status: 'closed', end_result: input.outcome, closed_at: input.at, updated_at: input.at, sms_phone: null })
        .where('id', '=', request.case_id)
        .where('status', '=', 'open')
        .execute();
    }
    return 'ok';
  });
}

/**
 * Clears phone number and first name of up to `limit` requests of one municipality whose
 * retention started before `cutoff` (closed_at, or created_at when never closed), and their
 * outbox payloads. Returns the
 * ids cleared; call again until it returns fewer than `limit`.
 */
export async function clearPersonalData(
  store: Store,
  input: { municipality: string; cutoff: string; at: string; limit: number },
): Promise<string[]> {
  return store.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('callback_requests')
      .select('id')
      .where('municipality', '=', input.municipality)
      .where('personal_data_deleted_at', 'is', null)
      .where((eb) => eb(eb.fn.coalesce('closed_at', 'created_at'), '<', input.cutoff))
      .orderBy('created_at')
      .orderBy('id')
      .limit(input.limit)
      .execute();
    const ids = rows.map((r) => r.id);
    if (ids.length === 0) return [];
    await trx
      .updateTable('callback_requests')
      .set({ phone: null, first_name: null, personal_data_deleted_at: input.at, updated_at: input.at })
      .where('id', 'in', ids)
      .where('personal_data_deleted_at', 'is', null)
      .execute();
    // The outbox keeps a copy of the phone number until delivery; it goes with the request's.
    // An event not delivered by now never will be: it fails, and cannot be retried.
    await trx
      .updateTable('outbox')
      .set({ status: 'failed', last_error: 'retention: personal data deleted before delivery' })
      .where('request_id', 'in', ids)
      .where('status', '=', 'pending')
      .execute();
    await trx.updateTable('outbox').set({ payload: null }).where('request_id', 'in', ids).where('payload', 'is not', null).execute();
    return ids;
  });
}

function findIn(db: Db, id: string, municipalities: readonly string[]): Promise<CallbackRequestRow | undefined> {
  if (municipalities.length === 0) return Promise.resolve(undefined);
  return db
    .selectFrom('callback_requests')
    .selectAll()
    .where('id', '=', id)
    .where('municipality', 'in', [...municipalities])
    .executeTakeFirst();
}
