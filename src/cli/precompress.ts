// SPDX-License-Identifier: EUPL-1.2
// Build step, last: a brotli and a gzip copy beside every text file of dist/client over 1 KB, so
// the server answers static files compressed at the best level without compressing per request
// (@fastify/static, preCompressed). Audio and images are compressed already and are left alone.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(js|mjs|css|html|svg|json|webmanifest|txt|xml)$/;
const MIN_BYTES = 1024;

export function precompress(dir: string): { files: number; before: number; brotli: number } {
  let files = 0;
  let before = 0;
  let brotli = 0;
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (TEXT.test(entry.name) && statSync(path).size >= MIN_BYTES) {
        const bytes = readFileSync(path);
        const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
        writeFileSync(`${path}.br`, br);
        writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
        files += 1;
        before += bytes.length;
        brotli += br.length;
      }
    }
  };
  walk(dir);
  return { files, before, brotli };
}

if (import.meta.main) {
  const dir = fileURLToPath(new URL('../../dist/client/', import.meta.url));
  const { files, before, brotli } = precompress(dir);
  console.log(`precompressed ${files} files: ${Math.round(before / 1024)} KB → ${Math.round(brotli / 1024)} KB brotli`);
}
