// SPDX-License-Identifier: EUPL-1.2
/**
 * The installable app against the built server: a web manifest per seeded municipality and
 * language (404 for anything else), its icons, the links on the resident page, the service
 * worker script and the "no internet" pages as the server serves them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, type LanguageCode } from '../../src/lib/languages.ts';
import { startApp, type AppServer } from '../support/app-server.ts';

const root = new URL('../../', import.meta.url).pathname;
interface Seed {
  slug: string;
  name: string;
  languages: LanguageCode[];
  theme?: Record<string, string>;
}
const seeds = readdirSync(join(root, 'src/server/seed'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(root, 'src/server/seed', f), 'utf8')) as Seed);
const cases = seeds.flatMap((m) => m.languages.map((lang) => ({ slug: m.slug, lang, m })));

function common(lang: string): { app: { name: string; tagline: string } } {
  return JSON.parse(readFileSync(join(root, 'locales', lang, 'common.json'), 'utf8')) as {
    app: { name: string; tagline: string };
  };
}

interface Manifest {
  id: string;
  name: string;
  short_name: string;
  description: string;
  lang: string;
  dir: string;
  start_url: string;
  scope: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: { src: string; sizes: string; type: string; purpose?: string }[];
}

let app: AppServer;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

describe('web app manifest', () => {
  it('is seeded for at least two municipalities, in Arabic too', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(2);
    expect(cases.some((c) => c.lang === 'ar')).toBe(true);
  });

  it.each(cases)('/$slug/$lang/manifest.webmanifest', async ({ slug, lang, m }) => {
    const res = await fetch(`${app.url}/${slug}/${lang}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const manifest = (await res.json()) as Manifest;
    const texts = common(lang).app;
    expect(manifest.name).toContain(texts.name);
    expect(manifest.name).toContain(m.name);
    expect(manifest.short_name).toBe(texts.name);
    expect(manifest.short_name.length).toBeLessThanOrEqual(12);
    expect(manifest.description).toBe(texts.tagline);
    expect(manifest.lang).toBe(lang);
    expect(manifest.dir).toBe(LANGUAGES[lang].dir);
    expect(manifest.start_url).toBe(`/${slug}/${lang}/`);
    expect(manifest.scope).toBe(`/${slug}/`);
    expect(manifest.start_url.startsWith(manifest.scope)).toBe(true);
    expect(manifest.id).toBe(`/${slug}/`);
    expect(manifest.display).toBe('standalone');
    expect(manifest.theme_color).toBe(m.theme?.['--hg-color-primary'] ?? '#00529b');
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    const any = manifest.icons.filter((i) => (i.purpose ?? 'any').split(' ').includes('any'));
    expect(any.map((i) => i.sizes).sort()).toEqual(['192x192', '512x512']);
    expect(manifest.icons.some((i) => i.purpose?.split(' ').includes('maskable'))).toBe(true);
  });

  it('serves every icon it names, as a PNG of the stated size', async () => {
    const manifest = (await (await fetch(`${app.url}/voorbeeld/nl/manifest.webmanifest`)).json()) as Manifest;
    for (const icon of manifest.icons) {
      const res = await fetch(`${app.url}${icon.src}`);
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get('content-type'), icon.src).toBe(icon.type);
      const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
      expect(`${png.width}x${png.height}`, icon.src).toBe(icon.sizes);
    }
  });

  it.each([
    '/bestaat-niet/nl/manifest.webmanifest',
    '/voorbeeld/xx/manifest.webmanifest',
    '/voorbeeld/de/manifest.webmanifest',
    '/zeedorp/ti/manifest.webmanifest',
  ])('%s is 404', async (path) => {
    const res = await fetch(`${app.url}${path}`);
    expect(res.status).toBe(404);
  });

  it('is linked from the resident page, with the theme colour and the Apple icon', async () => {
    for (const m of seeds) {
      const html = await (await fetch(`${app.url}/${m.slug}/nl/`)).text();
      expect(html).toContain(`<link rel="manifest" href="/${m.slug}/nl/manifest.webmanifest">`);
      expect(html).toContain(`<meta name="theme-color" content="${m.theme?.['--hg-color-primary'] ?? '#00529b'}">`);
      expect(html).toMatch(/<link rel="apple-touch-icon" href="\/apple-touch-icon\.png">/);
    }
  });
});

describe('service worker and offline pages as served', () => {
  it('serves /sw.js uncached, as JavaScript, under the site policy', async () => {
    const res = await fetch(`${app.url}/sw.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'self'");
  });

  it('serves the hashed scripts as immutable', async () => {
    const script = readdirSync(join(root, 'dist/client/_astro')).find((f) => f.endsWith('.js'));
    const res = await fetch(`${app.url}/_astro/${script}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it.each(Object.keys(LANGUAGES))(
    'serves the %s "no internet" page at the address the worker precaches',
    async (lang) => {
      const res = await fetch(`${app.url}/offline/${lang}/index.html`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain(`<html lang="${lang}" dir="${LANGUAGES[lang as LanguageCode].dir}"`);
      expect(html).not.toMatch(/<script\b/i);
      for (const src of html.matchAll(/\ssrc="(\/audio\/[^"]+)"/g))
        expect((await fetch(`${app.url}${src[1]}`)).status, src[1]).toBe(200);
    },
  );
});
