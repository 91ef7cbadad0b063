// SPDX-License-Identifier: EUPL-1.2
// Build step after `astro build`: bundles src/sw/service-worker.ts and injects the precache list
// (app shell and "no internet" pages), giving dist/client/sw.js.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { injectManifest } from 'workbox-build';
import { APP_ICONS } from '../lib/app-manifest.ts';
import { LANGUAGES } from '../lib/languages.ts';
import { isNeverIntercepted } from '../lib/offline-paths.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLIENT = join(root, 'dist/client');

/** What every resident page needs (paths relative to dist/client). Never audio wholesale, never /api or /staff. */
export const SHELL_PATTERNS = [
  '_astro/**/*.{js,css}',
  'icons.svg',
  'favicon.svg',
  ...APP_ICONS.map((i) => i.file),
  'offline/*/index.html',
];

export async function buildServiceWorker(clientDir = CLIENT): Promise<{ count: number; size: number; urls: string[] }> {
  const missing = Object.keys(LANGUAGES).filter((lang) => !existsSync(join(clientDir, 'offline', lang, 'index.html')));
  if (missing.length) throw new Error(`no "no internet" page for ${missing.join(', ')}: run astro build first`);
  const tmp = mkdtempSync(join(tmpdir(), 'hulpgesprek-sw-'));
  try {
    const bundled = join(tmp, 'sw.js');
    await build({
      entryPoints: [join(root, 'src/sw/service-worker.ts')],
      outfile: bundled,
      bundle: true,
      // a classic worker script: module service workers are not in every browser residents have
      format: 'iife',
      platform: 'browser',
      target: 'es2017',
      minify: true,
      legalComments: 'none',
      // drops Workbox's development logging and checks
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'warning',
    });
    const result = await injectManifest({
      swSrc: bundled,
      swDest: join(clientDir, 'sw.js'),
      globDirectory: clientDir,
      globPatterns: SHELL_PATTERNS,
      globIgnores: ['sw.js'],
      modifyURLPrefix: { '': '/' },
      // content-hashed names need no revision of their own
      dontCacheBustURLsMatching: /^\/(_astro|audio)\//,
    });
    // e.g. a pattern that matched nothing: the shell would be incomplete offline
    if (result.warnings.length) throw new Error(`sw.js: ${result.warnings.join('; ')}`);
    const text = readFileSync(join(clientDir, 'sw.js'), 'utf8');
    const urls = [...text.matchAll(/\{"revision":(?:null|"[0-9a-f]+"),"url":"([^"]+)"\}/g)].map((m) => m[1] as string);
    if (urls.length !== result.count)
      throw new Error(`sw.js: expected ${result.count} precache entries, found ${urls.length}`);
    const forbidden = urls.filter((u) => isNeverIntercepted(u));
    if (forbidden.length) throw new Error(`sw.js must not precache ${forbidden.join(', ')}`);
    return { count: result.count, size: result.size, urls };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { count, size } = await buildServiceWorker();
  console.log(`wrote dist/client/sw.js (precaches ${count} files, ${Math.round(size / 1024)} KB)`);
}
