// SPDX-License-Identifier: EUPL-1.2
// Build step, after `astro build`: the sha256 of every inline script a page of this build can
// carry — Astro's island loader and its hydration directives; the project writes none of its own —
// into dist/csp-script-hashes.json. The server allows exactly these (src/server/http/security-headers.ts):
// a script that reached a page any other way has no hash and does not run.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ISLAND = 'astro/runtime/server/astro-island.prebuilt.js';
const DIRECTIVES = ['load', 'idle', 'visible', 'media', 'only'].map((d) => `astro/runtime/client/${d}.prebuilt.js`);

export const HASHES_FILE = fileURLToPath(new URL('../../dist/csp-script-hashes.json', import.meta.url));

export function scriptHash(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

export async function buildScriptHashes(): Promise<{ astro: string; scripts: { source: string; hash: string }[] }> {
  const scripts: { source: string; hash: string }[] = [];
  for (const source of [ISLAND, ...DIRECTIVES]) {
    const text = ((await import(source)) as { default: string }).default;
    scripts.push({ source, hash: scriptHash(text) });
  }
  return { astro: (require('astro/package.json') as { version: string }).version, scripts };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildScriptHashes();
  writeFileSync(HASHES_FILE, `${JSON.stringify(built, null, 2)}\n`);
  console.log(`wrote ${HASHES_FILE} (${built.scripts.length} script hashes, astro ${built.astro})`);
}
