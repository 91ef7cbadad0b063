// SPDX-License-Identifier: EUPL-1.2
/**
 * Row types of every table, as Kysely sees them. Only types both SQLite and PostgreSQL store
 * the same way: text ids, ISO-8601 UTC text timestamps (sortable), 0/1 integers, JSON as text.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ContactKind, DayPart, EndResult, SignalPartner, SignalStatus } from '../../lib/ddas.ts';

/** `2026-11-26T18:00:00.000Z`; always produced by `Date#toISOString()` so text order is time order. */
export type IsoTimestamp = string;
/** SQLite has no boolean type; both databases store 0 or 1. */
export type IntBool = 0 | 1;
/** `2026-11-26`, a date on the municipality's clock (DDAS `datum`). */
export type IsoDate = string;

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
  /** JSON of answer codes: the one- and several-choice answers of flows/answers.ts without a column of their own. */
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
  /** the DDAS case (vroegsignaalzaak) it belongs to, through its invitation */
  case_id: string | null;
}

/** A household's early-signal case (DDAS vroegsignaalzaak) in one municipality. */
export interface CasesTable {
  id: string;
  municipality: string;
  /** the case system's reference */
  case_ref: string;
  status: Generated<'open' | 'closed'>;
  /** an EndResult code (src/lib/ddas.ts) once closed */
  end_result: EndResult | null;
  demo: Generated<IntBool>;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
  closed_at: IsoTimestamp | null;
  /** the resident replied STOP: no more SMS */
  sms_stopped_at: IsoTimestamp | null;
  /** an SMS to the resident's number failed: no more SMS, a call instead */
  number_failed_at: IsoTimestamp | null;
  /** the resident's mobile number (E.164) for the plan's SMS; cleared once the plan stops, at STOP and at retention */
  sms_phone: string | null;
  /** the language the case system gave for the resident (the SMS and the link's first screen) */
  language: string | null;
}

export type PlanTaskStatus = 'open' | 'waiting' | 'done' | 'skipped';

/** One step of the contact plan a case had (src/lib/contact-plan.ts). */
export interface PlanTasksTable {
  id: string;
  municipality: string;
  case_id: string;
  step_id: string;
  action: 'sms' | 'letter' | 'call' | 'visit';
  due_at: IsoTimestamp;
  day_part: DayPart | null;
  urgent: IntBool;
  status: PlanTaskStatus;
  reason: string | null;
  attempt_id: string | null;
  /** the SMS wording variant this case was given (src/lib/sms-variants.ts) */
  variant: string | null;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
}

export type SmsStatus = 'pending' | 'sending' | 'sent' | 'delivered' | 'failed' | 'cancelled';

/** One SMS of the contact plan on its way through NotifyNL (src/server/notify). */
export interface SmsOutboxTable {
  id: string;
  municipality: string;
  case_id: string;
  task_id: string;
  phone: string | null;
  body: string | null;
  language: string;
  variant: string | null;
  status: SmsStatus;
  failure: string | null;
  attempts: Generated<number>;
  not_before: IsoTimestamp;
  claimed_by: string | null;
  claimed_at: IsoTimestamp | null;
  notify_id: string | null;
  last_error: string | null;
  attempt_id: string | null;
  created_at: IsoTimestamp;
  sent_at: IsoTimestamp | null;
  completed_at: IsoTimestamp | null;
}

/** One unpaid-bill signal (DDAS vroegsignaal) of a case. */
export interface SignalsTable {
  id: string;
  case_id: string;
  municipality: string;
  /** the case system's own signal ID */
  signal_ref: string;
  partner: SignalPartner;
  /** whole euros */
  amount: number | null;
  arisen_on: IsoDate | null;
  signalled_on: IsoDate | null;
  crisis: IntBool;
  warm_handover: IntBool;
  status: SignalStatus | null;
  times_received: Generated<number>;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
  data_deleted_at: IsoTimestamp | null;
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

export type InviteChannel = 'sms' | 'letter-qr';

export interface InvitesTable {
  id: string;
  /** canonical: 13 characters of the invite alphabet, uppercase, no dashes */
  code: string;
  municipality: string;
  /** a flow topic the link presets, or null to let the resident choose */
  topic: string | null;
  channel: InviteChannel;
  /** the municipality's own case number, so the letter or SMS can be matched (never shown to residents) */
  case_ref: string | null;
  /** the DDAS case it was made for (one personal link per case) */
  case_id: string | null;
  batch_id: string | null;
  /** 1-based position in its batch's CSV (spreadsheet row minus the header), so the batch reads back in order */
  batch_row: number | null;
  check_word: string;
  created_at: IsoTimestamp;
  expires_at: IsoTimestamp;
  /** how often the link was opened; never who opened it (no IP address, no user agent) */
  opened_count: Generated<number>;
  first_opened_at: IsoTimestamp | null;
  last_opened_at: IsoTimestamp | null;
}

export interface InviteBatchesTable {
  id: string;
  municipality: string;
  created_at: IsoTimestamp;
  /** how many personal links the batch answers with (rows of one household share one) */
  size: number;
  /** who asked: `api-key:<api key id>` */
  created_by: string;
  channel: InviteChannel | null;
}

export type BatchRowOutcome = 'made' | 'existing' | 'refused';

/** One row of a batch's CSV and what became of it (a batch of several rows per household has fewer links than rows). */
export interface InviteBatchRowsTable {
  batch_id: string;
  /** the row as a spreadsheet numbers it: the header is row 1 */
  line: number;
  case_ref: string | null;
  signal_ref: string | null;
  invite_id: string | null;
  outcome: BatchRowOutcome;
  /** why it was refused, in Dutch */
  reason: string | null;
}

export interface ApiKeysTable {
  id: string;
  municipality: string;
  name: string;
  /** sha256 of the whole key, hex; the key itself is shown once and never stored */
  key_hash: string;
  created_at: IsoTimestamp;
  revoked_at: IsoTimestamp | null;
  /** what the key may do, space-separated: `invites`, `ddas` */
  scopes: Generated<string>;
}

export interface RateLimitsTable {
  /** what is counted, e.g. `code-fail:<hmac of the client network>` or `invite-open:<invite id>` */
  bucket: string;
  /** start of the fixed window the count belongs to */
  window_start: IsoTimestamp;
  count: number;
}

export type StaffRole = 'caseworker' | 'coordinator' | 'admin';

export interface StaffUsersTable {
  id: string;
  /** always lowercased (a check constraint holds it to that) */
  email: string;
  name: string;
  /** argon2id PHC string */
  password_hash: string;
  /** base32; set at enrolment, in use once totp_enabled is 1 */
  totp_secret: string | null;
  totp_enabled: Generated<IntBool>;
  /** the last TOTP time step accepted, so a code cannot be used twice */
  totp_last_step: number | null;
  role: StaffRole;
  /** demo accounts (SEED_DEMO) log in without a second factor */
  demo: Generated<IntBool>;
  created_at: IsoTimestamp;
  /** wrong passwords (or codes) in a row since the last good login */
  failed_logins: Generated<number>;
  locked_until: IsoTimestamp | null;
  last_login_at: IsoTimestamp | null;
  disabled_at: IsoTimestamp | null;
}

export interface StaffMembershipsTable {
  staff_id: string;
  municipality: string;
}

export interface StaffSessionsTable {
  /** sha256 of the cookie's token, hex */
  id: string;
  staff_id: string;
  created_at: IsoTimestamp;
  last_seen_at: IsoTimestamp;
  /** absolute end of the session */
  expires_at: IsoTimestamp;
  csrf_token: string;
  /** 1 once the second factor was given (or for a demo account while SEED_DEMO is on) */
  second_factor_ok: Generated<IntBool>;
  user_agent_hash: string | null;
}

export type { ContactKind, DayPart } from '../../lib/ddas.ts';
/** What staff saw when they tried: DDAS records only whether the resident was reached. */
export type ContactResult = 'reached' | 'not_reached' | 'voicemail' | 'wrong_number';

/** A DDAS contact attempt (contactpoging) on a case, a call-back request, or both. */
export interface CaseAttemptsTable {
  id: string;
  municipality: string;
  case_id: string | null;
  request_id: string | null;
  /** null: the portal itself (a personal link sent, a conversation finished) */
  staff_id: string | null;
  kind: ContactKind;
  reached: IntBool;
  /** staff's detail; null for the portal's own attempts */
  result: ContactResult | null;
  /** a code from a fixed list, never free text (free text invites personal data) */
  note_code: string | null;
  on_date: IsoDate;
  day_part: DayPart;
  created_at: IsoTimestamp;
}

export type AuditOrigin = 'staff-ui' | 'api' | 'job';

export interface AuditLogTable {
  id: string;
  at: IsoTimestamp;
  /** a staff id, or `system` */
  actor: string;
  action: string;
  object_type: string;
  object_id: string | null;
  municipality: string | null;
  result: string;
  origin: AuditOrigin;
}

export interface JobLocksTable {
  name: string;
  /** a random id per run */
  holder: string;
  acquired_at: IsoTimestamp;
  expires_at: IsoTimestamp;
}

export type OutboxStatus = 'pending' | 'delivering' | 'delivered' | 'failed';

export interface OutboxTable {
  /** also the receiver's idempotency key (X-Hulpgesprek-Delivery) */
  id: string;
  request_id: string;
  municipality: string;
  /** e.g. `callback_request.created` */
  event_type: string;
  /** the exact JSON body that is signed and sent; null once delivered or after retention */
  payload: string | null;
  status: Generated<OutboxStatus>;
  /** attempts in the current series (an administrator's retry starts a new one) */
  attempts: Generated<number>;
  next_attempt_at: IsoTimestamp;
  /** the delivery run that holds a `delivering` row */
  claimed_by: string | null;
  claimed_at: IsoTimestamp | null;
  /** technical, without personal data: "HTTP 503", "timeout after 10000 ms" */
  last_error: string | null;
  last_attempt_at: IsoTimestamp | null;
  delivered_at: IsoTimestamp | null;
  created_at: IsoTimestamp;
}

export interface Database {
  municipalities: MunicipalitiesTable;
  conversations: ConversationsTable;
  callback_requests: CallbackRequestsTable;
  idempotency_keys: IdempotencyKeysTable;
  invites: InvitesTable;
  invite_batches: InviteBatchesTable;
  invite_batch_rows: InviteBatchRowsTable;
  api_keys: ApiKeysTable;
  rate_limits: RateLimitsTable;
  staff_users: StaffUsersTable;
  staff_memberships: StaffMembershipsTable;
  staff_sessions: StaffSessionsTable;
  case_attempts: CaseAttemptsTable;
  plan_tasks: PlanTasksTable;
  sms_outbox: SmsOutboxTable;
  audit_log: AuditLogTable;
  job_locks: JobLocksTable;
  outbox: OutboxTable;
  cases: CasesTable;
  signals: SignalsTable;
}

export type MunicipalityRow = Selectable<MunicipalitiesTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type CallbackRequestRow = Selectable<CallbackRequestsTable>;
export type NewCallbackRequestRow = Insertable<CallbackRequestsTable>;
export type CallbackRequestUpdate = Updateable<CallbackRequestsTable>;
export type IdempotencyKeyRow = Selectable<IdempotencyKeysTable>;
export type InviteRow = Selectable<InvitesTable>;
export type CaseRow = Selectable<CasesTable>;
export type SignalRow = Selectable<SignalsTable>;
export type NewInviteRow = Insertable<InvitesTable>;
export type InviteBatchRow = Selectable<InviteBatchesTable>;
export type InviteBatchLineRow = Selectable<InviteBatchRowsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type StaffUserRow = Selectable<StaffUsersTable>;
export type StaffSessionRow = Selectable<StaffSessionsTable>;
export type CaseAttemptRow = Selectable<CaseAttemptsTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type OutboxRow = Selectable<OutboxTable>;
