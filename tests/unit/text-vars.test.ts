// SPDX-License-Identifier: EUPL-1.2
// What a municipality fills into texts: numbers that stay left-to-right, and how they are spoken.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/lib/i18n.ts';
import { openingHoursText } from '../../src/lib/hours.ts';
import { spokenPhone, spokenTimes } from '../../src/lib/speech.ts';
import { addressContext, spokenVars, textVars } from '../../src/lib/text-vars.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';

const root = new URL('../../', import.meta.url).pathname;
const load = (lng: string, ns: string) => JSON.parse(readFileSync(`${root}locales/${lng}/${ns}.json`, 'utf8'));
const i18n = createI18n(Object.fromEntries(['nl', 'ar', 'pap', 'pl', 'uk', 'tr', 'ti'].map((l) => [l, { resident: load(l, 'resident'), common: load(l, 'common') }])));
const [voorbeeld, zeedorp] = demoMunicipalities() as [ReturnType<typeof demoMunicipalities>[number], ReturnType<typeof demoMunicipalities>[number]];

describe('text values', () => {
  it('isolates phone numbers and web addresses inside right-to-left sentences only', () => {
    expect(textVars(i18n, voorbeeld, 'ar').phone).toBe('\u20660118\u00a0123\u00a0456\u2069');
    expect(textVars(i18n, voorbeeld, 'nl').phone).toBe('0118\u00a0123\u00a0456');
  });
  it('speaks phone numbers digit by digit and times without a leading zero', () => {
    expect(spokenPhone('0118 123 456')).toBe('0 1 1 8, 1 2 3, 4 5 6');
    expect(spokenTimes('09:00–17:00')).toBe('9:00 – 17:00');
    expect(spokenVars(i18n, voorbeeld, 'nl').phone).toBe('0 1 1 8, 1 2 3, 4 5 6');
  });
  it('writes opening hours with local day names, Dutch where the runtime has none', () => {
    // word joiners (U+2060) keep each range on one line
    expect(openingHoursText(zeedorp.openingHours, 'nl').replace(/\u2060/g, '')).toBe('ma–do 08:30–17:00; vr 08:30–12:30');
    expect(openingHoursText(zeedorp.openingHours, 'nl')).toContain('08:30\u2060–\u206017:00');
    expect(openingHoursText(zeedorp.openingHours, 'pap')).toBe(openingHoursText(zeedorp.openingHours, 'nl'));
  });
  it('promises in working days, the shorter urgent promise too, and never the staff calling window', () => {
    // the resident chose their own part of day: "between 09:00 and 12:00" would contradict "evening"
    expect(textVars(i18n, voorbeeld, 'nl').promise).toBe('binnen 2 werkdagen');
    expect(textVars(i18n, voorbeeld, 'nl').urgentPromise).toBe('binnen 1 werkdag');
    expect(textVars(i18n, zeedorp, 'nl').promise).toBe('binnen 3 werkdagen');
  });
  it('says "u" where the municipality does, in every language with a polite form', () => {
    expect(addressContext(zeedorp, 'nl')).toBe('u');
    for (const lng of ['pl', 'uk', 'tr', 'pap', 'ti']) expect(addressContext(zeedorp, lng), lng).toBe('u');
    expect(addressContext(zeedorp, 'en')).toBeUndefined();
    expect(addressContext(zeedorp, 'ar')).toBeUndefined();
    expect(addressContext(voorbeeld, 'nl')).toBeUndefined();
    expect(i18n.t('steps.welcome.body', { lng: 'nl', ns: 'resident', context: addressContext(zeedorp, 'nl') })).toMatch(/^U /);
  });
});

describe('respectful address in every language', () => {
  it('a municipality that says "u" says it in Polish, Ukrainian, Turkish, Papiamentu and Tigrinya too', async () => {
    const { stringTable } = await import('../../src/lib/i18n.ts');
    for (const lng of ['pl', 'uk', 'tr', 'pap', 'ti']) {
      const informal = stringTable(i18n, lng, textVars(i18n, voorbeeld, lng), undefined, addressContext(voorbeeld, lng));
      const formal = stringTable(i18n, lng, textVars(i18n, zeedorp, lng), undefined, addressContext(zeedorp, lng));
      expect(formal['steps.consent.number'], lng).toBe(i18n.t('steps.consent.number', { lng, ns: 'resident', context: 'u' }));
      expect(informal['steps.phone.title'], lng).toBe(i18n.t('steps.phone.title', { lng, ns: 'resident' }));
      // most texts that address the resident change between the two
      const differing = Object.keys(formal).filter((k) => formal[k] !== informal[k] && !/Voorbeeld|Zeedorp|\d/.test(`${formal[k]}${informal[k]}`));
      expect(differing.length, lng).toBeGreaterThan(10);
    }
  });
});
