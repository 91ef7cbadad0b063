// SPDX-License-Identifier: EUPL-1.2
// The API and browser tests run against the build: one older than the code would test yesterday's app.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
/** What the build is made from. */
const SOURCES = ['src', 'flows', 'locales', 'public', 'astro.config.mjs'];
/** Run from src/ as they are, by the built pages too (astro.config.mjs): a change needs no build. */
const RUN_FROM_SOURCE = ['src/server', 'src/cli'].map((p) => join(root, p));

function newest(path: string): { file: string; mtime: number } {
  if (RUN_FROM_SOURCE.includes(path)) return { file: path, mtime: 0 };
  const stat = statSync(path);
  if (!stat.isDirectory()) return { file: path, mtime: stat.mtimeMs };
  let best = { file: path, mtime: 0 };
  for (const entry of readdirSync(path)) {
    const found = newest(join(path, entry));
    if (found.mtime > best.mtime) best = found;
  }
  return best;
}

/** Throws one clear sentence when there is no build, or when a source file changed after it. */
export function assertFreshBuild(): void {
  const entry = join(root, 'dist/server/entry.mjs');
  if (!existsSync(entry)) throw new Error('No build: run `npm run build` first (npm test does).');
  const built = statSync(entry).mtimeMs;
  for (const source of SOURCES) {
    const path = join(root, source);
    if (!existsSync(path)) continue;
    const changed = newest(path);
    if (changed.mtime > built + 1000) {
      throw new Error(`The build is older than ${relative(root, changed.file)}: run \`npm run build\` first (npm test does).`);
    }
  }
}
