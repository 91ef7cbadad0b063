// SPDX-License-Identifier: EUPL-1.2
// The contact plan's SMS: every language and wording fits one GSM-7 message with the link, the
// check word and STOP; languages an SMS cannot carry get Dutch; the wording variant is drawn
// reproducibly from a seed and evenly over many cases.
import { describe, expect, it } from 'vitest';
import { contactPlanSchema, DEFAULT_PLAN } from '../../src/lib/contact-plan.ts';
import { gsm7Length, isGsm7 } from '../../src/lib/gsm7.ts';
import { SmsTextError } from '../../src/lib/invite-sms.ts';
import { LANGUAGES } from '../../src/lib/languages.ts';
import { planSmsText, SMS_LANGUAGES, SMS_VARIANTS, smsLanguage, variantOf } from '../../src/lib/plan-sms.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';

// a long but real-looking address: 41 characters before the code
const LINK = 'https://hulpgesprek.gemeente-voorbeeld.nl/s/ABCDEFGHJKLMN';

describe('the plan SMS', () => {
  for (const language of SMS_LANGUAGES)
    for (const variant of SMS_VARIANTS)
      for (const m of demoMunicipalities())
        it(`${language} ${variant} for ${m.name}: one GSM-7 message with the link, the check word and STOP`, () => {
          const text = planSmsText({ language, variant, municipalityName: m.name, link: LINK, checkWord: 'appel' });
          expect(isGsm7(text), text).toBe(true);
          expect(gsm7Length(text), text).toBeLessThanOrEqual(160);
          expect(text).toContain(` ${LINK} `);
          expect(text).toContain('APPEL');
          expect(text).toMatch(/\bSTOP\b/);
          // with an everyday address, the wording and the full name fit
          const everyday = planSmsText({ language, variant, municipalityName: m.name, link: 'https://hulp.voorbeeld.nl/s/ABCDEFGHJKLMN', checkWord: 'appel' });
          expect(everyday.startsWith(`${m.name}:`), everyday).toBe(true);
          expect(everyday.length, everyday).toBeGreaterThan(120);
        });

  it('gives up the name\'s "Gemeente", then the explanation, before it gives up the link', () => {
    const long = planSmsText({ language: 'nl', variant: 'invitePersonal', municipalityName: 'Gemeente Súdwest-Fryslân', link: 'https://hulp.voorbeeld.nl/s/ABCDEFGHJKLMN', checkWord: 'peer' });
    expect(long.startsWith('Sudwest-Fryslan:')).toBe(true);
    const longer = planSmsText({ language: 'nl', variant: 'invitePersonal', municipalityName: 'Gemeente Súdwest-Fryslân', link: `${LINK}XXXXXXXXXXXXXXX`, checkWord: 'peer' });
    expect(longer).toBe(`Gemeente Sudwest-Fryslan: gratis hulp: ${LINK}XXXXXXXXXXXXXXX Controlewoord: PEER Stop? Stuur STOP`);
    expect(() => planSmsText({ language: 'nl', variant: 'invite', municipalityName: 'Gemeente Voorbeeld', link: `https://x.nl/${'a'.repeat(120)}`, checkWord: 'peer' })).toThrow(SmsTextError);
    expect(() => planSmsText({ language: 'nl', variant: 'invite', municipalityName: 'Gemeente Voorbeeld', link: 'https://hulp.nl/s/€', checkWord: 'peer' })).toThrow(SmsTextError);
  });

  it('is in the resident\'s language where GSM-7 carries it, else in Dutch', () => {
    expect(Object.keys(LANGUAGES).map((l) => [l, smsLanguage(l)])).toEqual([
      ['nl', 'nl'],
      ['en', 'en'],
      ['tr', 'tr'],
      ['ar', 'nl'],
      ['pl', 'pl'],
      ['uk', 'nl'],
      ['pap', 'pap'],
      ['ti', 'nl'],
    ]);
    expect(smsLanguage(null)).toBe('nl');
  });
});

describe('wording variants', () => {
  const ids = Array.from({ length: 4000 }, (_, i) => `case-${i}`);

  it('are drawn reproducibly from the seed: the same seed, the same variant per case; another seed, another draw', () => {
    const draw = (seed: string) => ids.map((id) => variantOf(seed, id, 'sms', ['invite', 'invitePersonal']));
    expect(draw('voorbeeld-2026')).toEqual(draw('voorbeeld-2026'));
    const other = draw('zeedorp-2026');
    const same = draw('voorbeeld-2026').filter((v, i) => v === other[i]).length;
    expect(same / ids.length).toBeGreaterThan(0.4);
    expect(same / ids.length).toBeLessThan(0.6);
  });

  it('come about equally often over many cases (each within 47–53 % of 4,000), also for three', () => {
    const two = ids.map((id) => variantOf('s', id, 'sms', ['invite', 'invitePersonal']));
    const a = two.filter((v) => v === 'invite').length / ids.length;
    expect(a).toBeGreaterThan(0.47);
    expect(a).toBeLessThan(0.53);
    const three = ids.map((id) => variantOf('s', id, 'sms', ['invite', 'invitePersonal', 'reminder']));
    for (const v of ['invite', 'invitePersonal', 'reminder']) expect(three.filter((x) => x === v).length / ids.length).toBeGreaterThan(0.3);
  });

  it('are named in the plan only on SMS steps and only from the texts there are', () => {
    expect(contactPlanSchema.safeParse(DEFAULT_PLAN).success).toBe(true);
    const call = contactPlanSchema.safeParse({ steps: [{ id: 'call', day: 0, action: 'call', variants: ['invite'] }] });
    expect(call.success).toBe(false);
    expect(JSON.stringify(call.error?.issues)).toContain('only an SMS step has wording variants');
    expect(contactPlanSchema.safeParse({ steps: [{ id: 'sms', day: 0, action: 'sms', variants: ['wervend'] }] }).success).toBe(false);
    expect(contactPlanSchema.safeParse({ steps: [{ id: 'sms', day: 0, action: 'sms' }], sending: { from: '20:00', to: '09:00', perMinute: 10 } }).success).toBe(false);
    expect(contactPlanSchema.parse({ steps: [{ id: 'sms', day: 0, action: 'sms' }] }).sending).toEqual({ from: '09:00', to: '20:00', perMinute: 60 });
  });
});
