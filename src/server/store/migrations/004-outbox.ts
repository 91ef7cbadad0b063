// SPDX-License-Identifier: EUPL-1.2
/**
 * The outbox: every call-back request bound for a municipality's case system, written in the
 * same transaction as the request, and its delivery state (pending → delivering → delivered or failed).
 */
import { sql, type Kysely } from 'kysely';

// Written against the schema as it is at this migration, not today's `Database` type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // `ifNotExists` everywhere, as in 001: a half-run migration can be completed by a second run.
  await db.schema
    .createTable('outbox')
    .ifNotExists()
    // also the receiver's idempotency key (X-Hulpgesprek-Delivery)
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('request_id', 'text', (col) => col.notNull().references('callback_requests.id').onDelete('cascade'))
    .addColumn('municipality', 'text', (col) => col.notNull().references('municipalities.slug').onDelete('restrict'))
    .addColumn('event_type', 'text', (col) => col.notNull())
    // The exact JSON body that is signed and sent. It holds the phone number, so it is emptied
    // once delivered and when the retention job deletes the request's personal data.
    .addColumn('payload', 'text')
    .addColumn('status', 'text', (col) =>
      col.notNull().defaultTo('pending').check(sql`status in ('pending', 'delivering', 'delivered', 'failed')`),
    )
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (col) => col.notNull())
    // which delivery run holds a 'delivering' row, so only that run records its answer
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'text')
    // technical only ("HTTP 503", "timeout after 10000 ms"): never a response body, never personal data
    .addColumn('last_error', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  // The delivery worker: due pending rows, oldest due first.
  await db.schema.createIndex('outbox_due_idx').ifNotExists().on('outbox').columns(['status', 'next_attempt_at']).execute();
  // The admin page and the backlog gauge: per municipality and status.
  await db.schema.createIndex('outbox_municipality_status_idx').ifNotExists().on('outbox').columns(['municipality', 'status']).execute();
  // Retention clears the payloads of the requests it clears.
  await db.schema.createIndex('outbox_request_idx').ifNotExists().on('outbox').column('request_id').execute();
}
