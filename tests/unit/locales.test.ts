// SPDX-License-Identifier: EUPL-1.2
// Translations are complete: every key the flows and screens use exists in every shipped language,
// with the same placeholders and the plural forms that language needs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DUTCH_ONLY_NAMESPACES, keyPaths, SMS_NAMESPACES } from '../../src/lib/i18n.ts';
import { SMS_LANGUAGES } from '../../src/lib/plan-sms.ts';
import { metaOf, STATE_NAMES } from '../../src/lib/conversation.ts';
import { hasFormalAddress } from '../../src/lib/languages.ts';
import { ANSWERS, codesOf, type AnswerTable } from '../../flows/answers.ts';

const root = new URL('../../', import.meta.url).pathname;
const localeDir = join(root, 'locales');
const languages = readdirSync(localeDir).sort();
/** Every namespace a resident language must have: all of Dutch's but the Dutch-only ones (staff). */
const namespaces = readdirSync(join(localeDir, 'nl'))
  .map((f) => f.replace(/\.json$/, ''))
  .filter((ns) => !([...DUTCH_ONLY_NAMESPACES, ...SMS_NAMESPACES] as readonly string[]).includes(ns));

type Tree = Record<string, unknown>;
function load(lng: string, ns: string): Tree {
  return JSON.parse(readFileSync(join(localeDir, lng, `${ns}.json`), 'utf8')) as Tree;
}
/** Leaf paths with their texts, plural suffixes kept. */
function leaves(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof tree === 'string') out.set(prefix, tree);
  else if (tree && typeof tree === 'object')
    for (const [k, v] of Object.entries(tree))
      for (const [p, t] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(p, t);
  return out;
}
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const PLURAL = /_(zero|one|two|few|many|other)$/;
/** formal variants (i18next context "u"), in the languages that have a polite form */
const CONTEXT = /_u$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|tsx|astro)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('locales', () => {
  const nl = Object.fromEntries(namespaces.map((ns) => [ns, load('nl', ns)]));
  const nlKeys = new Set(namespaces.flatMap((ns) => keyPaths(nl[ns])));

  it('ships Dutch (the source) and English at least', () => {
    expect(languages).toContain('nl');
    expect(languages).toContain('en');
  });

  it('has every key a flow step names, in Dutch', () => {
    for (const state of STATE_NAMES) {
      const meta = metaOf(state);
      const keys = [meta.title, meta.body, ...(meta.options ?? []).map((o) => o.label)].filter(Boolean) as string[];
      for (const key of keys) expect(nlKeys.has(key), `${state}: ${key}`).toBe(true);
    }
  });

  it('has, for every answer of the table, its step, every option label in every language and the staff heading', () => {
    const staff = new Set(keyPaths(load('nl', 'staff')));
    for (const [field, spec] of Object.entries(ANSWERS as AnswerTable)) {
      expect(STATE_NAMES as readonly string[], `${field}: its step ${spec.step} is in the flow`).toContain(spec.step);
      expect(nlKeys.has(`steps.${spec.step}.title`), `${field}: steps.${spec.step}.title`).toBe(true);
      for (const lng of languages) {
        const keys = new Set(keyPaths(load(lng, 'resident')));
        for (const code of codesOf(spec))
          expect(keys.has(`steps.${spec.step}.options.${code}`), `${lng}: ${field} ${code}`).toBe(true);
      }
      if (spec.staff === 'row' || spec.staff === 'language')
        expect(staff.has(`detail.${field}`), `staff:detail.${field}`).toBe(true);
      if (spec.reach) expect(staff.has(`reach.by.${field}`), `staff:reach.by.${field}`).toBe(true);
    }
  });

  it('has every key the code asks for by name, in Dutch', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g)) used.add(m[1] as string);
      for (const m of text.matchAll(/\bt\(\s*`steps\.\$\{screen\.state\}\.(\w+)`/g)) {
        // a per-step part (hint, submit, label) must exist for every step of the kind that asks for it
        const part = m[1] as string;
        const kinds =
          part === 'label'
            ? ['phone', 'text']
            : part === 'submit'
              ? ['phone', 'text', 'multi']
              : part === 'hint'
                ? ['multi']
                : [];
        for (const state of STATE_NAMES) if (kinds.includes(metaOf(state).kind)) used.add(`steps.${state}.${part}`);
      }
    }
    expect(used.size).toBeGreaterThan(10);
    for (const key of used) expect(nlKeys.has(key), key).toBe(true);
  });

  it('gives every formal Dutch variant (key_u) an informal twin with the same placeholders', () => {
    let formal = 0;
    for (const ns of namespaces) {
      const all = leaves(nl[ns]);
      for (const [key, text] of all) {
        if (!CONTEXT.test(key)) continue;
        formal++;
        const twin = all.get(key.replace(CONTEXT, ''));
        expect(twin, `${ns}:${key} has no informal twin`).toBeDefined();
        expect(placeholders(text), key).toEqual(placeholders(twin ?? ''));
        expect(/\b(je|jij|jou|jouw)\b/i.test(text), `${key} still says je`).toBe(false);
      }
    }
    expect(formal).toBeGreaterThan(20);
  });

  it('says "u" in every language with a polite form wherever Dutch does, and nowhere else', () => {
    const formalLanguages = languages.filter((l) => l !== 'nl' && hasFormalAddress(l));
    expect(formalLanguages.sort()).toEqual(['pap', 'pl', 'ti', 'tr', 'uk']);
    for (const lng of languages.filter((l) => l !== 'nl')) {
      for (const ns of namespaces) {
        const want = hasFormalAddress(lng) ? [...leaves(nl[ns]).keys()].filter((k) => CONTEXT.test(k)).sort() : [];
        const have = [...leaves(load(lng, ns)).keys()].filter((k) => CONTEXT.test(k)).sort();
        expect(have, `${lng}:${ns} formal variants`).toEqual(want);
      }
    }
  });

  for (const lng of languages) {
    describe(lng, () => {
      const rules = new Intl.PluralRules(lng === 'pap' ? 'nl' : lng).resolvedOptions().pluralCategories;
      for (const ns of namespaces) {
        const source = leaves(nl[ns]);
        const target = leaves(load(lng, ns));
        const base = (k: string) => k.replace(PLURAL, '').replace(CONTEXT, '');

        it(`${ns}: has exactly the keys of nl`, () => {
          const want = [...new Set([...source.keys()].map(base))].sort();
          const have = [...new Set([...target.keys()].map(base))].sort();
          expect(have).toEqual(want);
        });

        it(`${ns}: uses the same placeholders as nl`, () => {
          for (const [key, text] of target) {
            const sourceText = source.get(key) ?? source.get(`${base(key)}_other`) ?? source.get(base(key)) ?? '';
            expect(placeholders(text), `${lng}:${ns}:${key}`).toEqual(placeholders(sourceText));
          }
        });

        it(`${ns}: has the plural forms ${lng} needs`, () => {
          const pluralBases = new Set([...source.keys()].filter((k) => PLURAL.test(k)).map(base));
          for (const b of pluralBases)
            for (const cat of rules) expect(target.has(`${b}_${cat}`), `${lng}:${b}_${cat}`).toBe(true);
        });

        it(`${ns}: has no HTML and no empty texts`, () => {
          for (const [key, text] of target) {
            expect(text.trim(), key).not.toBe('');
            expect(/<[a-z/!]/i.test(text), `${lng}:${key} holds HTML`).toBe(false);
          }
        });
      }
    });
  }
});

describe('Dutch-only namespaces', () => {
  it('are in Dutch and in no other language (staff work in Dutch; residents never see them)', () => {
    for (const ns of DUTCH_ONLY_NAMESPACES) {
      expect(keyPaths(load('nl', ns)).length, ns).toBeGreaterThan(0);
      for (const lng of languages.filter((l) => l !== 'nl'))
        expect(readdirSync(join(localeDir, lng)), `${lng} has ${ns}`).not.toContain(`${ns}.json`);
    }
  });
});

describe('SMS texts', () => {
  it('exist in exactly the languages an SMS can carry as GSM-7, with every key and placeholder of Dutch', () => {
    for (const ns of SMS_NAMESPACES) {
      const dutch = load('nl', ns);
      for (const lng of languages) {
        const has = readdirSync(join(localeDir, lng)).includes(`${ns}.json`);
        expect(has, `${lng} ${ns}`).toBe((SMS_LANGUAGES as readonly string[]).includes(lng));
        if (!has || lng === 'nl') continue;
        const theirs = load(lng, ns);
        const plan = (t: Tree) => keyPaths((t.sms as Tree).plan as Tree);
        expect(plan(theirs), lng).toEqual(plan(dutch));
      }
    }
  });
});

describe('Arabic does not assume a man', () => {
  // Masculine imperatives that instructions used to address every reader with ("choose", "leave",
  // "call", "write", "enter", "press", "try"); neutral wording (يُرجى + verbal noun, "we"
  // sentences, questions) says the same to everyone.
  const MASCULINE_IMPERATIVES = [
    'اختر',
    'اترك',
    'اتصل',
    'اكتب',
    'أدخل',
    'ادخل',
    'اضغط',
    'حاول',
    'تفضل',
    'انتظر',
    'استمع',
  ];
  const bare = (text: string) => text.replace(/[\u064B-\u0652\u0670\u0671]/g, (c) => (c === '\u0671' ? 'ا' : ''));
  it('no instruction on the resident pages is a masculine imperative', () => {
    const found: string[] = [];
    for (const ns of ['common', 'resident', 'spoken']) {
      let tree: unknown;
      try {
        tree = load('ar', ns);
      } catch {
        continue;
      }
      for (const [key, text] of leaves(tree)) {
        for (const word of bare(text).split(/[\s.,!?:؟،«»()]+/))
          if (MASCULINE_IMPERATIVES.includes(word)) found.push(`${ns}:${key}: ${word}`);
      }
    }
    expect(found).toEqual([]);
  });
});
