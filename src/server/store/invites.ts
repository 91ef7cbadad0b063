// SPDX-License-Identifier: EUPL-1.2
/**
 * Invitations and their batches: storing them (a batch in one transaction, with an optional
 * idempotency key), finding one by code, and counting openings without recording who opened.
 */
import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from './callbacks.ts';
import type { Store } from './index.ts';
import type { BatchRowOutcome, Database, InviteBatchRow, InviteChannel, InviteRow } from './schema.ts';

export type { InviteChannel } from './schema.ts';

export interface NewInvite {
  id: string;
  /** canonical form: uppercase, no dashes */
  code: string;
  municipality: string;
  topic: string | null;
  channel: InviteChannel;
  caseRef: string | null;
  /** the DDAS case it is the personal link of */
  caseId?: string | null;
  batchId?: string | null;
  batchRow?: number | null;
  checkWord: string;
  createdAt: string;
  expiresAt: string;
}

export interface Invite extends Required<NewInvite> {
  openedCount: number;
  firstOpenedAt: string | null;
  lastOpenedAt: string | null;
}

export interface InviteBatch {
  id: string;
  municipality: string;
  createdAt: string;
  /** personal links the batch answers with */
  size: number;
  createdBy: string;
  channel: InviteChannel | null;
}

/** One CSV row of a batch and what became of it. */
export interface BatchLine {
  /** as a spreadsheet numbers it (header = 1) */
  line: number;
  caseRef: string | null;
  signalRef: string | null;
  inviteId: string | null;
  outcome: BatchRowOutcome;
  reason: string | null;
}

/** A retry with the same key answers from the first request instead of creating anything. */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  requestHash: string;
  /** what the first answer was about, e.g. `{"batch":"<id>"}`; replayed to the caller as-is */
  body: string;
}

export type InsertInvitesResult = { kind: 'inserted' } | { kind: 'replay'; body: string } | { kind: 'conflict' };

// 14 columns × 500 rows stays far below SQLite's and PostgreSQL's limits on bound parameters.
const CHUNK = 500;

/**
 * Stores invitations (and their batch) all or nothing. A code that is taken already makes the
 * whole call throw a unique violation (see isUniqueViolation), so the caller can draw new codes.
 */
export async function insertInvites(
  store: Store,
  invites: readonly NewInvite[],
  options: { batch?: InviteBatch & { lines: readonly BatchLine[] }; idempotency?: IdempotencyClaim } = {},
): Promise<InsertInvitesResult> {
  const claim = options.idempotency;
  try {
    return await store.db.transaction().execute(async (trx): Promise<InsertInvitesResult> => {
      if (claim) {
        const existing = await findClaim(trx, claim);
        if (existing) return existing;
      }
      if (options.batch) {
        const b = options.batch;
        await trx
          .insertInto('invite_batches')
          .values({
            id: b.id,
            municipality: b.municipality,
            created_at: b.createdAt,
            size: b.size,
            created_by: b.createdBy,
            channel: b.channel,
          })
          .execute();
      }
      for (let i = 0; i < invites.length; i += CHUNK) {
        await trx
          .insertInto('invites')
          .values(invites.slice(i, i + CHUNK).map(toRow))
          .execute();
      }
      const lines = options.batch?.lines ?? [];
      for (let i = 0; i < lines.length; i += CHUNK) {
        await trx
          .insertInto('invite_batch_rows')
          .values(
            lines.slice(i, i + CHUNK).map((l) => ({
              batch_id: options.batch?.id ?? '',
              line: l.line,
              case_ref: l.caseRef,
              signal_ref: l.signalRef,
              invite_id: l.inviteId,
              outcome: l.outcome,
              reason: l.reason,
            })),
          )
          .execute();
      }
      if (claim) {
        await trx
          .insertInto('idempotency_keys')
          .values({
            scope: claim.scope,
            key: claim.key,
            request_hash: claim.requestHash,
            status: 201,
            body: claim.body,
            created_at: invites[0]?.createdAt ?? new Date().toISOString(),
          })
          .execute();
      }
      return { kind: 'inserted' };
    });
  } catch (error) {
    // A concurrent request with the same key may have committed first: answer as it did.
    if (claim && isUniqueViolation(error)) {
      const existing = await findClaim(store.db, claim);
      if (existing) return existing;
    }
    throw error;
  }
}

/** What an idempotency key was used for before, if it was: a replay of the same request, or a conflict. */
export function findIdempotencyClaim(store: Store, claim: IdempotencyClaim): Promise<InsertInvitesResult | undefined> {
  return findClaim(store.db, claim);
}

async function findClaim(
  db: Kysely<Database> | Transaction<Database>,
  claim: IdempotencyClaim,
): Promise<InsertInvitesResult | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'body'])
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .executeTakeFirst();
  if (!row) return undefined;
  return row.request_hash === claim.requestHash ? { kind: 'replay', body: row.body } : { kind: 'conflict' };
}

export async function findInviteByCode(store: Store, code: string): Promise<Invite | undefined> {
  const row = await store.db.selectFrom('invites').selectAll().where('code', '=', code).executeTakeFirst();
  return row && toInvite(row);
}

/** The invitation of a case that still works at `at` (the newest), if there is one: a case has one personal link. */
export async function findActiveInviteOfCase(store: Store, caseId: string, at: string): Promise<Invite | undefined> {
  return (await findActiveInvitesOfCases(store, [caseId], at)).get(caseId);
}

export async function getInvite(store: Store, id: string): Promise<Invite | undefined> {
  const row = await store.db.selectFrom('invites').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toInvite(row);
}

/**
 * Counts one opening, only while the invitation is valid at `at`. Returns false when it had
 * expired (or does not exist), in which case nothing changed. No one's details are stored.
 */
export async function recordInviteOpened(store: Store, id: string, at: string): Promise<boolean> {
  const result = await store.db
    .updateTable('invites')
    .set((eb) => ({
      opened_count: eb('opened_count', '+', 1),
      first_opened_at: eb.fn.coalesce('first_opened_at', eb.val(at)),
      last_opened_at: at,
    }))
    .where('id', '=', id)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function getInviteBatch(store: Store, id: string): Promise<InviteBatch | undefined> {
  const row = await store.db.selectFrom('invite_batches').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toBatch(row);
}

/** A batch's rows in the order of its CSV, each with its invitation (none for a refused row). */
export async function listBatchLines(store: Store, batchId: string): Promise<(BatchLine & { invite: Invite | null })[]> {
  const lines = await store.db
    .selectFrom('invite_batch_rows')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('line')
    .execute();
  const ids = [...new Set(lines.flatMap((l) => (l.invite_id === null ? [] : [l.invite_id])))];
  const invites = new Map<string, Invite>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await store.db.selectFrom('invites').selectAll().where('id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const row of rows) invites.set(row.id, toInvite(row));
  }
  return lines.map((l) => ({
    line: Number(l.line),
    caseRef: l.case_ref,
    signalRef: l.signal_ref,
    inviteId: l.invite_id,
    outcome: l.outcome,
    reason: l.reason,
    invite: l.invite_id === null ? null : (invites.get(l.invite_id) ?? null),
  }));
}

/** The working personal link of each of these cases (the newest that has not expired at `at`). */
export async function findActiveInvitesOfCases(store: Store, caseIds: readonly string[], at: string): Promise<Map<string, Invite>> {
  const found = new Map<string, Invite>();
  for (let i = 0; i < caseIds.length; i += CHUNK) {
    const rows = await store.db
      .selectFrom('invites')
      .selectAll()
      .where('case_id', 'in', caseIds.slice(i, i + CHUNK))
      .where('expires_at', '>', at)
      .orderBy('created_at', 'desc')
      .execute();
    for (const row of rows) if (row.case_id !== null && !found.has(row.case_id)) found.set(row.case_id, toInvite(row));
  }
  return found;
}

function toRow(i: NewInvite) {
  return {
    id: i.id,
    code: i.code,
    municipality: i.municipality,
    topic: i.topic,
    channel: i.channel,
    case_ref: i.caseRef,
    case_id: i.caseId ?? null,
    batch_id: i.batchId ?? null,
    batch_row: i.batchRow ?? null,
    check_word: i.checkWord,
    created_at: i.createdAt,
    expires_at: i.expiresAt,
    first_opened_at: null,
    last_opened_at: null,
  };
}

function toInvite(row: InviteRow): Invite {
  return {
    id: row.id,
    code: row.code,
    municipality: row.municipality,
    topic: row.topic,
    channel: row.channel,
    caseRef: row.case_ref,
    caseId: row.case_id,
    batchId: row.batch_id,
    batchRow: row.batch_row,
    checkWord: row.check_word,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    openedCount: Number(row.opened_count),
    firstOpenedAt: row.first_opened_at,
    lastOpenedAt: row.last_opened_at,
  };
}

function toBatch(row: InviteBatchRow): InviteBatch {
  return {
    id: row.id,
    municipality: row.municipality,
    createdAt: row.created_at,
    size: Number(row.size),
    createdBy: row.created_by,
    channel: row.channel,
  };
}
