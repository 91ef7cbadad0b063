// SPDX-License-Identifier: EUPL-1.2
/** Municipality settings from the database, validated, cached briefly in memory. */
import { parseMunicipality, type Municipality } from '../lib/municipality.ts';
import type { Store } from './store/index.ts';
import { getMunicipality, listMunicipalities } from './store/municipalities.ts';

const TTL_MS = 30_000;
const cache = new Map<string, { at: number; value: Municipality | null }>();

export async function findMunicipality(store: Store, slug: string): Promise<Municipality | null> {
  const hit = cache.get(slug);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const row = await getMunicipality(store, slug);
  const value = row ? parseMunicipality(row.config, `the database (municipality ${slug})`) : null;
  cache.set(slug, { at: Date.now(), value });
  return value;
}

export async function allMunicipalities(store: Store): Promise<Municipality[]> {
  const rows = await listMunicipalities(store);
  return rows.map((row) => parseMunicipality(row.config, `the database (municipality ${row.slug})`));
}

export function forgetCachedMunicipalities(): void {
  cache.clear();
}
