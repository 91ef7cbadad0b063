// SPDX-License-Identifier: EUPL-1.2
/**
 * API keys: making one (shown once, stored as a hash) and checking the `Authorization: Bearer`
 * header of a request. A key acts for exactly one municipality, and only within its scopes
 * (`invites`: personal links; `ddas`: the DDAS delivery).
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { findMunicipality } from '../municipalities.ts';
import { API_SCOPES, findApiKeyByHash, insertApiKey, type ApiScope } from '../store/api-keys.ts';
import type { Store } from '../store/index.ts';
import type { RequestLike } from '../http/guard.ts';

/** `hg_` and 32 random bytes in base64url: recognisable in logs and by secret scanners. */
const KEY_SHAPE = /^hg_[A-Za-z0-9_-]{43}$/;

export interface ApiCaller {
  keyId: string;
  municipality: string;
  name: string;
  scopes: ApiScope[];
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function createApiKey(
  store: Store,
  input: { municipality: string; name: string; scopes?: readonly string[] },
): Promise<{ id: string; key: string }> {
  const scopes = [...new Set(input.scopes ?? ['invites'])];
  const unknown = scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) throw new Error(`A key's scopes are ${API_SCOPES.join(' and/or ')}; got ${unknown.join(', ') || 'none'}`);
  if (!(await findMunicipality(store, input.municipality))) {
    throw new Error(`No municipality "${input.municipality}" in the database`);
  }
  const name = input.name.trim();
  if (name === '' || name.length > 100) throw new Error('The key needs a name of 1 to 100 characters');
  const key = `hg_${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  await insertApiKey(store, {
    id,
    municipality: input.municipality,
    name,
    keyHash: hashApiKey(key),
    createdAt: new Date().toISOString(),
    scopes: scopes as ApiScope[],
  });
  return { id, key };
}

/**
 * The caller behind the request's bearer key, or null for no key, a malformed, unknown or
 * revoked one. The key is looked up by its sha256: the database index compares hashes of a
 * 256-bit secret, which tells a timing attacker nothing about the key; the final comparison is
 * constant-time all the same.
 */
export async function authenticate(store: Store, request: RequestLike): Promise<ApiCaller | null> {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  const key = match?.[1];
  if (!key || !KEY_SHAPE.test(key)) return null;
  const hash = hashApiKey(key);
  const found = await findApiKeyByHash(store, hash);
  if (!found || found.revokedAt !== null) return null;
  if (!timingSafeEqual(Buffer.from(found.keyHash, 'hex'), Buffer.from(hash, 'hex'))) return null;
  return { keyId: found.id, municipality: found.municipality, name: found.name, scopes: found.scopes };
}
