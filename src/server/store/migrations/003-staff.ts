// SPDX-License-Identifier: EUPL-1.2
/**
 * Staff side: accounts, their municipalities, database sessions (shared by every instance),
 * contact attempts on call-back requests, the audit log, and locks for background jobs.
 */
import { sql, type Kysely } from 'kysely';

// Written against the schema as it is at this migration, not today's `Database` type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // `ifNotExists` everywhere, as in 001: SQLite migrations are not wrapped in a transaction.
  await db.schema
    .createTable('staff_users')
    .ifNotExists()
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enabled', 'integer', (col) => col.notNull().defaultTo(0).check(sql`totp_enabled in (0, 1)`))
    // The last TOTP time step accepted: a code is good once, even within its 30 seconds.
    .addColumn('totp_last_step', 'integer')
    .addColumn('role', 'text', (col) => col.notNull().check(sql`role in ('caseworker', 'coordinator', 'admin')`))
    // Demo accounts skip the second factor, and only while SEED_DEMO is on.
    .addColumn('demo', 'integer', (col) => col.notNull().defaultTo(0).check(sql`demo in (0, 1)`))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('failed_logins', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('last_login_at', 'text')
    .addColumn('disabled_at', 'text')
    // Stored lowercased, so "A@b.nl" and "a@b.nl" can never be two accounts.
    .addCheckConstraint('staff_users_email_lowercase', sql`email = lower(email)`)
    .addUniqueConstraint('staff_users_email_key', ['email'])
    .execute();

  await db.schema
    .createTable('staff_memberships')
    .ifNotExists()
    .addColumn('staff_id', 'text', (col) => col.notNull().references('staff_users.id').onDelete('cascade'))
    .addColumn('municipality', 'text', (col) => col.notNull().references('municipalities.slug').onDelete('restrict'))
    .addPrimaryKeyConstraint('staff_memberships_pkey', ['staff_id', 'municipality'])
    .execute();

  await db.schema
    .createIndex('staff_memberships_municipality_idx')
    .ifNotExists()
    .on('staff_memberships')
    .column('municipality')
    .execute();

  await db.schema
    .createTable('staff_sessions')
    .ifNotExists()
    // sha256 of the cookie's token: a copy of the database does not let anyone log in.
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('staff_id', 'text', (col) => col.notNull().references('staff_users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('last_seen_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('csrf_token', 'text', (col) => col.notNull())
    .addColumn('second_factor_ok', 'integer', (col) => col.notNull().defaultTo(0).check(sql`second_factor_ok in (0, 1)`))
    .addColumn('user_agent_hash', 'text')
    .execute();

  await db.schema.createIndex('staff_sessions_staff_idx').ifNotExists().on('staff_sessions').column('staff_id').execute();
  await db.schema.createIndex('staff_sessions_expires_idx').ifNotExists().on('staff_sessions').column('expires_at').execute();

  await db.schema
    .createTable('contact_attempts')
    .ifNotExists()
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('request_id', 'text', (col) => col.notNull().references('callback_requests.id').onDelete('cascade'))
    // No foreign key: the attempt stays in the record when an account is removed.
    .addColumn('staff_id', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) =>
      col.notNull().check(sql`kind in ('phone', 'sms', 'whatsapp', 'home_visit', 'letter', 'email', 'walk_in')`),
    )
    .addColumn('result', 'text', (col) =>
      col.notNull().check(sql`result in ('reached', 'not_reached', 'voicemail', 'wrong_number')`),
    )
    .addColumn('note_code', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createIndex('contact_attempts_request_idx')
    .ifNotExists()
    .on('contact_attempts')
    .columns(['request_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .ifNotExists()
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('at', 'text', (col) => col.notNull())
    // a staff id, or 'system' for jobs
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('object_type', 'text', (col) => col.notNull())
    .addColumn('object_id', 'text')
    // null for events that belong to no one municipality (a staff member logging in)
    .addColumn('municipality', 'text')
    .addColumn('result', 'text', (col) => col.notNull())
    .addColumn('origin', 'text', (col) => col.notNull().check(sql`origin in ('staff-ui', 'api', 'job')`))
    .execute();

  // The audit page: one municipality's rows, newest first.
  await db.schema
    .createIndex('audit_log_municipality_at_idx')
    .ifNotExists()
    .on('audit_log')
    .columns(['municipality', 'at'])
    .execute();
  await db.schema.createIndex('audit_log_actor_at_idx').ifNotExists().on('audit_log').columns(['actor', 'at']).execute();

  await db.schema
    .createTable('job_locks')
    .ifNotExists()
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('holder', 'text', (col) => col.notNull())
    .addColumn('acquired_at', 'text', (col) => col.notNull())
    // a crashed holder's lock is free again after this
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .execute();

  // callback_requests already has assigned_to, status, outcome, closed_at and
  // personal_data_deleted_at since 001. The retention job looks for rows not yet cleared.
  await db.schema
    .createIndex('callback_requests_retention_idx')
    .ifNotExists()
    .on('callback_requests')
    .columns(['municipality', 'personal_data_deleted_at', 'created_at'])
    .execute();
}
