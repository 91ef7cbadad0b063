// SPDX-License-Identifier: EUPL-1.2
/**
 * The outbox of events for municipalities' case systems: written with the call-back request,
 * claimed by one delivery run at a time (safe with several instances), marked delivered once.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Store } from './index.ts';
import type { Database, OutboxRow, OutboxStatus } from './schema.ts';

export type { OutboxStatus } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewOutboxEvent {
  id: string;
  requestId: string;
  municipality: string;
  eventType: string;
  /** the exact body to send */
  payload: string;
  createdAt: string;
}

/** A row one delivery run holds (status `delivering`), with everything needed to send it. */
export interface ClaimedDelivery {
  id: string;
  requestId: string;
  municipality: string;
  eventType: string;
  payload: string;
  /** including this one */
  attempts: number;
  claimedBy: string;
}

export interface Delivery {
  id: string;
  requestId: string;
  reference: string;
  municipality: string;
  eventType: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  /** false once delivered, or once retention emptied it: there is nothing left to send */
  hasPayload: boolean;
}

/** Inside the transaction that stores the request (src/server/store/callbacks.ts). */
export async function insertOutboxEvent(db: Db, event: NewOutboxEvent): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      id: event.id,
      request_id: event.requestId,
      municipality: event.municipality,
      event_type: event.eventType,
      payload: event.payload,
      status: 'pending',
      attempts: 0,
      next_attempt_at: event.createdAt,
      created_at: event.createdAt,
    })
    .execute();
}

/**
 * Takes up to `limit` due pending rows of these municipalities for one run, in one statement:
 * only rows still `pending` change, so two instances never hold the same row. On PostgreSQL the
 * candidates are locked with SKIP LOCKED, so a second instance takes the next rows instead of
 * waiting; SQLite runs one writer at a time, which gives the same.
 */
export async function claimDueDeliveries(
  store: Store,
  input: { municipalities: readonly string[]; now: string; limit: number; claimer: string },
): Promise<ClaimedDelivery[]> {
  if (input.municipalities.length === 0 || input.limit <= 0) return [];
  const rows = await store.db
    .updateTable('outbox')
    .set((eb) => ({
      status: 'delivering',
      claimed_by: input.claimer,
      claimed_at: input.now,
      last_attempt_at: input.now,
      attempts: eb('attempts', '+', 1),
    }))
    .where('status', '=', 'pending')
    .where('id', 'in', (eb) => {
      const due = eb
        .selectFrom('outbox as due')
        .select('due.id')
        .where('due.status', '=', 'pending')
        .where('due.payload', 'is not', null)
        .where('due.next_attempt_at', '<=', input.now)
        .where('due.municipality', 'in', [...input.municipalities])
        .orderBy('due.next_attempt_at')
        .orderBy('due.id')
        .limit(input.limit);
      return store.dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
    })
    .returning(['id', 'request_id', 'municipality', 'event_type', 'payload', 'attempts', 'claimed_by'])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    requestId: r.request_id,
    municipality: r.municipality,
    eventType: r.event_type,
    payload: r.payload ?? '',
    attempts: r.attempts,
    claimedBy: r.claimed_by ?? input.claimer,
  }));
}

/**
 * The receiver acknowledged: delivered, once. Only the run that holds the row records it; the
 * payload (with the phone number) is emptied, since the case system has it now.
 */
export async function markDelivered(store: Store, input: { id: string; claimer: string; at: string }): Promise<boolean> {
  const result = await store.db
    .updateTable('outbox')
    .set({ status: 'delivered', delivered_at: input.at, payload: null, last_error: null, claimed_by: null, claimed_at: null })
    .where('id', '=', input.id)
    .where('status', '=', 'delivering')
    .where('claimed_by', '=', input.claimer)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Not acknowledged: back to pending for `nextAttemptAt`, or failed when that is null (no tries left). */
export async function markAttemptFailed(
  store: Store,
  input: { id: string; claimer: string; at: string; error: string; nextAttemptAt: string | null },
): Promise<boolean> {
  const result = await store.db
    .updateTable('outbox')
    .set({
      // Retention may have emptied the payload meanwhile: then there is nothing to send again.
      status: input.nextAttemptAt === null ? 'failed' : sql<OutboxStatus>`case when payload is null then 'failed' else 'pending' end`,
      next_attempt_at: input.nextAttemptAt ?? input.at,
      last_error: input.error.slice(0, 200),
      claimed_by: null,
      claimed_at: null,
    })
    .where('id', '=', input.id)
    .where('status', '=', 'delivering')
    .where('claimed_by', '=', input.claimer)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Rows left `delivering` by a run that never finished (its instance crashed or was killed) go
 * back to pending now, or to failed when they had no tries left. The receiver may have got
 * them: it deduplicates on the delivery id.
 */
export async function releaseStuckDeliveries(
  store: Store,
  input: { claimedBefore: string; now: string; maxAttempts: number },
): Promise<number> {
  const result = await store.db
    .updateTable('outbox')
    .set({
      status: sql<OutboxStatus>`case when attempts >= ${input.maxAttempts} then 'failed' else 'pending' end`,
      next_attempt_at: input.now,
      last_error: 'interrupted: no answer recorded (instance stopped or crashed)',
      claimed_by: null,
      claimed_at: null,
    })
    .where('status', '=', 'delivering')
    .where('claimed_at', '<', input.claimedBefore)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

const deliveryColumns = [
  'outbox.id',
  'outbox.request_id',
  'callback_requests.reference',
  'outbox.municipality',
  'outbox.event_type',
  'outbox.status',
  'outbox.attempts',
  'outbox.next_attempt_at',
  'outbox.last_error',
  'outbox.last_attempt_at',
  'outbox.delivered_at',
  'outbox.created_at',
  'outbox.payload',
] as const;

function deliveriesOf(db: Db) {
  return db.selectFrom('outbox').innerJoin('callback_requests', 'callback_requests.id', 'outbox.request_id').select(deliveryColumns);
}

type DeliveryRow = Pick<OutboxRow, 'id' | 'request_id' | 'municipality' | 'event_type' | 'status' | 'attempts' | 'next_attempt_at' | 'last_error' | 'last_attempt_at' | 'delivered_at' | 'created_at' | 'payload'> & {
  reference: string;
};

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    requestId: row.request_id,
    reference: row.reference,
    municipality: row.municipality,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
    hasPayload: row.payload !== null,
  };
}

/** One delivery, only when it belongs to one of these municipalities. */
export async function getDelivery(store: Store, id: string, municipalities: readonly string[]): Promise<Delivery | undefined> {
  if (municipalities.length === 0) return undefined;
  const row = await deliveriesOf(store.db).where('outbox.id', '=', id).where('outbox.municipality', 'in', [...municipalities]).executeTakeFirst();
  return row && toDelivery(row);
}

/** The deliveries of a request (tests and support), oldest first. */
export async function deliveriesOfRequest(store: Store, requestId: string): Promise<Delivery[]> {
  const rows = await deliveriesOf(store.db).where('outbox.request_id', '=', requestId).orderBy('outbox.created_at').execute();
  return rows.map(toDelivery);
}

/**
 * What an administrator must look at: failed deliveries, and pending ones that failed at least
 * once, of these municipalities; failed first, then the oldest.
 */
export async function listDeliveryProblems(store: Store, municipalities: readonly string[], limit = 200): Promise<Delivery[]> {
  if (municipalities.length === 0) return [];
  const rows = await deliveriesOf(store.db)
    .where('outbox.municipality', 'in', [...municipalities])
    .where((eb) => eb.or([eb('outbox.status', '=', 'failed'), eb.and([eb('outbox.status', '=', 'pending'), eb('outbox.last_error', 'is not', null)])]))
    .orderBy(sql`case when outbox.status = 'failed' then 0 else 1 end`)
    .orderBy('outbox.created_at')
    .orderBy('outbox.id')
    .limit(limit)
    .execute();
  return rows.map(toDelivery);
}

export type RetryResult = { kind: 'ok'; previous: Delivery } | { kind: 'notFound' } | { kind: 'notRetryable'; previous: Delivery };

/**
 * An administrator's "try again": a failed (or waiting, already failed once) delivery of these
 * municipalities goes back to pending, due now, with a new series of attempts. A delivered row,
 * one being sent, or one without payload (retention) is left alone.
 */
export async function retryDelivery(store: Store, input: { id: string; municipalities: readonly string[]; now: string }): Promise<RetryResult> {
  const previous = await getDelivery(store, input.id, input.municipalities);
  if (!previous) return { kind: 'notFound' };
  const result = await store.db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: input.now, attempts: 0 })
    .where('id', '=', input.id)
    .where('municipality', 'in', [...input.municipalities])
    .where('status', 'in', ['failed', 'pending'])
    .where('payload', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? { kind: 'ok', previous } : { kind: 'notRetryable', previous };
}

/** Rows not yet delivered, per municipality and status (the backlog gauge in /metrics). */
export async function outboxBacklog(store: Store): Promise<{ municipality: string; status: OutboxStatus; count: number }[]> {
  const rows = await store.db
    .selectFrom('outbox')
    .select((eb) => ['municipality', 'status', eb.fn.countAll<number>().as('count')])
    .where('status', 'in', ['pending', 'delivering', 'failed'])
    .groupBy(['municipality', 'status'])
    .execute();
  return rows.map((r) => ({ municipality: r.municipality, status: r.status, count: Number(r.count) }));
}
