// SPDX-License-Identifier: EUPL-1.2
/**
 * API keys of municipalities' systems: only a hash of each key is kept, so a copy of the
 * database does not let anyone act for a municipality. A key is revoked, never deleted.
 */
import type { Store } from './index.ts';
import type { ApiKeyRow } from './schema.ts';

export interface ApiKey {
  id: string;
  municipality: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  scopes: ApiScope[];
}

export const API_SCOPES = ['invites', 'ddas'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiKeyWithHash extends ApiKey {
  /** sha256 of the key, hex */
  keyHash: string;
}

export async function insertApiKey(
  store: Store,
  key: { id: string; municipality: string; name: string; keyHash: string; createdAt: string; scopes: readonly ApiScope[] },
): Promise<void> {
  await store.db
    .insertInto('api_keys')
    .values({
      id: key.id,
      municipality: key.municipality,
      name: key.name,
      key_hash: key.keyHash,
      created_at: key.createdAt,
      revoked_at: null,
      scopes: key.scopes.join(' '),
    })
    .execute();
}

/** The key with this hash, revoked or not (the caller decides what a revoked key may do). */
export async function findApiKeyByHash(store: Store, keyHash: string): Promise<ApiKeyWithHash | undefined> {
  const row = await store.db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  return row && { ...toApiKey(row), keyHash: row.key_hash };
}

/** Marks a key revoked; true when it was active until now. */
export async function revokeApiKey(store: Store, id: string, at: string): Promise<boolean> {
  const result = await store.db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function listApiKeys(store: Store, municipality?: string): Promise<ApiKey[]> {
  let query = store.db.selectFrom('api_keys').selectAll();
  if (municipality !== undefined) query = query.where('municipality', '=', municipality);
  const rows = await query.orderBy('municipality').orderBy('created_at').orderBy('id').execute();
  return rows.map(toApiKey);
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    municipality: row.municipality,
    name: row.name,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    scopes: String(row.scopes)
      .split(' ')
      .filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s)),
  };
}
