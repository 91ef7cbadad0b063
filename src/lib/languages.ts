// SPDX-License-Identifier: EUPL-1.2
/** The languages the portal can speak: each named in its own script, with its direction. */
export const LANGUAGES = {
  nl: { name: 'Nederlands', dir: 'ltr' },
  en: { name: 'English', dir: 'ltr' },
  tr: { name: 'Türkçe', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
  pl: { name: 'Polski', dir: 'ltr' },
  uk: { name: 'Українська', dir: 'ltr' },
  pap: { name: 'Papiamentu', dir: 'ltr' },
  ti: { name: 'ትግርኛ', dir: 'ltr' },
} as const satisfies Record<string, { name: string; dir: 'ltr' | 'rtl' }>;

export type LanguageCode = keyof typeof LANGUAGES;
export const SOURCE_LANGUAGE: LanguageCode = 'nl';

export function isLanguage(code: string): code is LanguageCode {
  return Object.hasOwn(LANGUAGES, code);
}

export function directionOf(code: LanguageCode): 'ltr' | 'rtl' {
  return LANGUAGES[code].dir;
}

/**
 * Orders `available` by the browser's Accept-Language preferences (best first), keeping the
 * rest in their given order. Only primary subtags count: "nl-BE" prefers "nl".
 */
export function orderByPreference<T extends string>(available: readonly T[], acceptLanguage: string | null): T[] {
  const weights = new Map<string, number>();
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag, ...params] = part.trim().split(';');
    if (!tag) continue;
    const primary = tag.toLowerCase().split('-')[0] ?? '';
    const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
    if (primary && Number.isFinite(q) && q > (weights.get(primary) ?? 0)) weights.set(primary, q);
  }
  return [...available].sort((a, b) => (weights.get(b) ?? 0) - (weights.get(a) ?? 0));
}
