// SPDX-License-Identifier: EUPL-1.2
/**
 * The privacy page and the accessibility statement against the built server: every seeded
 * municipality in each of its languages, with the right lang and dir, its own retention period
 * and contact details, no JavaScript, 404 for anything else, and the footer links on the conversation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, type LanguageCode } from '../../src/lib/languages.ts';
import { startApp, type AppServer } from '../support/app-server.ts';

const root = new URL('../../', import.meta.url).pathname;
interface Seed {
  slug: string;
  phone: string;
  phoneDisplay: string;
  email: string;
  retentionMonths: number;
  accessibility: { status: string };
  languages: LanguageCode[];
}
const seeds = readdirSync(join(root, 'src/server/seed'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(root, 'src/server/seed', f), 'utf8')) as Seed);
const cases = seeds.flatMap((m) => m.languages.map((lang) => ({ m, lang })));
const PAGES = { accessibility: 'toegankelijkheid', privacy: 'privacy' } as const;

type Tree = { [key: string]: string | Tree };
/** A text of a locale file by its dotted key (no placeholders filled). */
function text(lang: string, ns: string, key: string): string {
  let node: string | Tree = JSON.parse(readFileSync(join(root, 'locales', lang, `${ns}.json`), 'utf8')) as Tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? (node[part] ?? '') : '';
  if (typeof node !== 'string' || !node) throw new Error(`no text ${lang}:${ns}:${key}`);
  return node;
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const decode = (html: string) => html.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');

let app: AppServer;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('legal pages', () => {
  it('are tested for at least two municipalities, in Arabic too', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(2);
    expect(cases.some((c) => c.lang === 'ar')).toBe(true);
  });

  for (const page of Object.keys(PAGES) as (keyof typeof PAGES)[]) {
    it(`${page}: answers 200 in every language of every municipality, with its lang, dir, contact and no script`, async () => {
      for (const { m, lang } of cases) {
        const path = `/${m.slug}/${lang}/${PAGES[page]}`;
        const res = await fetch(`${app.url}${path}`);
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
        const html = decode(await res.text());
        expect(html, path).toContain(`<html lang="${lang}" dir="${LANGUAGES[lang].dir}">`);
        expect(html, path).toMatch(new RegExp(`<h1[^>]*>${escape(text(lang, 'legal', `${page}.title`))}</h1>`));
        expect(html, path).toContain(`href="tel:${m.phone}"`);
        expect(html, path).toContain(m.phoneDisplay.replace(/ /g, '\u00a0'));
        expect(html, path).toContain(`href="mailto:${m.email}"`);
        expect(html, `${path} needs no JavaScript`).not.toMatch(/<script/i);
        // the footer, in the page's language
        expect(html, path).toContain(`href="/${m.slug}/${lang}/privacy"`);
        expect(html, path).toContain(`href="/${m.slug}/${lang}/toegankelijkheid"`);
      }
    });
  }

  it('privacy: names the municipality\'s own retention period, in each language\'s words', async () => {
    for (const { m, lang } of cases) {
      const html = decode(await (await fetch(`${app.url}/${m.slug}/${lang}/privacy`)).text());
      const rule = new Intl.PluralRules(lang === 'pap' ? 'nl' : lang).select(m.retentionMonths);
      const phrase = text(lang, 'resident', `retention.months_${rule}`).replace('{{count}}', String(m.retentionMonths));
      expect(html, `${m.slug}/${lang}`).toContain(phrase);
    }
  });

  it('accessibility: gives the status letter from the municipality\'s statement', async () => {
    for (const { m, lang } of cases) {
      const html = decode(await (await fetch(`${app.url}/${m.slug}/${lang}/toegankelijkheid`)).text());
      expect(html, `${m.slug}/${lang}`).toContain(text(lang, 'legal', `accessibility.status.${m.accessibility.status}`));
    }
  });

  it('answers 404 for an unknown municipality, an unknown language and a language the municipality does not offer', async () => {
    const offered = new Set(seeds.find((m) => m.slug === 'zeedorp')?.languages);
    const notOffered = (Object.keys(LANGUAGES) as LanguageCode[]).find((l) => !offered.has(l));
    expect(notOffered, 'zeedorp offers fewer languages than the app has').toBeDefined();
    for (const path of [
      '/nergensdorp/nl/privacy',
      '/nergensdorp/nl/toegankelijkheid',
      '/voorbeeld/xx/privacy',
      '/voorbeeld/xx/toegankelijkheid',
      `/zeedorp/${notOffered}/privacy`,
      `/zeedorp/${notOffered}/toegankelijkheid`,
    ]) {
      const res = await fetch(`${app.url}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(404);
    }
  });

  it('are linked from the conversation page, in its language', async () => {
    for (const { m, lang } of cases) {
      const html = decode(await (await fetch(`${app.url}/${m.slug}/${lang}/`)).text());
      const footer = /<footer class="site-footer">([\s\S]*?)<\/footer>/.exec(html)?.[1] ?? '';
      for (const [page, key] of [['toegankelijkheid', 'footer.accessibility'], ['privacy', 'footer.privacy']] as const)
        expect(footer, `${m.slug}/${lang}`).toMatch(new RegExp(`href="/${m.slug}/${lang}/${page}"[^>]*>\\s*${escape(text(lang, 'common', key))}\\s*</a>`));
    }
  });
});
