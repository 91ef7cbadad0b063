// SPDX-License-Identifier: EUPL-1.2
/**
 * The national model (DDAS): a case (vroegsignaalzaak) per household and municipality, keyed by
 * the case system's case reference, with its signals (vroegsignalen), each keyed by the case
 * system's own signal ID so a signal that comes again is recognised. An invitation and a
 * call-back request belong to the case they were made for. No BSN, name or address is stored:
 * the case system keeps the person, the portal only what it needs to reach and count.
 */
import { sql, type Kysely } from 'kysely';

// The code lists as they were when this migration was written: a migration never changes with the code.
const SIGNAL_PARTNERS = ['energy', 'rent', 'mortgage', 'cak_health_insurance', 'health_insurance', 'water', 'duo', 'tax', 'cak_own_contribution', 'other', 'allowances'];
const SIGNAL_STATUSES = ['not_picked_up_yet', 'wrong_signal', 'deceased', 'not_resident', 'repeat_signal', 'not_picked_up_other'];

const list = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

// Written against the schema as it is at this migration, not today's `Database` type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cases')
    .ifNotExists()
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('municipality', 'text', (col) => col.notNull().references('municipalities.slug').onDelete('restrict'))
    // the case system's reference for the household; never shown to the resident
    .addColumn('case_ref', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('open').check(sql`status in ('open', 'closed')`))
    // one of the 15 end results (src/lib/ddas.ts), once closed
    .addColumn('end_result', 'text')
    // made-up cases of the demo municipality (SEED_DEMO), labelled as such wherever they are counted
    .addColumn('demo', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('closed_at', 'text')
    .addUniqueConstraint('cases_municipality_case_ref_key', ['municipality', 'case_ref'])
    .execute();

  await db.schema
    .createTable('signals')
    .ifNotExists()
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('case_id', 'text', (col) => col.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('municipality', 'text', (col) => col.notNull().references('municipalities.slug').onDelete('restrict'))
    // the case system's own signal ID (DDAS `ID`): a signal sent again is the same signal
    .addColumn('signal_ref', 'text', (col) => col.notNull())
    .addColumn('partner', 'text', (col) => col.notNull().check(sql`partner in (${list(SIGNAL_PARTNERS)})`))
    // whole euros (DDAS `bedrag`)
    .addColumn('amount', 'integer')
    .addColumn('arisen_on', 'text')
    .addColumn('signalled_on', 'text')
    .addColumn('crisis', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('warm_handover', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('status', 'text', (col) => col.check(sql`status in (${list(SIGNAL_STATUSES)})`))
    // how often the case system sent this signal (1 the first time)
    .addColumn('times_received', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    // the amount and dates are cleared with the case's personal data at the end of retention; the row stays, for the counts
    .addColumn('data_deleted_at', 'text')
    .addUniqueConstraint('signals_municipality_signal_ref_key', ['municipality', 'signal_ref'])
    .execute();
  await db.schema.createIndex('signals_case_idx').ifNotExists().on('signals').column('case_id').execute();

  // An invitation and a request know their case (null for those made without a case reference).
  await db.schema.alterTable('invites').addColumn('case_id', 'text', (col) => col.references('cases.id').onDelete('set null')).execute();
  await db.schema.alterTable('callback_requests').addColumn('case_id', 'text', (col) => col.references('cases.id').onDelete('set null')).execute();
  await db.schema.createIndex('invites_case_idx').ifNotExists().on('invites').column('case_id').execute();
  await db.schema.createIndex('callback_requests_case_idx').ifNotExists().on('callback_requests').column('case_id').execute();

  // Every invitation made with a case reference so far becomes (part of) that household's case.
  const invites = (await db
    .selectFrom('invites')
    .select(['id', 'municipality', 'case_ref', 'created_at'])
    .where('case_ref', 'is not', null)
    .orderBy('created_at')
    .execute()) as { id: string; municipality: string; case_ref: string; created_at: string }[];
  const cases = new Map<string, string>();
  for (const invite of invites) {
    const key = `${invite.municipality}\u0000${invite.case_ref}`;
    let caseId = cases.get(key);
    if (!caseId) {
      caseId = crypto.randomUUID();
      cases.set(key, caseId);
      await db
        .insertInto('cases')
        .values({ id: caseId, municipality: invite.municipality, case_ref: invite.case_ref, status: 'open', demo: 0, created_at: invite.created_at, updated_at: invite.created_at })
        .execute();
    }
    await db.updateTable('invites').set({ case_id: caseId }).where('id', '=', invite.id).execute();
    await db.updateTable('callback_requests').set({ case_id: caseId }).where('invite_id', '=', invite.id).execute();
  }
}
