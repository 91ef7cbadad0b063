// SPDX-License-Identifier: EUPL-1.2
/**
 * SMS through NotifyNL (issue 15): a case may carry the resident's mobile number and language
 * (given by the case system for the plan's SMS; personal data, cleared as soon as the plan no
 * longer needs it); a plan step remembers the wording variant the case was given; and every SMS
 * goes through its own outbox, so a crash or an outage of Notify loses and doubles nothing.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('sms_phone', 'text').execute();
  await db.schema.alterTable('cases').addColumn('language', 'text').execute();
  await db.schema.createIndex('cases_sms_phone_idx').on('cases').column('sms_phone').execute();
  await db.schema.alterTable('plan_tasks').addColumn('variant', 'text').execute();
  await db.schema
    .createTable('sms_outbox')
    // also the `reference` Notify keeps with the message, so a send that was cut off can be found again
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('municipality', 'text', (col) => col.notNull().references('municipalities.slug').onDelete('restrict'))
    .addColumn('case_id', 'text', (col) => col.notNull().references('cases.id').onDelete('cascade'))
    // one SMS per plan step of a case
    .addColumn('task_id', 'text', (col) => col.notNull().unique().references('plan_tasks.id').onDelete('cascade'))
    // the number and the text (which holds the personal link): emptied once Notify has the message
    .addColumn('phone', 'text')
    .addColumn('body', 'text')
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('variant', 'text')
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('pending', 'sending', 'sent', 'delivered', 'failed', 'cancelled')`),
    )
    // why it failed or was cancelled: permanent-failure, temporary-failure, technical-failure, rejected, smsStopped, planStopped, …
    .addColumn('failure', 'text')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    // not before this moment: the allowed hours of the day, the rate limit, a retry's back-off
    .addColumn('not_before', 'text', (col) => col.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'text')
    .addColumn('notify_id', 'text')
    // technical only ("HTTP 503", "timeout"), never a response body
    .addColumn('last_error', 'text')
    // the DDAS attempt (SMS/Whatsapp) the send became; a receipt updates it
    .addColumn('attempt_id', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema.createIndex('sms_outbox_due_idx').on('sms_outbox').columns(['status', 'not_before']).execute();
  await db.schema.createIndex('sms_outbox_notify_idx').on('sms_outbox').column('notify_id').execute();
  await db.schema.createIndex('sms_outbox_case_idx').on('sms_outbox').column('case_id').execute();
}
