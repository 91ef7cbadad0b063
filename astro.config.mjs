// SPDX-License-Identifier: EUPL-1.2
// Astro: server-rendered pages and API routes on Node, Preact islands. The server's own modules
// (src/server) are not bundled: the built pages import them from src/, so the app (createApp in
// src/server/app.ts) and the pages share one copy of each, run by Node's type stripping. Server
// modules therefore never import an island (.tsx); the pages that render one do.
import { fileURLToPath } from 'node:url';
import node from '@astrojs/node';
import preact from '@astrojs/preact';
import { defineConfig } from 'astro/config';

const serverDir = fileURLToPath(new URL('./src/server/', import.meta.url));

/**
 * In the build, an import that resolves to a server module becomes an external import of
 * `#server/<path>` (package.json "imports" maps it to src/server), so Node loads that module
 * from src/, once, for the app and the pages alike.
 */
const serverModulesFromSrc = {
  name: 'hulpgesprek:server-modules-from-src',
  apply: 'build',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    // the server build only: an island must never reach a server module
    if (this.environment?.config.consumer === 'client') return null;
    if (!importer || source.startsWith('#server/') || source.startsWith('\0')) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    const id = resolved?.id.split('?')[0];
    if (!id || !id.startsWith(serverDir) || !id.endsWith('.ts')) return null;
    return { id: `#server/${id.slice(serverDir.length)}`, external: true };
  },
};

export default defineConfig({
  output: 'server',
  // middleware mode: the app's HTTP layer (src/server/http/server.ts) serves static files and the API, and hands pages to Astro
  adapter: node({ mode: 'middleware' }),
  integrations: [preact()],
  build: { inlineStylesheets: 'always' },
  // Origins are checked in src/middleware.ts instead: Astro's own check answers every
  // non-browser form post with 403 before the API can give its 415 / problem+json answers.
  security: { checkOrigin: false },
  devToolbar: { enabled: false },
  vite: { plugins: [serverModulesFromSrc] },
});
