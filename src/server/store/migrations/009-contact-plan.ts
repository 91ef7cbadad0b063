// SPDX-License-Identifier: EUPL-1.2
/**
 * The contact plan's steps per case (src/lib/contact-plan.ts): each step a case had, once — done,
 * skipped (with why), waiting (an SMS without a NotifyNL key), or open (a call, a visit or a letter
 * for staff) — and the attempt it became. Cases remember a resident's STOP and a failed number.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plan_tasks')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('municipality', 'text', (col) => col.notNull().references('municipalities.slug').onDelete('restrict'))
    .addColumn('case_id', 'text', (col) => col.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('step_id', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull().check(sql`action in ('sms', 'letter', 'call', 'visit')`))
    .addColumn('due_at', 'text', (col) => col.notNull())
    .addColumn('day_part', 'text', (col) => col.check(sql`day_part in ('morning', 'afternoon', 'evening')`))
    .addColumn('urgent', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('open', 'waiting', 'done', 'skipped')`))
    // why a step was skipped or waits: smsStopped, numberFailed, noPhone, linkOpened, noNotifyKey, planStopped
    .addColumn('reason', 'text')
    .addColumn('attempt_id', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('plan_tasks_case_step_key', ['case_id', 'step_id'])
    .execute();
  await db.schema.createIndex('plan_tasks_open_idx').on('plan_tasks').columns(['municipality', 'status', 'due_at']).execute();
  await db.schema.alterTable('cases').addColumn('sms_stopped_at', 'text').execute();
  await db.schema.alterTable('cases').addColumn('number_failed_at', 'text').execute();
}
