// SPDX-License-Identifier: EUPL-1.2
/**
 * Reach: personal invitation links (SMS, QR codes on letters) and their batches, API keys for
 * the municipality's case system, and the shared fixed-window counters of the rate limits.
 */
import { sql, type Kysely } from 'kysely';

// Written against the schema as it is at this migration, not today's `Database` type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // `ifNotExists` everywhere, as in 001: SQLite migrations are not wrapped in a transaction.
  await db.schema
    .createTable('invite_batches')
    .ifNotExists()
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('municipality', 'text', (col) => col.notNull().references('municipalities.slug').onDelete('restrict'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('size', 'integer', (col) => col.notNull())
    .addColumn('created_by', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('invites')
    .ifNotExists()
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('code', 'text', (col) => col.notNull())
    .addColumn('municipality', 'text', (col) => col.notNull().references('municipalities.slug').onDelete('restrict'))
    .addColumn('topic', 'text')
    .addColumn('channel', 'text', (col) => col.notNull().check(sql`channel in ('sms', 'letter-qr')`))
    .addColumn('case_ref', 'text')
    .addColumn('batch_id', 'text', (col) => col.references('invite_batches.id').onDelete('restrict'))
    .addColumn('batch_row', 'integer')
    .addColumn('check_word', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('opened_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('first_opened_at', 'text')
    .addColumn('last_opened_at', 'text')
    // Uppercase only: the application stores the canonical form, and the check keeps a
    // lowercase copy from ever being a second, unreachable row for the same code.
    .addCheckConstraint('invites_code_canonical', sql`code = upper(code)`)
    .addUniqueConstraint('invites_code_key', ['code'])
    .execute();

  // Reading a batch back in its CSV order.
  await db.schema
    .createIndex('invites_batch_idx')
    .ifNotExists()
    .on('invites')
    .columns(['batch_id', 'batch_row'])
    .execute();

  await db.schema
    .createIndex('invites_municipality_created_at_idx')
    .ifNotExists()
    .on('invites')
    .columns(['municipality', 'created_at'])
    .execute();

  await db.schema
    .createTable('api_keys')
    .ifNotExists()
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('municipality', 'text', (col) => col.notNull().references('municipalities.slug').onDelete('restrict'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('key_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('revoked_at', 'text')
    .addUniqueConstraint('api_keys_key_hash_key', ['key_hash'])
    .execute();

  await db.schema
    .createTable('rate_limits')
    .ifNotExists()
    .addColumn('bucket', 'text', (col) => col.notNull())
    .addColumn('window_start', 'text', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('rate_limits_pkey', ['bucket', 'window_start'])
    .execute();

  // Clearing out windows that ended long ago.
  await db.schema
    .createIndex('rate_limits_window_start_idx')
    .ifNotExists()
    .on('rate_limits')
    .column('window_start')
    .execute();
}
