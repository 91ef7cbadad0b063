// SPDX-License-Identifier: EUPL-1.2
/**
 * Locks for background jobs, in the database so that of several app instances only one runs a
 * job at a time. A lock expires, so a holder that crashed does not block the job for ever.
 */
import type { Store } from './index.ts';

/**
 * Takes the lock when it is free or its holder's time ran out, in one statement (an upsert
 * that updates only an expired row), so exactly one of several racing callers gets it.
 */
export async function acquireJobLock(
  store: Store,
  input: { name: string; holder: string; now: string; expiresAt: string },
): Promise<boolean> {
  const result = await store.db
    .insertInto('job_locks')
    .values({ name: input.name, holder: input.holder, acquired_at: input.now, expires_at: input.expiresAt })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder: input.holder, acquired_at: input.now, expires_at: input.expiresAt })
        .where('job_locks.expires_at', '<=', input.now),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Gives the lock back, only if this holder still has it. */
export async function releaseJobLock(store: Store, name: string, holder: string): Promise<void> {
  await store.db.deleteFrom('job_locks').where('name', '=', name).where('holder', '=', holder).execute();
}

export async function jobLockHolder(store: Store, name: string): Promise<{ holder: string; expiresAt: string } | undefined> {
  const row = await store.db.selectFrom('job_locks').select(['holder', 'expires_at']).where('name', '=', name).executeTakeFirst();
  return row && { holder: row.holder, expiresAt: row.expires_at };
}
