// SPDX-License-Identifier: EUPL-1.2
/**
 * i18next set-up (server side of the island boundary) and the flattening that turns one
 * language's namespaces into the small string table an island receives.
 */
import i18next, { type i18n, type Resource } from 'i18next';
import { SOURCE_LANGUAGE } from './languages.ts';

/** The conversation's namespaces: every key goes into the island's string table and gets a clip. */
export const NAMESPACES = ['common', 'resident'] as const;
export type Namespace = (typeof NAMESPACES)[number];
/**
 * Namespaces of server-rendered pages only (the privacy and accessibility pages): never sent to
 * the island, so the first screen stays small, and not spoken (yet).
 */
export const PAGE_NAMESPACES = ['legal', 'link'] as const;
/**
 * Page namespaces that are spoken all the same: every key gets a clip (the page of a personal
 * link that does not work, which residents who read poorly land on too).
 */
export const SPOKEN_PAGE_NAMESPACES = ['link'] as const;
/** Namespaces only Dutch has: the staff pages (staff work in Dutch; residents never see them). */
export const DUTCH_ONLY_NAMESPACES = ['staff'] as const;
/**
 * The SMS the municipality sends (locales/<lng>/outreach.json): only in the languages whose
 * script an SMS can carry as GSM-7 (SMS_LANGUAGES in src/lib/plan-sms.ts); the others get Dutch.
 */
export const SMS_NAMESPACES = ['outreach'] as const;

/** Every namespace there is: the files src/server/locales.ts reads for each language. */
export const ALL_NAMESPACES = [...NAMESPACES, ...PAGE_NAMESPACES, ...DUTCH_ONLY_NAMESPACES, ...SMS_NAMESPACES] as const;

export function createI18n(resources: Resource): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    fallbackLng: SOURCE_LANGUAGE,
    ns: [...ALL_NAMESPACES],
    defaultNS: 'resident',
    fallbackNS: 'common',
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
/** i18next context variants (formal Dutch "u"): folded into their base key like plural forms. */
const CONTEXT_SUFFIX = /_u$/;

/** Every key path of a nested namespace object, plural forms and context variants folded into their base key. */
export function keyPaths(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null) return prefix ? [prefix] : [];
  const out = new Set<string>();
  for (const [key, value] of Object.entries(tree)) {
    for (const path of keyPaths(value, prefix ? `${prefix}.${key}` : key))
      out.add(path.replace(PLURAL_SUFFIX, '').replace(CONTEXT_SUFFIX, ''));
  }
  return [...out];
}

/**
 * Resolves every text of the given namespaces in one language, with the values known on the
 * server filled in; placeholders listed in `keep` stay for the browser to fill.
 */
export function stringTable(
  i18n: i18n,
  lng: string,
  vars: Record<string, string | number>,
  keep: readonly string[] = ['current', 'total', 'reference', 'checkWord', 'time', 'day'],
  context?: string,
): Record<string, string> {
  const table: Record<string, string> = {};
  const literal = Object.fromEntries(keep.map((k) => [k, `{{${k}}}`]));
  for (const ns of NAMESPACES) {
    const source = i18n.getResourceBundle(SOURCE_LANGUAGE, ns) as unknown;
    for (const key of keyPaths(source)) {
      table[key] = i18n.t(key, { lng, ns, ...vars, ...literal, ...(context ? { context } : {}) });
    }
  }
  return table;
}
