// SPDX-License-Identifier: EUPL-1.2
/**
 * The reach page counts a municipality's SMS sent in a period (which wording works) and *Vandaag*
 * counts today's: both look up sms_outbox by municipality and sent_at.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('sms_outbox_sent_idx').on('sms_outbox').columns(['municipality', 'sent_at']).execute();
}
