// SPDX-License-Identifier: EUPL-1.2
/**
 * Contact attempts (DDAS contactpogingen): on a case, a call-back request, or both; by staff or
 * by the portal itself. Each says what the national model asks (kind, reached, date, part of the
 * day) and, for staff's, what they saw (voicemail, wrong number) and a note code.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import { ddasDate, dayPartOf, type ContactKind, type DayPart } from '../../lib/ddas.ts';
import type { Store } from './index.ts';
import type { CaseAttemptRow, CaseAttemptsTable, ContactResult, Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface AttemptInput {
  id: string;
  municipality: string;
  caseId: string | null;
  requestId: string | null;
  /** null: the portal itself */
  staffId: string | null;
  kind: ContactKind;
  reached: boolean;
  result?: ContactResult | null;
  noteCode?: string | null;
  /** DDAS `datum`; the day of `at` on the municipality's clock when left out */
  onDate?: string;
  /** DDAS `dagdeel`; the part of the day of `at` when left out */
  dayPart?: DayPart;
  at: string;
}

export interface Attempt {
  id: string;
  caseId: string | null;
  requestId: string | null;
  staffId: string | null;
  kind: ContactKind;
  reached: boolean;
  result: ContactResult | null;
  noteCode: string | null;
  onDate: string;
  dayPart: DayPart;
  createdAt: string;
}

export async function insertAttempt(db: Db, a: AttemptInput): Promise<void> {
  await db.insertInto('case_attempts').values(rowOf(a)).execute();
}

/** Many attempts at once (a batch's links), in one transaction, 200 rows a statement. */
export async function insertAttempts(store: Store, attempts: readonly AttemptInput[]): Promise<void> {
  if (attempts.length === 0) return;
  await store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < attempts.length; i += 200)
      await trx
        .insertInto('case_attempts')
        .values(attempts.slice(i, i + 200).map(rowOf))
        .execute();
  });
}

function rowOf(a: AttemptInput): Insertable<CaseAttemptsTable> {
  return {
    id: a.id,
    municipality: a.municipality,
    case_id: a.caseId,
    request_id: a.requestId,
    staff_id: a.staffId,
    kind: a.kind,
    reached: a.reached ? (1 as const) : (0 as const),
    result: a.result ?? null,
    note_code: a.noteCode ?? null,
    on_date: a.onDate ?? ddasDate(a.at),
    day_part: a.dayPart ?? dayPartOf(a.at),
    created_at: a.at,
  };
}

/**
 * The attempts of a call-back request and of its case (so the portal's own and a colleague's on
 * the case show too), or of a case alone; oldest first. The caller has checked they are theirs.
 */
export async function listAttempts(
  store: Store,
  of: { requestId?: string | null; caseId?: string | null },
): Promise<Attempt[]> {
  if (!of.requestId && !of.caseId) return [];
  const rows = await store.db
    .selectFrom('case_attempts')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(of.requestId ? [eb('request_id', '=', of.requestId)] : []),
        ...(of.caseId ? [eb('case_id', '=', of.caseId)] : []),
      ]),
    )
    .orderBy('on_date')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toAttempt);
}

function toAttempt(row: CaseAttemptRow): Attempt {
  return {
    id: row.id,
    caseId: row.case_id,
    requestId: row.request_id,
    staffId: row.staff_id,
    kind: row.kind,
    reached: Number(row.reached) === 1,
    result: row.result,
    noteCode: row.note_code,
    onDate: row.on_date,
    dayPart: row.day_part,
    createdAt: row.created_at,
  };
}

/** How a personal link reached the resident, as DDAS names it. */
export function kindOfChannel(channel: string): ContactKind {
  return channel === 'sms' ? 'sms_whatsapp' : channel === 'letter-qr' ? 'letter' : 'other';
}
