// SPDX-License-Identifier: EUPL-1.2
// The real copy for tests: locale files (resident, then common) and the demo municipality's data.
import { readFileSync } from 'node:fs';
import { LANGUAGES } from '../../src/lib/languages.ts';
import { parseMunicipality, type Municipality } from '../../src/lib/municipality.ts';

export type Lng = 'nl' | 'en' | 'tr' | 'ar' | 'pl' | 'uk' | 'pap' | 'ti';
type Tree = { [key: string]: string | Tree };

const root = new URL('../../', import.meta.url);

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, root), 'utf8')) as T;
}

const cache = new Map<string, Tree[]>();
function namespaces(lng: Lng): Tree[] {
  let trees = cache.get(lng);
  if (!trees) {
    trees = [readJson<Tree>(`locales/${lng}/resident.json`), readJson<Tree>(`locales/${lng}/common.json`)];
    cache.set(lng, trees);
  }
  return trees;
}

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/**
 * The text of a dotted key in one language (resident.json first, then common.json, as the app
 * does), with {{name}} placeholders filled from `vars`; unknown placeholders stay. `count`
 * picks the plural form. A missing key throws, so a typo never passes as "text not found".
 */
export function t(lng: Lng, key: string, vars: Record<string, string | number> = {}): string {
  const keys =
    typeof vars.count === 'number'
      ? [`${key}_${new Intl.PluralRules(lng).select(vars.count)}`, `${key}_other`, key]
      : [key];
  for (const tree of namespaces(lng)) {
    for (const k of keys) {
      const text = lookup(tree, k);
      if (text !== undefined) {
        return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
          name in vars ? String(vars[name]) : whole,
        );
      }
    }
  }
  throw new Error(`No text for "${key}" in locales/${lng}`);
}

interface Seed {
  slug: string;
  name: string;
  phone: string;
  phoneDisplay: string;
  retentionMonths: number;
  offers: { help: string; name: Record<string, string> }[];
}

/** The demo municipality the journeys run in, as seeded by `node src/cli/start.ts`. */
export const municipality = (() => {
  const seed = readJson<Seed>('src/server/seed/voorbeeld.json');
  const parsed: Municipality = parseMunicipality(seed, 'src/server/seed/voorbeeld.json');
  return {
    /** the whole municipality file, as the server reads it */
    seed: parsed,
    slug: seed.slug,
    name: seed.name,
    phone: seed.phone,
    phoneDisplay: seed.phoneDisplay,
    tel: `tel:${seed.phone}`,
    /** the name of the offer shown on the done screen for a kind of help, in one language */
    offerName: (help: string, lng: Lng) => seed.offers.find((o) => o.help === help)?.name[lng],
    /** values the server fills into texts (see textVars in src/server/resident/page.ts) */
    vars: { municipality: seed.name, phone: seed.phoneDisplay, retentionMonths: seed.retentionMonths },
  };
})();

/** Each language as it is offered on the language step: its own name (endonym). */
export function languageName(lng: Lng): string {
  return LANGUAGES[lng].name;
}

export function pathFor(lng: Lng): string {
  return `/${municipality.slug}/${lng}/`;
}
