// SPDX-License-Identifier: EUPL-1.2
/**
 * What the prerendered "no internet" page says in one language: each sentence with the
 * language it is really in (Dutch where a translation is still missing) and its clip, if any.
 */
import { directionOf, SOURCE_LANGUAGE, type LanguageCode } from '../../lib/languages.ts';
import { clipsFor } from './audio.ts';
import { i18n } from '../locales.ts';

export interface OfflineSentence {
  key: string;
  text: string;
  lang: LanguageCode;
  dir: 'ltr' | 'rtl';
  clip: string | null;
}

function sentence(key: string, lng: LanguageCode): OfflineSentence {
  const translated = typeof i18n.getResource(lng, 'common', key) === 'string';
  const lang = translated ? lng : SOURCE_LANGUAGE;
  return {
    key,
    text: i18n.t(key, { lng: lang, ns: 'common' }),
    lang,
    dir: directionOf(lang),
    // offline texts name no municipality, so no municipality's own clip applies
    clip: clipsFor(lang, '')[key] ?? null,
  };
}

export function offlinePage(lng: LanguageCode) {
  return {
    title: sentence('offline.title', lng),
    body: sentence('offline.body', lng),
    retry: sentence('offline.retry', lng),
    listen: sentence('listen.play', lng),
  };
}
