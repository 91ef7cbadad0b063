// SPDX-License-Identifier: EUPL-1.2
/**
 * A batch remembers every row of the CSV it came from: which case and signal the row was, and
 * what became of it (a new personal link, the case's working link, or refused with the reason
 * staff read). Several rows of one household share one link, so rows are no longer invitations.
 */
import { sql, type Kysely } from 'kysely';

// Written against the schema as it is at this migration, not today's `Database` type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('invite_batch_rows')
    .ifNotExists()
    .addColumn('batch_id', 'text', (col) => col.notNull().references('invite_batches.id').onDelete('cascade'))
    // the row as a spreadsheet numbers it (the header is row 1)
    .addColumn('line', 'integer', (col) => col.notNull())
    // as given, when it could be used (a refused row's unusable reference is not kept)
    .addColumn('case_ref', 'text')
    .addColumn('signal_ref', 'text')
    .addColumn('invite_id', 'text', (col) => col.references('invites.id').onDelete('set null'))
    .addColumn('outcome', 'text', (col) => col.notNull().check(sql`outcome in ('made', 'existing', 'refused')`))
    // why a row was refused, in Dutch, as staff read it
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('invite_batch_rows_pkey', ['batch_id', 'line'])
    .execute();
  // A batch's channel: a row that gets the case's working link shows the SMS text of this batch's channel.
  await db.schema.alterTable('invite_batches').addColumn('channel', 'text').execute();
  await sql`update invite_batches set channel = (select min(channel) from invites where invites.batch_id = invite_batches.id)`.execute(db);
  await db.schema.createIndex('invite_batch_rows_invite_idx').ifNotExists().on('invite_batch_rows').column('invite_id').execute();

  // Every batch so far: one row per invitation, numbered as its CSV was (batch_row is the data row, 1-based).
  await sql`
    insert into invite_batch_rows (batch_id, line, case_ref, signal_ref, invite_id, outcome, reason)
    select batch_id, batch_row + 1, case_ref, null, id, 'made', null from invites
    where batch_id is not null and batch_row is not null`.execute(db);
}
