// SPDX-License-Identifier: EUPL-1.2
/**
 * First schema: municipalities, conversation progress, callback requests, idempotency keys.
 * Written with the schema builder only, so the same migration runs on SQLite and PostgreSQL.
 */
import { sql, type Kysely } from 'kysely';

// Migrations describe the schema as it was when they were written, so they must not depend on
// today's `Database` type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // `ifNotExists` everywhere: Kysely does not wrap SQLite migrations in a transaction, so a
  // crash halfway must leave a state that a second run can complete.
  await db.schema
    .createTable('municipalities')
    .ifNotExists()
    .addColumn('slug', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('config', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('conversations')
    .ifNotExists()
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('municipality', 'text', (col) =>
      col.notNull().references('municipalities.slug').onDelete('restrict'),
    )
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('topic', 'text')
    .addColumn('invite_id', 'text')
    .addColumn('last_step', 'text', (col) => col.notNull())
    .addColumn('answers', 'text', (col) => col.notNull())
    .addColumn('outcome', 'text', (col) => col.check(sql`outcome in ('callback', 'self')`))
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('finished_at', 'text')
    .execute();

  await db.schema
    .createIndex('conversations_municipality_started_at_idx')
    .ifNotExists()
    .on('conversations')
    .columns(['municipality', 'started_at'])
    .execute();

  await db.schema
    .createTable('callback_requests')
    .ifNotExists()
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('reference', 'text', (col) => col.notNull())
    .addColumn('municipality', 'text', (col) =>
      col.notNull().references('municipalities.slug').onDelete('restrict'),
    )
    // No foreign key: a callback may come from a conversation whose progress was never stored.
    .addColumn('conversation_id', 'text')
    .addColumn('invite_id', 'text')
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('topic', 'text', (col) => col.notNull())
    .addColumn('urgent', 'integer', (col) => col.notNull().check(sql`urgent in (0, 1)`))
    .addColumn('answers', 'text', (col) => col.notNull())
    .addColumn('phone', 'text')
    .addColumn('first_name', 'text')
    .addColumn('consent', 'integer', (col) => col.notNull().check(sql`consent in (0, 1)`))
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('new'))
    .addColumn('assigned_to', 'text')
    .addColumn('outcome', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('personal_data_deleted_at', 'text')
    .addUniqueConstraint('callback_requests_reference_key', ['reference'])
    .execute();

  // The staff queue: per municipality, open requests, urgent first, oldest first.
  await db.schema
    .createIndex('callback_requests_queue_idx')
    .ifNotExists()
    .on('callback_requests')
    .columns(['municipality', 'status', 'urgent', 'created_at'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .ifNotExists()
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('status', 'integer', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['scope', 'key'])
    .execute();
}
