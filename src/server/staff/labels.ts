// SPDX-License-Identifier: EUPL-1.2
/**
 * What a resident chose, in Dutch whatever language they used: the answer codes looked up in
 * the Dutch resident texts (locales/nl/resident.json), the same words the Dutch screens show.
 */
import { i18n } from '../locales.ts';

const NL = { lng: 'nl', ns: 'resident' } as const;

/** The Dutch label of an answer code of a step (`topic`, `help`, `ways`, …); the code itself if unknown. */
export function answerLabel(step: string, code: string): string {
  const key = `steps.${step}.options.${code}`;
  return i18n.exists(key, NL) ? i18n.t(key, NL) : code;
}

/** A language code (the site language or the talk language) by its Dutch name. */
export function languageLabel(code: string): string {
  return answerLabel('talkLanguage', code);
}
