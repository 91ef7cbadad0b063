// SPDX-License-Identifier: EUPL-1.2
/** Seeds the demo municipalities and those of MUNICIPALITIES_DIR (validated like any other municipality settings). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMunicipality, type Municipality } from '../../lib/municipality.ts';
import type { Store } from '../store/index.ts';
import { upsertMunicipality } from '../store/municipalities.ts';

const SEED_DIR = new URL('./', import.meta.url);

export function demoMunicipalities(): Municipality[] {
  return readdirSync(SEED_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseMunicipality(JSON.parse(readFileSync(new URL(f, SEED_DIR), 'utf8')), `src/server/seed/${f}`));
}

/**
 * The municipalities of a deployment: every `*.json` in `dir` (MUNICIPALITIES_DIR), validated
 * like the demo ones. Read at every start, so a changed file takes effect on restart; a file
 * with the slug of a demo municipality replaces it.
 */
export function municipalitiesIn(dir: string): Municipality[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new Error(`Municipality settings in ${path} are not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      return parseMunicipality(raw, path);
    });
}

export async function seedMunicipalitiesFrom(store: Store, dir: string): Promise<Municipality[]> {
  const all = municipalitiesIn(dir);
  for (const m of all) await upsertMunicipality(store, { slug: m.slug, name: m.name, config: m });
  return all;
}

export async function seedDemo(store: Store): Promise<Municipality[]> {
  const all = demoMunicipalities();
  for (const m of all) await upsertMunicipality(store, { slug: m.slug, name: m.name, config: m });
  return all;
}
