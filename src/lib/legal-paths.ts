// SPDX-License-Identifier: EUPL-1.2
/** The addresses of a municipality's privacy page and accessibility statement, in one language. */

/** Path segment per page: Dutch words, as the other resident addresses are. */
export const LEGAL_PAGES = { accessibility: 'toegankelijkheid', privacy: 'privacy' } as const;
export type LegalPageKind = keyof typeof LEGAL_PAGES;

export function legalPath(slug: string, lang: string, kind: LegalPageKind): string {
  return `/${slug}/${lang}/${LEGAL_PAGES[kind]}`;
}
