// SPDX-License-Identifier: EUPL-1.2
/** Rules about where things are said: the answers are named in flows/ only, not again in src/. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('the answers are described once', () => {
  it('names no answer of the optional questions (checkin, moreBills, happened) in any file under src/', () => {
    const found: string[] = [];
    for (const file of files(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(checkin|moreBills|happened)\b/g)) found.push(`${file.slice(root.length)}: ${m[1]}`);
    }
    expect(found).toEqual([]);
  });
});
