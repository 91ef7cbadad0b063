// SPDX-License-Identifier: EUPL-1.2
/**
 * The pages for "this address does not exist" and "something went wrong": when we do not know
 * the resident's language, every shipped language says it, each marked with its lang and dir.
 */
import { LANGUAGES, isLanguage } from '../../lib/languages.ts';
import { i18n, shippedLanguages } from '../locales.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function errorPageHtml(kind: 'notFound' | 'generic'): string {
  const languages = shippedLanguages().filter(isLanguage);
  const sections = languages.map((lng) => {
    const title = kind === 'notFound' ? i18n.t('errors.notFound.title', { lng, ns: 'common' }) : i18n.t('errors.title', { lng, ns: 'common' });
    const body = kind === 'notFound' ? i18n.t('errors.notFound.body', { lng, ns: 'common' }) : i18n.t('errors.generic', { lng, ns: 'common' });
    const tag = lng === 'nl' ? 'h1' : 'h2';
    return `<section lang="${lng}" dir="${LANGUAGES[lng].dir}"><${tag}>${escape(title)}</${tag}><p>${escape(body)}</p></section>`;
  });
  const title = i18n.t(kind === 'notFound' ? 'errors.notFound.title' : 'errors.title', { lng: 'nl', ns: 'common' });
  return `<!doctype html><html lang="nl" dir="ltr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(title)}</title><style>body{font-family:system-ui,sans-serif;font-size:1.125rem;line-height:1.5;max-inline-size:40rem;margin-inline:auto;padding:1rem;color:#1a1a1a}section{border-block-end:1px solid #d0d4da;padding-block:.5rem}h1,h2{font-size:1.3rem;margin-block:.5rem}a{color:#00529b}</style></head><body><main>${sections.join('')}<p><a href="/">Hulpgesprek</a></p></main></body></html>`;
}
