// SPDX-License-Identifier: EUPL-1.2
/**
 * Row types of every table, as Kysely sees them. Only types both SQLite and PostgreSQL store
 * the same way: text ids, ISO-8601 UTC text timestamps (sortable), 0/1 integers, JSON as text.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** `2026-11-26T18:00:00.000Z`; always produced by `Date#toISOString()` so text order is time order. */
export type IsoTimestamp = string;
/** SQLite has no boolean type; both databases store 0 or 1. */
export type IntBool = 0 | 1;

export interface MunicipalitiesTable {
  slug: string;
  name: string;
  /** JSON; validated by the municipality config schema when read, not here. */
  config: string;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
}

export interface ConversationsTable {
  id: string;
  municipality: string;
  channel: string;
  language: string;
  topic: string | null;
  invite_id: string | null;
  last_step: string;
  /** JSON of answer codes only; free text and personal data never reach this column. */
  answers: string;
  outcome: 'callback' | 'self' | null;
  started_at: IsoTimestamp;
  updated_at: IsoTimestamp;
  finished_at: IsoTimestamp | null;
}

export interface CallbackRequestsTable {
  id: string;
  /** Short code a resident can read out on the phone; random, so it reveals nothing. */
  reference: string;
  municipality: string;
  conversation_id: string | null;
  invite_id: string | null;
  channel: string;
  language: string;
  topic: string;
  urgent: IntBool;
  /** JSON of answer codes (checkin, happened, moreBills, urgency, help[], moments[], ways[], ...). */
  answers: string;
  /** E.164; null once the retention job has deleted personal data. */
  phone: string | null;
  first_name: string | null;
  consent: IntBool;
  status: Generated<string>;
  assigned_to: string | null;
  outcome: string | null;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
  closed_at: IsoTimestamp | null;
  personal_data_deleted_at: IsoTimestamp | null;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  /** HTTP status of the first response, replayed as-is. */
  status: number;
  /** JSON body of the first response. */
  body: string;
  created_at: IsoTimestamp;
}

export interface Database {
  municipalities: MunicipalitiesTable;
  conversations: ConversationsTable;
  callback_requests: CallbackRequestsTable;
  idempotency_keys: IdempotencyKeysTable;
}

export type MunicipalityRow = Selectable<MunicipalitiesTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type CallbackRequestRow = Selectable<CallbackRequestsTable>;
export type NewCallbackRequestRow = Insertable<CallbackRequestsTable>;
export type CallbackRequestUpdate = Updateable<CallbackRequestsTable>;
export type IdempotencyKeyRow = Selectable<IdempotencyKeysTable>;
