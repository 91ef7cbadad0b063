// SPDX-License-Identifier: EUPL-1.2
/**
 * The audit log: who looked at or changed what, when (UTC), with what result and from where.
 * Append-only from the application; rows are read per municipality, newest first.
 */
import type { Store } from './index.ts';
import type { AuditLogRow, AuditOrigin } from './schema.ts';

export type { AuditOrigin } from './schema.ts';
export const AUDIT_ORIGINS = ['staff-ui', 'api', 'job'] as const satisfies readonly AuditOrigin[];

export interface AuditEntry {
  id: string;
  at: string;
  /** a staff id, or `system` */
  actor: string;
  action: string;
  objectType: string;
  objectId: string | null;
  municipality: string | null;
  result: string;
  origin: AuditOrigin;
}

export async function insertAuditEntries(store: Store, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await store.db
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        id: e.id,
        at: e.at,
        actor: e.actor,
        action: e.action,
        object_type: e.objectType,
        object_id: e.objectId,
        municipality: e.municipality,
        result: e.result,
        origin: e.origin,
      })),
    )
    .execute();
}

/**
 * One page of the audit log as seen by someone serving these municipalities: the rows about
 * them, plus the rows that belong to no municipality (logins) of staff who serve one of them.
 * Asks for one row more than `limit`, so the caller knows whether another page follows.
 */
export async function listAuditEntries(
  store: Store,
  options: { municipalities: readonly string[]; limit: number; offset: number },
): Promise<{ entries: AuditEntry[]; hasMore: boolean }> {
  if (options.municipalities.length === 0) return { entries: [], hasMore: false };
  const mine = [...options.municipalities];
  const rows = await store.db
    .selectFrom('audit_log')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('municipality', 'in', mine),
        eb.and([
          eb('municipality', 'is', null),
          eb('actor', 'in', eb.selectFrom('staff_memberships').select('staff_id').where('municipality', 'in', mine)),
        ]),
      ]),
    )
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit + 1)
    .offset(options.offset)
    .execute();
  return { entries: rows.slice(0, options.limit).map(toEntry), hasMore: rows.length > options.limit };
}

function toEntry(row: AuditLogRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    municipality: row.municipality,
    result: row.result,
    origin: row.origin,
  };
}
