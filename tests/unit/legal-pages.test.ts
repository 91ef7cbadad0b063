// SPDX-License-Identifier: EUPL-1.2
// The privacy page and the accessibility statement as data: every text of the `legal` namespace is
// shown by some variant, nothing is left unfilled, and the municipality's own settings decide the facts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LanguageCode } from '../../src/lib/languages.ts';
import type { Municipality } from '../../src/lib/municipality.ts';
import { formatDate, legalPageOf, NATIONAL_OMBUDSMAN, type Block } from '../../src/server/legal/pages.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';

const root = new URL('../../', import.meta.url).pathname;
const [voorbeeld, zeedorp] = demoMunicipalities() as [Municipality, Municipality];
const KINDS = ['accessibility', 'privacy'] as const;

type Page = ReturnType<typeof legalPageOf>;
function blockTexts(block: Block): string[] {
  if (block.kind === 'text') return [block.text];
  if (block.kind === 'list') return block.items;
  return [...block.links.map((l) => l.text), ...(block.note ? [block.note] : [])];
}
/** Every text the page shows, the layout's skip link included. */
function allTexts(page: Page): string[] {
  return [
    page.t('skipLink'),
    page.heading,
    page.back.text,
    page.languagesLabel,
    ...page.intro.flatMap(blockTexts),
    ...page.sections.flatMap((s) => [s.title, ...s.blocks.flatMap(blockTexts)]),
  ];
}
function leaves(tree: unknown, prefix = ''): [string, string][] {
  if (typeof tree === 'string') return [[prefix, tree]];
  if (!tree || typeof tree !== 'object') return [];
  return Object.entries(tree).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}
const nlLegal = leaves(JSON.parse(readFileSync(`${root}locales/nl/legal.json`, 'utf8')));
/** A text with its placeholders as wildcards. */
const pattern = (text: string) =>
  new RegExp(
    `^${text
      .split(/\{\{\s*\w+\s*\}\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+')}$`,
    's',
  );

/** The settings that switch parts of the pages on and off, each way. */
const variants: Municipality[] = [
  voorbeeld,
  zeedorp,
  ...(['A', 'B', 'D'] as const).map((status) => ({ ...voorbeeld, accessibility: { status, date: '2026-01-31' } })),
  { ...voorbeeld, accessibility: undefined, email: undefined, privacyOfficer: undefined },
  { ...zeedorp, ombudsman: { name: 'Ombudsman Zeedorp', website: 'https://ombudsman.zeedorp.example' } },
];

describe('legal pages', () => {
  it('show every Dutch text of the legal namespace in some variant, informal and formal', () => {
    for (const [form, municipalities] of [
      ['je', variants.filter((m) => m.address === 'je')],
      ['u', variants.filter((m) => m.address === 'u')],
    ] as const) {
      const shown = municipalities.flatMap((m) => KINDS.flatMap((kind) => allTexts(legalPageOf(m, 'nl', kind))));
      // the informal pass checks every text; the formal pass the formal variants (key_u)
      const keys = form === 'je' ? nlLegal.filter(([key]) => !key.endsWith('_u')) : nlLegal.filter(([key]) => key.endsWith('_u'));
      const missing = keys
        .filter(([, text]) => !shown.some((s) => pattern(text).test(s)))
        .map(([key]) => key);
      expect(missing, `legal texts never shown (${form})`).toEqual([]);
    }
  });

  it('fill every placeholder, in every language of every demo municipality', () => {
    for (const m of [voorbeeld, zeedorp])
      for (const lang of m.languages as LanguageCode[])
        for (const kind of KINDS) {
          const page = legalPageOf(m, lang, kind);
          expect(page.lang).toBe(lang);
          expect(page.dir).toBe(lang === 'ar' ? 'rtl' : 'ltr');
          for (const text of allTexts(page)) expect(text, `${m.slug}/${lang}/${kind}`).not.toMatch(/\{\{|\}\}|^(privacy|accessibility|contact)\./);
        }
  });

  it('say how long this municipality keeps a phone number, and how to reach it', () => {
    const texts = (m: Municipality) => allTexts(legalPageOf(m, 'nl', 'privacy')).join('\n');
    expect(texts(voorbeeld)).toContain('na 6 maanden je telefoonnummer');
    expect(texts(zeedorp)).toContain('na 3 maanden uw telefoonnummer');
    const links = legalPageOf(zeedorp, 'nl', 'privacy').sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'links' ? b.links : [])));
    expect(links.map((l) => l.href)).toEqual(
      expect.arrayContaining([`tel:${zeedorp.phone}`, `mailto:${zeedorp.email}`, `mailto:${zeedorp.privacyOfficer?.email}`, 'tel:+31113987600']),
    );
  });

  it('give the status and date of the statement, or say there is none', () => {
    const status = (m: Municipality) => legalPageOf(m, 'en', 'accessibility').sections.find((s) => s.id === 'status');
    expect(blockTexts(status(voorbeeld)!.blocks[0]!)[0]).toMatch(/^Status C:/);
    expect(status(voorbeeld)!.blocks.flatMap(blockTexts)).toContain('Date of this statement: November 26, 2026.');
    const none = status({ ...voorbeeld, accessibility: undefined })!.blocks.flatMap(blockTexts);
    expect(none[0]).toMatch(/^Status E:/);
    expect(none.some((t) => t.startsWith('Date'))).toBe(false);
  });

  it('send complaints to the Nationale ombudsman (free number) unless the municipality names its own', () => {
    const links = (m: Municipality) =>
      legalPageOf(m, 'nl', 'accessibility')
        .sections.find((s) => s.id === 'complaint')!
        .blocks.flatMap((b) => (b.kind === 'links' ? b.links.map((l) => l.href) : []));
    expect(links(voorbeeld)).toEqual([voorbeeld.website, 'tel:+318003355555', NATIONAL_OMBUDSMAN.website]);
    expect(links({ ...voorbeeld, ombudsman: { name: 'Ombudsman X', website: 'https://x.example' } })).toEqual([voorbeeld.website, 'https://x.example']);
  });

  it('keep phone numbers and addresses left to right inside Arabic sentences', () => {
    const links = legalPageOf(voorbeeld, 'ar', 'privacy').sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'links' ? b.links : [])));
    expect(links.find((l) => l.href.startsWith('tel:'))?.text).toContain('\u20660118\u00a0123\u00a0456\u2069');
    expect(links.find((l) => l.href.startsWith('mailto:'))?.text).toContain('\u2066vragen@voorbeeld.example\u2069');
  });

  it('write dates in the language, Dutch month names where the runtime has none', () => {
    expect(formatDate('2026-11-26', 'nl')).toBe('26 november 2026');
    expect(formatDate('2026-11-26', 'pap')).toBe('26 november 2026');
    expect(formatDate('2026-11-26', 'tr')).toBe('26 Kasım 2026');
  });
});
