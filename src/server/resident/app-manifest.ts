// SPDX-License-Identifier: EUPL-1.2
/** GET /<municipality>/<lang>/manifest.webmanifest: the installable app of one municipality in one language. */
import { webAppManifest } from '../../lib/app-manifest.ts';
import { isLanguage } from '../../lib/languages.ts';
import { i18n } from '../locales.ts';
import { findMunicipality } from '../municipalities.ts';
import { availableLanguages } from './page.ts';
import { getStore } from '../runtime.ts';

export async function appManifestResponse(slug: string, lang: string): Promise<Response> {
  const m = await findMunicipality(await getStore(), slug);
  if (!m || !isLanguage(lang) || !availableLanguages(m).includes(lang)) {
    return new Response('Not found', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }
  const manifest = webAppManifest(m, lang, {
    name: i18n.t('app.name', { lng: lang, ns: 'common' }),
    tagline: i18n.t('app.tagline', { lng: lang, ns: 'common' }),
  });
  return new Response(JSON.stringify(manifest), {
    status: 200,
    // browsers look at it again now and then; a changed municipality name reaches them within the hour
    headers: { 'Content-Type': 'application/manifest+json; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
  });
}
