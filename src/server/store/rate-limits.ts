// SPDX-License-Identifier: EUPL-1.2
/**
 * Fixed-window counters in the database, so every app instance on the same database counts
 * together. One row per bucket and window; old windows are deleted in bulk.
 */
import type { Store } from './index.ts';

/**
 * Adds one to the bucket's count for the window and returns the new count, in one statement
 * (an upsert), so concurrent hits from several instances are all counted.
 */
export async function incrementRateLimit(store: Store, bucket: string, windowStart: string): Promise<number> {
  const row = await store.db
    .insertInto('rate_limits')
    .values({ bucket, window_start: windowStart, count: 1 })
    .onConflict((oc) =>
      oc.columns(['bucket', 'window_start']).doUpdateSet((eb) => ({ count: eb('rate_limits.count', '+', 1) })),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The bucket's count in the window without adding to it (0 when nothing was counted). */
export async function peekRateLimit(store: Store, bucket: string, windowStart: string): Promise<number> {
  const row = await store.db
    .selectFrom('rate_limits')
    .select('count')
    .where('bucket', '=', bucket)
    .where('window_start', '=', windowStart)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Deletes the windows that started before `before`; returns how many rows went. */
export async function deleteRateLimitsBefore(store: Store, before: string): Promise<number> {
  const result = await store.db.deleteFrom('rate_limits').where('window_start', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
