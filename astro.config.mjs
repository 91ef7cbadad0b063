// SPDX-License-Identifier: EUPL-1.2
// Astro: server-rendered pages and API routes on Node (standalone adapter), Preact islands.
import node from '@astrojs/node';
import preact from '@astrojs/preact';
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [preact()],
  server: { port: Number(process.env.PORT ?? 4321), host: process.env.HOST ?? 'localhost' },
  build: { inlineStylesheets: 'always' },
  // Origins are checked in src/middleware.ts instead: Astro's own check answers every
  // non-browser form post with 403 before the API can give its 415 / problem+json answers.
  security: { checkOrigin: false },
  devToolbar: { enabled: false },
});
