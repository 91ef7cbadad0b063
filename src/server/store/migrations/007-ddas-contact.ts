// SPDX-License-Identifier: EUPL-1.2
/**
 * Contact attempts and end results in the national model (DDAS). An attempt belongs to a case
 * (vroegsignaalzaak), a call-back request, or both, and says what DDAS asks: `soort` (kind),
 * `bereikt` (reached), `datum` and `dagdeel`; staff keep their own detail (voicemail, wrong
 * number, a note code). Attempts the portal makes itself (a link by SMS or letter, a finished
 * conversation) have no staff member. Requests closed with the portal's six outcomes get the
 * DDAS end result they mean (the mapping is in the README), and so does their case.
 */
import { sql, type Kysely } from 'kysely';

// As they were when this migration was written: a migration never changes with the code.
const KINDS = ['email', 'letter', 'sms_whatsapp', 'phone', 'home_visit', 'card', 'other', 'administrative'];
const KIND_OF_OLD: Record<string, string> = { phone: 'phone', sms: 'sms_whatsapp', whatsapp: 'sms_whatsapp', home_visit: 'home_visit', letter: 'letter', email: 'email', walk_in: 'other' };
export const END_RESULT_OF_OLD: Record<string, string> = {
  quick_fix: 'advice_quick_fix',
  payment_arrangement: 'advice_quick_fix',
  referred_debt_help: 'follow_up_financial',
  referred_other_help: 'follow_up_non_financial',
  no_help_wanted: 'no_help_needed',
  not_reached: 'never_reached',
};
const list = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

const CLOCK = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
/** The date and part of the day of a moment on the municipality's clock (Amsterdam). */
function onClock(iso: string): { date: string; part: string } {
  const p = Object.fromEntries(CLOCK.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  const hour = Number(p.hour);
  return { date: `${p.year}-${p.month}-${p.day}`, part: hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening' };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_attempts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('municipality', 'text', (col) => col.notNull().references('municipalities.slug').onDelete('restrict'))
    .addColumn('case_id', 'text', (col) => col.references('cases.id').onDelete('cascade'))
    .addColumn('request_id', 'text', (col) => col.references('callback_requests.id').onDelete('cascade'))
    // null: the portal itself (a link sent, a conversation finished); no foreign key, the record outlives an account
    .addColumn('staff_id', 'text')
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in (${list(KINDS)})`))
    .addColumn('reached', 'integer', (col) => col.notNull().check(sql`reached in (0, 1)`))
    // staff's detail; null for the portal's own
    .addColumn('result', 'text', (col) => col.check(sql`result in ('reached', 'not_reached', 'voicemail', 'wrong_number')`))
    .addColumn('note_code', 'text')
    // DDAS `datum` and `dagdeel`, on the municipality's clock
    .addColumn('on_date', 'text', (col) => col.notNull())
    .addColumn('day_part', 'text', (col) => col.notNull().check(sql`day_part in ('morning', 'afternoon', 'evening')`))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addCheckConstraint('case_attempts_of_something', sql`case_id is not null or request_id is not null`)
    .execute();
  await db.schema.createIndex('case_attempts_case_idx').on('case_attempts').columns(['case_id', 'on_date']).execute();
  await db.schema.createIndex('case_attempts_request_idx').on('case_attempts').columns(['request_id', 'created_at']).execute();
  await db.schema.createIndex('case_attempts_municipality_date_idx').on('case_attempts').columns(['municipality', 'on_date']).execute();

  // Every attempt so far, in the model's terms, with the case of its request.
  const old = (await db
    .selectFrom('contact_attempts')
    .innerJoin('callback_requests', 'callback_requests.id', 'contact_attempts.request_id')
    .select(['contact_attempts.id as id', 'contact_attempts.request_id as request_id', 'contact_attempts.staff_id as staff_id', 'contact_attempts.kind as kind', 'contact_attempts.result as result', 'contact_attempts.note_code as note_code', 'contact_attempts.created_at as created_at', 'callback_requests.municipality as municipality', 'callback_requests.case_id as case_id'])
    .execute()) as { id: string; request_id: string; staff_id: string; kind: string; result: string; note_code: string | null; created_at: string; municipality: string; case_id: string | null }[];
  for (let i = 0; i < old.length; i += 200) {
    await db
      .insertInto('case_attempts')
      .values(
        old.slice(i, i + 200).map((a) => {
          const clock = onClock(a.created_at);
          return { id: a.id, municipality: a.municipality, case_id: a.case_id, request_id: a.request_id, staff_id: a.staff_id, kind: KIND_OF_OLD[a.kind] ?? 'other', reached: a.result === 'reached' ? 1 : 0, result: a.result, note_code: a.note_code, on_date: clock.date, day_part: clock.part, created_at: a.created_at };
        }),
      )
      .execute();
  }
  await db.schema.dropTable('contact_attempts').execute();

  // The six outcomes become the DDAS end results they mean; a closed request's case closes with it.
  for (const [before, after] of Object.entries(END_RESULT_OF_OLD)) {
    await db.updateTable('callback_requests').set({ outcome: after }).where('outcome', '=', before).execute();
  }
  await sql`
    update cases set status = 'closed',
      end_result = (select r.outcome from callback_requests r where r.case_id = cases.id and r.status = 'closed' order by r.closed_at desc limit 1),
      closed_at = (select max(r.closed_at) from callback_requests r where r.case_id = cases.id and r.status = 'closed')
    where status = 'open' and exists (select 1 from callback_requests r where r.case_id = cases.id and r.status = 'closed' and r.outcome is not null)`.execute(db);
}
