// SPDX-License-Identifier: EUPL-1.2
/** The languages the portal can speak: each named in its own script, with its direction. */
export const LANGUAGES = {
  nl: { name: 'Nederlands', dir: 'ltr', formal: true },
  en: { name: 'English', dir: 'ltr', formal: false },
  tr: { name: 'Türkçe', dir: 'ltr', formal: true },
  ar: { name: 'العربية', dir: 'rtl', formal: false },
  pl: { name: 'Polski', dir: 'ltr', formal: true },
  uk: { name: 'Українська', dir: 'ltr', formal: true },
  pap: { name: 'Papiamentu', dir: 'ltr', formal: true },
  ti: { name: 'ትግርኛ', dir: 'ltr', formal: true },
} as const satisfies Record<string, { name: string; dir: 'ltr' | 'rtl'; formal: boolean }>;
// `formal`: the language has a polite form of address (u, Pan/Pani, Ви, siz, Bo/Boso, ንስኹም), so a
// municipality that says "u" in Dutch says it there too (i18next context "u", texts key_u).

export type LanguageCode = keyof typeof LANGUAGES;
export const SOURCE_LANGUAGE: LanguageCode = 'nl';

export function isLanguage(code: string): code is LanguageCode {
  return Object.hasOwn(LANGUAGES, code);
}

/** Whether the language has a polite form the municipality's choice of address applies to. */
export function hasFormalAddress(code: string): boolean {
  return isLanguage(code) && LANGUAGES[code].formal;
}

export function directionOf(code: LanguageCode): 'ltr' | 'rtl' {
  return LANGUAGES[code].dir;
}

/** The weight (q) the browser gives each primary language subtag: "nl-BE;q=0.8" counts for "nl". */
function preferenceWeights(acceptLanguage: string | null): Map<string, number> {
  const weights = new Map<string, number>();
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag, ...params] = part.trim().split(';');
    if (!tag) continue;
    const primary = tag.toLowerCase().split('-')[0] ?? '';
    const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
    if (primary && Number.isFinite(q) && q > (weights.get(primary) ?? 0)) weights.set(primary, q);
  }
  return weights;
}

/**
 * Orders `available` by the browser's Accept-Language preferences (best first), keeping the
 * rest in their given order. Only primary subtags count: "nl-BE" prefers "nl".
 */
export function orderByPreference<T extends string>(available: readonly T[], acceptLanguage: string | null): T[] {
  const weights = preferenceWeights(acceptLanguage);
  return [...available].sort((a, b) => (weights.get(b) ?? 0) - (weights.get(a) ?? 0));
}

/** The language of `available` the browser prefers most, or undefined when it names none of them. */
export function preferredLanguage<T extends string>(available: readonly T[], acceptLanguage: string | null): T | undefined {
  const weights = preferenceWeights(acceptLanguage);
  const best = orderByPreference(available, acceptLanguage)[0];
  return best !== undefined && (weights.get(best) ?? 0) > 0 ? best : undefined;
}
