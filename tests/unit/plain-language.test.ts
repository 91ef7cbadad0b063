// SPDX-License-Identifier: EUPL-1.2
// Plain Dutch, checked: short sentences, no jargon (the failure names the plain word), no blame —
// on the conversation's screens and on the privacy and accessibility pages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
type Tree = Record<string, unknown>;
function leaves(tree: unknown, prefix = ''): [string, string][] {
  if (typeof tree === 'string') return [[prefix, tree]];
  if (!tree || typeof tree !== 'object') return [];
  return Object.entries(tree).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}
const texts = ['resident', 'common', 'legal'].flatMap((ns) =>
  leaves(JSON.parse(readFileSync(`${root}locales/nl/${ns}.json`, 'utf8')) as Tree).map(([k, v]) => [`${ns}:${k}`, v] as const),
);

/** Words that stand between a resident and the help, with what to say instead. */
export const JARGON: Record<string, string> = {
  betalingsachterstand: 'een rekening die nog niet betaald is',
  achterstand: 'een rekening die nog niet betaald is',
  schuldhulpverlening: 'hulp bij geldzorgen',
  vroegsignalering: '(niet nodig: zeg wie je bent en waarom je belt)',
  incasso: 'het bedrijf dat het geld komt halen',
  beslag: 'ze mogen geld van je inhouden',
  aflossing: 'terugbetalen',
  verzoek: 'vraag',
  indien: 'als',
  teneinde: 'om',
  middels: 'met',
  derhalve: 'daarom',
  inzake: 'over',
  'dient te': 'moet',
  'ten behoeve van': 'voor',
  persoonsgegevens: 'gegevens over jou',
  bewaartermijn: 'hoe lang we het bewaren',
  contactgegevens: 'je telefoonnummer',
  aanvraag: 'vraag',
  woonlasten: 'huur en rekeningen',
  invorderingsmaatregel: 'wat het bedrijf kan doen',
  deurwaarder: 'iemand die namens het bedrijf het geld komt halen',
};
/** Words of blame or guilt: never said to a resident. */
export const BLAME = ['schuld', 'fout', 'nalatig', 'achterstallig', 'wanbetaler', 'verzuim', 'had moeten', 'te laat betaald', 'onverantwoord', 'slordig'];
/** Where a jargon word is what the letter itself says, or a name the resident must recognise. */
const ALLOWED: Record<string, string[]> = {
  'resident:steps.urgency.options.bailiff': ['deurwaarder'],
  // proper names the privacy page must give: the law that allows it, the authority that hears complaints
  'legal:privacy.lawName': ['schuldhulpverlening', 'schuld'],
  'legal:privacy.authority': ['persoonsgegevens'],
  'legal:privacy.authority_u': ['persoonsgegevens'],
};

function sentences(text: string): string[] {
  return text
    .replace(/\{\{\s*\w+\s*\}\}/g, 'X')
    .split(/(?<=[.!?])\s+|:\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

describe('plain Dutch on resident screens', () => {
  it('finds texts to check', () => {
    expect(texts.length).toBeGreaterThan(100);
  });

  it('keeps every sentence to at most 15 words', () => {
    const long = texts.flatMap(([key, text]) =>
      sentences(text)
        .filter((s) => s.split(/\s+/).length > 15)
        .map((s) => `${key}: "${s}" (${s.split(/\s+/).length} words)`),
    );
    expect(long).toEqual([]);
  });

  it('uses no jargon', () => {
    const found = texts.flatMap(([key, text]) =>
      Object.entries(JARGON)
        .filter(([word]) => new RegExp(`\\b${word}`, 'i').test(text) && !(ALLOWED[key] ?? []).includes(word))
        .map(([word, plain]) => `${key}: "${word}" — say: ${plain}`),
    );
    expect(found).toEqual([]);
  });

  it('uses no words of blame', () => {
    const found = texts.flatMap(([key, text]) => BLAME.filter((w) => text.toLowerCase().includes(w) && !(ALLOWED[key] ?? []).includes(w)).map((w) => `${key}: "${w}"`));
    expect(found).toEqual([]);
  });

  it('catches what it should (the checks can fail)', () => {
    expect(sentences('Dit is een zin met heel veel woorden die veel te lang is voor iemand die slecht leest en moe is.')[0]?.split(/\s+/).length).toBeGreaterThan(15);
    expect(new RegExp('\\bbetalingsachterstand', 'i').test('Je hebt een Betalingsachterstand.')).toBe(true);
    expect(BLAME.some((w) => 'Het is jouw schuld.'.includes(w))).toBe(true);
  });
});
