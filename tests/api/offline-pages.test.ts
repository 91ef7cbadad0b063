// SPDX-License-Identifier: EUPL-1.2
// The prerendered "no internet" pages (dist/client/offline/<lang>/index.html): every language, right lang and dir, no JavaScript.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type LanguageCode } from '../../src/lib/languages.ts';

const root = new URL('../../', import.meta.url).pathname;
const codes = Object.keys(LANGUAGES) as LanguageCode[];

function page(lang: string): string {
  const file = join(root, 'dist/client/offline', lang, 'index.html');
  if (!existsSync(file)) throw new Error(`No ${file}: run \`npm run build\` first`);
  return readFileSync(file, 'utf8');
}

function text(lang: string, key: string): string | undefined {
  const common = JSON.parse(readFileSync(join(root, 'locales', lang, 'common.json'), 'utf8')) as Record<
    string,
    Record<string, string>
  >;
  const [group, name] = key.split('.') as [string, string];
  return common[group]?.[name];
}

const decode = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

describe('offline pages', () => {
  it.each(codes)('%s: lang, dir, its own texts (or Dutch, marked as such), no script', (lang) => {
    const html = page(lang);
    expect(html).toMatch(new RegExp(`<html lang="${lang}" dir="${LANGUAGES[lang].dir}"`));
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    for (const key of ['offline.title', 'offline.body', 'offline.retry']) {
      const own = text(lang, key);
      const shown = own ?? (text('nl', key) as string);
      expect(decode(html), `${lang} ${key}`).toContain(shown);
      // a sentence that is still Dutch carries lang="nl"
      if (!own && lang !== 'nl') expect(html, `${lang} ${key}`).toMatch(/lang="nl"/);
    }
    expect(html).toContain('href=""');
    expect(html).toContain('#no-signal');
  });

  it('gives each sentence its clip where the language has one, with controls and nothing preloaded', () => {
    for (const lang of codes) {
      const manifest = JSON.parse(readFileSync(join(root, 'public/audio', lang, 'manifest.json'), 'utf8')) as {
        entries: Record<string, { file: string }>;
      };
      const html = page(lang);
      const audios = [...html.matchAll(/<audio\b[^>]*>/g)].map((m) => m[0]);
      for (const a of audios) {
        expect(a).toContain('controls');
        expect(a).toContain('preload="none"');
        const src = /src="\/(audio\/[^"]+)"/.exec(a)?.[1];
        expect(src && existsSync(join(root, 'public', src)), a).toBe(true);
      }
      for (const key of ['offline.title', 'offline.body']) {
        const entry = text(lang, key) ? manifest.entries[key] : undefined;
        if (entry) expect(html, `${lang} ${key}`).toContain(`/audio/${lang}/${entry.file}`);
      }
    }
  });
});
