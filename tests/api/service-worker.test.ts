// SPDX-License-Identifier: EUPL-1.2
/**
 * The built service worker (`npm run build` writes dist/client/sw.js): it precaches the app shell,
 * the "no internet" page of every language, and no audio (clips are kept as they are used, in the
 * resident's language only) and nothing from /api or /staff; it takes over only when asked and never reloads a page.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_ICONS } from '../../src/lib/app-manifest.ts';
import { LANGUAGES } from '../../src/lib/languages.ts';

const root = new URL('../../', import.meta.url).pathname;
const client = join(root, 'dist/client');
let sw = '';
let urls: string[] = [];

beforeAll(() => {
  const file = join(client, 'sw.js');
  if (!existsSync(file)) throw new Error('No dist/client/sw.js: run `npm run build` first');
  sw = readFileSync(file, 'utf8');
  const list = /\[(\{"revision":[\s\S]*?)\]/.exec(sw);
  if (!list) throw new Error('dist/client/sw.js has no precache list');
  urls = (JSON.parse(`[${list[1]}]`) as { url: string; revision: string | null }[]).map((e) => e.url);
});

describe('service worker build', () => {
  it('has its precache list injected', () => {
    expect(sw).not.toContain('__WB_MANIFEST');
    expect(urls.length).toBeGreaterThan(10);
    expect(new Set(urls).size).toBe(urls.length);
  });

  it('precaches the app shell: every script and stylesheet, the sprite, favicon and app icons', () => {
    const assets = readdirSync(join(client, '_astro')).filter((f) => /\.(js|css)$/.test(f));
    expect(assets.length).toBeGreaterThan(0);
    for (const f of assets) expect(urls, f).toContain(`/_astro/${f}`);
    for (const f of ['icons.svg', 'favicon.svg', ...APP_ICONS.map((i) => i.file)]) expect(urls, f).toContain(`/${f}`);
  });

  it('precaches the "no internet" page of every language, and no audio: residents pay for their data', () => {
    for (const lang of Object.keys(LANGUAGES)) expect(urls, lang).toContain(`/offline/${lang}/index.html`);
    expect(urls.filter((u) => u.startsWith('/audio/'))).toEqual([]);
  });

  it('precaches nothing from the API, staff pages, personal links or health check, and no page of the server', () => {
    for (const u of urls) {
      expect(u, u).toMatch(
        /^\/(_astro\/|offline\/[a-z]+\/index\.html$|[\w.-]+\.(svg|png)$)/,
      );
      expect(u, u).not.toMatch(/^\/(api|staff|s|healthz|readyz|\.well-known)(\/|$)/);
    }
    expect(sw).not.toMatch(/["'`]\/(api|staff)\//);
  });

  it('is a production build (no Workbox debug logging)', () => {
    expect(sw).not.toContain('process.env');
    expect(sw).not.toContain('%cworkbox');
  });
});

describe('service worker source', () => {
  const source = readFileSync(join(root, 'src/sw/service-worker.ts'), 'utf8');
  const register = readFileSync(join(root, 'src/islands/pwa.ts'), 'utf8');

  it('takes over only when a page asks, never by itself', () => {
    const calls = source.split('\n').filter((l) => l.includes('skipWaiting('));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain("'SKIP_WAITING'");
  });

  it('never reloads the page it registers from', () => {
    expect(register).not.toMatch(/\.reload\(|location\.(href|assign|replace)\s*[=(]/);
    expect(register).toContain('conversationIdle');
  });
});

describe('app icons', () => {
  it.each(APP_ICONS)('$file is a $size px PNG', ({ file, size, purpose }) => {
    const png = PNG.sync.read(readFileSync(join(root, 'public', file)));
    expect([png.width, png.height]).toEqual([size, size]);
    const alphaAt = (x: number, y: number) => png.data[(y * png.width + x) * 4 + 3];
    // maskable and Apple icons fill the square (the launcher cuts the shape); iOS shows transparency as black
    if (purpose !== 'any') expect([alphaAt(0, 0), alphaAt(size - 1, size - 1)]).toEqual([255, 255]);
  });
});
