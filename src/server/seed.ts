// SPDX-License-Identifier: EUPL-1.2
/** Seeds the demo municipalities (validated like any other municipality settings). */
import { readdirSync, readFileSync } from 'node:fs';
import { parseMunicipality, type Municipality } from '../lib/municipality.ts';
import type { Store } from './store/index.ts';
import { upsertMunicipality } from './store/municipalities.ts';

const SEED_DIR = new URL('./seed/', import.meta.url);

export function demoMunicipalities(): Municipality[] {
  return readdirSync(SEED_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseMunicipality(JSON.parse(readFileSync(new URL(f, SEED_DIR), 'utf8')), `src/server/seed/${f}`));
}

export async function seedDemo(store: Store): Promise<Municipality[]> {
  const all = demoMunicipalities();
  for (const m of all) await upsertMunicipality(store, { slug: m.slug, name: m.name, config: m });
  return all;
}
