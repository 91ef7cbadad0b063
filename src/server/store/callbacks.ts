// SPDX-License-Identifier: EUPL-1.2
/**
 * Callback requests: creating them exactly once per idempotency key (with their outbox event
 * for the case system, when there is one), and reading them back. The only module that writes a
 * resident's phone number.
 */
import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import { prepared, type Store } from './index.ts';
import type { ContactKind } from '../../lib/ddas.ts';
import { insertAttempt } from './attempts.ts';
import { insertOutboxEvent } from './outbox.ts';
import type { CallbackRequestRow, CallbackRequestsTable, Database, IdempotencyKeyRow } from './schema.ts';

export interface CallbackRequestInput {
  municipality: string;
  conversationId?: string | null;
  inviteId?: string | null;
  channel: string;
  language: string;
  topic: string;
  urgent: boolean;
  /** Answer codes only: the fields flows/answers.ts keeps in the answers JSON. */
  answers: Record<string, unknown>;
  /** E.164. */
  phone: string;
  firstName?: string | null;
  consent: boolean;
  /** the DDAS case of the invitation the resident came through */
  caseId?: string | null;
  /** a finished conversation through a case's link is reached contact by this kind (the municipality's rule) */
  reachedThrough?: ContactKind | null;
}

export interface CallbackCreatedBody {
  id: string;
  reference: string;
  status: 'new';
  createdAt: string;
}

/**
 * An event for the municipality's case system, written to the outbox in the same transaction as
 * the request (so both are stored or neither). `body` gives the exact JSON to send, given the
 * new request and the delivery id.
 */
export interface OutboxEventInput {
  eventType: string;
  body: (created: CallbackCreatedBody, deliveryId: string) => string;
}

export type CreateCallbackResult =
  | { created: true; replay?: never; conflict?: never; status: 201; body: CallbackCreatedBody }
  | { replay: true; created?: never; conflict?: never; status: number; body: CallbackCreatedBody }
  | { conflict: true; created?: never; replay?: never };

export interface CallbackRequest {
  id: string;
  reference: string;
  municipality: string;
  conversationId: string | null;
  inviteId: string | null;
  channel: string;
  language: string;
  topic: string;
  urgent: boolean;
  answers: Record<string, unknown>;
  phone: string | null;
  firstName: string | null;
  consent: boolean;
  status: string;
  assignedTo: string | null;
  outcome: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  personalDataDeletedAt: string | null;
  /** the DDAS case, when the request came through a case's personal link */
  caseId: string | null;
}

const IDEMPOTENCY_SCOPE = 'callback';
/** No 0/O, 1/I/L: the reference is read aloud over the phone and typed by staff. */
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** 31^8 ≈ 8.5e11 codes, so a collision is rare; a few fresh draws make it a non-event. */
const MAX_ATTEMPTS = 5;

/** `XXXX-XXXX` drawn with a CSPRNG; derived from nothing, so it reveals nothing about anyone. */
export function newReference(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * Stores a callback request once. With an idempotency key, a repeat of the same request
 * (same `requestHash`) replays the first response, and a different request under the same
 * key is a conflict. Safe when identical requests race: the (scope, key) primary key lets
 * only one commit, and the losers read the winner's row.
 */
export async function createCallbackRequest(
  store: Store,
  input: CallbackRequestInput,
  options: { idempotencyKey?: string; /** what a repeat under the key must match (with a key) */ requestHash?: string; outbox?: OutboxEventInput },
): Promise<CreateCallbackResult> {
  const key = options.idempotencyKey;
  const answers = JSON.stringify(input.answers);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = new Date().toISOString();
    const body: CallbackCreatedBody = {
      id: randomUUID(),
      reference: newReference(),
      status: 'new',
      createdAt: now,
    };
    try {
      // A request alone is one statement, atomic on its own: no transaction to open and commit.
      const reached = input.caseId && input.reachedThrough ? input.reachedThrough : null;
      if (key === undefined && !options.outbox && !reached) {
        await insertRow(store.db, input, body, answers, now);
        return { created: true, status: 201, body };
      }
      return await store.db.transaction().execute(async (trx): Promise<CreateCallbackResult> => {
        if (key !== undefined) {
          const existing = await findKey(trx, key);
          if (existing) return answerRepeat(existing, options.requestHash ?? '');
        }
        await insertRow(trx, input, body, answers, now);
        if (reached) {
          await insertAttempt(trx, { id: randomUUID(), municipality: input.municipality, caseId: input.caseId ?? null, requestId: body.id, staffId: null, kind: reached, reached: true, at: now });
        }
        if (options.outbox) {
          const deliveryId = randomUUID();
          await insertOutboxEvent(trx, {
            id: deliveryId,
            requestId: body.id,
            municipality: input.municipality,
            eventType: options.outbox.eventType,
            payload: options.outbox.body(body, deliveryId),
            createdAt: now,
          });
        }
        if (key !== undefined) {
          await trx
            .insertInto('idempotency_keys')
            .values({
              scope: IDEMPOTENCY_SCOPE,
              key,
              request_hash: options.requestHash ?? '',
              status: 201,
              body: JSON.stringify(body),
              created_at: now,
            })
            .execute();
        }
        return { created: true, status: 201, body };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Either a concurrent request with our key committed first (PostgreSQL makes our
      // insert wait for it, then fail), or the reference was already taken. The rollback
      // undid our row; the key's row tells which case it was.
      if (key !== undefined) {
        const existing = await findKey(store.db, key);
        if (existing) return answerRepeat(existing, options.requestHash ?? '');
      }
    }
  }
  throw new Error(`No free callback reference after ${MAX_ATTEMPTS} attempts`);
}

/** The insert's SQL per dialect, compiled once: the statement is the same for every request, only its values differ. */
const insertSql = new WeakMap<object, string>();

function insertRow(db: Kysely<Database>, input: CallbackRequestInput, body: CallbackCreatedBody, answers: string, now: string) {
  const row: Insertable<CallbackRequestsTable> = {
    id: body.id,
    reference: body.reference,
    municipality: input.municipality,
    conversation_id: input.conversationId ?? null,
    invite_id: input.inviteId ?? null,
    channel: input.channel,
    language: input.language,
    topic: input.topic,
    urgent: input.urgent ? 1 : 0,
    answers,
    phone: input.phone,
    first_name: input.firstName ?? null,
    consent: input.consent ? 1 : 0,
    status: body.status,
    assigned_to: null,
    outcome: null,
    created_at: now,
    updated_at: now,
    closed_at: null,
    personal_data_deleted_at: null,
    case_id: input.caseId ?? null,
  };
  const adapter = db.getExecutor().adapter;
  let text = insertSql.get(adapter);
  if (text === undefined) {
    text = prepared(db.insertInto('callback_requests').values(row).compile().sql);
    insertSql.set(adapter, text);
  }
  // Kysely binds the values in the order of the row's keys, which is the order they are given here
  return db.executeQuery(CompiledQuery.raw(text, Object.values(row)));
}

export async function getCallbackRequest(store: Store, id: string): Promise<CallbackRequest | undefined> {
  const row = await store.db.selectFrom('callback_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCallbackRequest(row);
}

/** In queue order: urgent first, then oldest first. */
export async function listCallbackRequests(
  store: Store,
  municipality: string,
  filter: { status?: string } = {},
): Promise<CallbackRequest[]> {
  let query = store.db.selectFrom('callback_requests').selectAll().where('municipality', '=', municipality);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const rows = await query.orderBy('urgent', 'desc').orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
  return rows.map(toCallbackRequest);
}

function findKey(db: Kysely<Database>, key: string): Promise<IdempotencyKeyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('scope', '=', IDEMPOTENCY_SCOPE)
    .where('key', '=', key)
    .executeTakeFirst();
}

function answerRepeat(row: IdempotencyKeyRow, requestHash: string): CreateCallbackResult {
  if (row.request_hash !== requestHash) return { conflict: true };
  return { replay: true, status: row.status, body: JSON.parse(row.body) as CallbackCreatedBody };
}

/** PostgreSQL unique_violation, or SQLite SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; errcode?: unknown };
  return e.code === '23505' || (e.code === 'ERR_SQLITE_ERROR' && (e.errcode === 2067 || e.errcode === 1555));
}

/** A row as callers see it (answers parsed, 0/1 as booleans); shared with the staff queries. */
export function toCallbackRequest(row: CallbackRequestRow): CallbackRequest {
  return {
    id: row.id,
    reference: row.reference,
    municipality: row.municipality,
    conversationId: row.conversation_id,
    inviteId: row.invite_id,
    channel: row.channel,
    language: row.language,
    topic: row.topic,
    urgent: row.urgent === 1,
    answers: JSON.parse(row.answers) as Record<string, unknown>,
    phone: row.phone,
    firstName: row.first_name,
    consent: row.consent === 1,
    status: row.status,
    assignedTo: row.assigned_to,
    outcome: row.outcome,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    personalDataDeletedAt: row.personal_data_deleted_at,
    caseId: row.case_id,
  };
}

/** Requests waiting in the staff queue (new or in progress), per municipality; for /metrics. */
export async function openRequestCounts(store: Store): Promise<{ municipality: string; count: number }[]> {
  const rows = await store.db
    .selectFrom('callback_requests')
    .select((eb) => ['municipality', eb.fn.countAll<number>().as('count')])
    .where('status', 'in', ['new', 'in_progress'])
    .groupBy('municipality')
    .execute();
  return rows.map((r) => ({ municipality: r.municipality, count: Number(r.count) }));
}

export type SupplementResult = { kind: 'ok'; request: CallbackRequest } | { kind: 'notFound' } | { kind: 'closed' };

/** How long after sending a resident may still add the optional answers. */
const SUPPLEMENT_DAYS = 7;

/**
 * Adds the optional answers given after the request was stored. Only the device that sent it
 * knows its conversation id (the proof); a closed request, or one whose personal data is gone,
 * takes nothing more. Each given answer replaces what was there. With `outbox`, the case
 * system hears of it in the same transaction.
 */
export async function supplementCallbackRequest(
  store: Store,
  id: string,
  conversationId: string,
  change: { answers: Record<string, unknown>; firstName?: string | null },
  outbox?: (request: CallbackRequest, deliveryId: string) => { eventType: string; payload: string },
  now = new Date(),
): Promise<SupplementResult> {
  return store.db.transaction().execute(async (trx): Promise<SupplementResult> => {
    const row = await trx.selectFrom('callback_requests').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.conversation_id === null || !sameSecret(row.conversation_id, conversationId))
      return { kind: 'notFound' };
    const tooOld = now.getTime() - new Date(row.created_at).getTime() > SUPPLEMENT_DAYS * 86_400_000;
    if (row.status === 'closed' || row.personal_data_deleted_at !== null || tooOld) return { kind: 'closed' };
    const answers = { ...(JSON.parse(row.answers) as Record<string, unknown>), ...change.answers };
    const at = now.toISOString();
    const firstName = change.firstName === undefined ? row.first_name : change.firstName;
    await trx
      .updateTable('callback_requests')
      .set({ answers: JSON.stringify(answers), first_name: firstName, updated_at: at })
      .where('id', '=', id)
      .execute();
    const request = toCallbackRequest({
      ...row,
      answers: JSON.stringify(answers),
      first_name: firstName,
      updated_at: at,
    });
    if (outbox) {
      const deliveryId = randomUUID();
      const event = outbox(request, deliveryId);
      await insertOutboxEvent(trx, {
        id: deliveryId,
        requestId: id,
        municipality: row.municipality,
        eventType: event.eventType,
        payload: event.payload,
        createdAt: at,
      });
    }
    return { kind: 'ok', request };
  });
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
