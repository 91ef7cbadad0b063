// SPDX-License-Identifier: EUPL-1.2
/**
 * Rules about where things are said: the answers are named in flows/ only, not again in src/; and
 * every sentence a person reads is in locales/, none in the code.
 */
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

/** Words that mark a Dutch sentence (and are not English words as well). */
const DUTCH_WORDS = new Set(
  'de het een van en niet je jij u uw voor met dit deze dat zijn wordt worden kan kunt naar bij geen er ook nog als om uit tot aan al eens wat wie hoe waar wij ons onze hier dan maar moet mag heeft hebben later opnieuw eerst te mij mijn jouw graag even welke waarom kies gemeente inwoner medewerker verzoek gesprek brief'.split(' '),
);

function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1')
    .replace(/<!--[\s\S]*?-->/g, ' ');
}

/** Quoted strings, template strings and text between tags: what could reach a reader. */
function texts(source: string): string[] {
  return [...withoutComments(source).matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`|>([^<>{}]+)</g)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '',
  );
}

/** A Dutch sentence: three words or more, of which at least two only Dutch uses. */
export function isDutchSentence(text: string): boolean {
  const words = text.toLowerCase().split(/[^a-zà-ÿ]+/).filter(Boolean);
  return words.length >= 3 && new Set(words.filter((w) => DUTCH_WORDS.has(w))).size >= 2;
}

describe('every sentence is in locales/', () => {
  it('tells a Dutch sentence from English and from code', () => {
    expect(isDutchSentence('Deze link werkt niet')).toBe(true);
    expect(isDutchSentence('Kies een gemeente waarvoor u werkt.')).toBe(true);
    expect(isDutchSentence('This link does not work, or it is too old.')).toBe(false);
    expect(isDutchSentence('steps.${state}.title')).toBe(false);
  });

  it('finds no Dutch sentence in a .ts, .tsx or .astro file under src/', () => {
    const found: string[] = [];
    for (const file of files(join(root, 'src')).filter((f) => /\.(ts|tsx|astro)$/.test(f))) {
      for (const text of texts(readFileSync(file, 'utf8'))) if (isDutchSentence(text)) found.push(`${file.slice(root.length)}: ${text.trim().slice(0, 80)}`);
    }
    expect(found).toEqual([]);
  });
});

describe('the README shows the layout', () => {
  it('names every folder of src/server in "How the code is laid out"', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## How the code is laid out'), readme.indexOf('### The conversation a resident has'));
    const folders = readdirSync(join(root, 'src/server'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.length).toBeGreaterThan(5);
    for (const folder of folders) expect(section, folder).toMatch(new RegExp(`^  ${folder}/ `, 'm'));
    for (const file of readdirSync(join(root, 'src/server')).filter((f) => f.endsWith('.ts'))) expect(section, file).toContain(file);
  });
});

describe('one way to do a thing', () => {
  const sources = () => files(join(root, 'src')).filter((f) => /\.(ts|tsx|astro)$/.test(f));

  it('checks ids in one place (src/lib/ids.ts)', () => {
    const elsewhere = sources().filter((f) => !f.endsWith('src/lib/ids.ts') && /\[0-9a-f\]\{8\}-|\[0-9a-f-\]\{36\}|z\.uuid\(/.test(readFileSync(f, 'utf8')));
    expect(elsewhere.map((f) => f.slice(root.length))).toEqual([]);
  });

  it('reads and writes cookies in one place (src/server/http/cookies.ts)', () => {
    const elsewhere = sources().filter(
      (f) => !f.endsWith('src/server/http/cookies.ts') && /headers\.get\('cookie'\)|HttpOnly'|SameSite=/.test(readFileSync(f, 'utf8')),
    );
    expect(elsewhere.map((f) => f.slice(root.length))).toEqual([]);
  });

  it('turns zod problems into problem+json in one place (invalidParamsOf, through invalidBody)', () => {
    // configuration and municipality files report on the command line, not as problem+json
    const own = ['src/lib/callback-request.ts', 'src/server/config.ts', 'src/lib/municipality.ts'];
    const elsewhere = sources().filter((f) => !own.some((o) => f.endsWith(o)) && /\.issues\.(map|flatMap)\(/.test(readFileSync(f, 'utf8')));
    expect(elsewhere.map((f) => f.slice(root.length))).toEqual([]);
  });
});
