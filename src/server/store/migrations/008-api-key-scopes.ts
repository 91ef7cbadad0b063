// SPDX-License-Identifier: EUPL-1.2
/**
 * What an API key may do: `invites` (make personal links, the case system's daily work) and/or
 * `ddas` (read the municipality's DDAS delivery). Keys made so far keep what they could do: invites.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // space-separated, as OAuth writes scopes
  await db.schema.alterTable('api_keys').addColumn('scopes', 'text', (col) => col.notNull().defaultTo('invites')).execute();
}
