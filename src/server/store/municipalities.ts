// SPDX-License-Identifier: EUPL-1.2
/**
 * Municipality records: the slug and name, plus their full configuration as stored JSON.
 * The config is returned unvalidated; the municipality config schema checks it on the way in.
 */
import type { Store } from './index.ts';
import type { MunicipalityRow } from './schema.ts';

export interface MunicipalityRecord {
  slug: string;
  name: string;
  config: unknown;
}

export async function upsertMunicipality(
  store: Store,
  input: { slug: string; name: string; config: unknown },
): Promise<void> {
  const now = new Date().toISOString();
  const config = JSON.stringify(input.config);
  if (config === undefined) throw new TypeError('municipality config must be JSON-serialisable');
  await store.db
    .insertInto('municipalities')
    .values({ slug: input.slug, name: input.name, config, created_at: now, updated_at: now })
    .onConflict((oc) =>
      oc.column('slug').doUpdateSet({ name: input.name, config, updated_at: now }),
    )
    .execute();
}

export async function getMunicipality(
  store: Store,
  slug: string,
): Promise<MunicipalityRecord | undefined> {
  const row = await store.db
    .selectFrom('municipalities')
    .select(['slug', 'name', 'config'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function listMunicipalities(store: Store): Promise<MunicipalityRecord[]> {
  const rows = await store.db
    .selectFrom('municipalities')
    .select(['slug', 'name', 'config'])
    .orderBy('slug')
    .execute();
  return rows.map(toRecord);
}

function toRecord(row: Pick<MunicipalityRow, 'slug' | 'name' | 'config'>): MunicipalityRecord {
  return { slug: row.slug, name: row.name, config: JSON.parse(row.config) as unknown };
}
