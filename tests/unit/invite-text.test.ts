// SPDX-License-Identifier: EUPL-1.2
// What invitations are made of: GSM-7 SMS texts, the CSV in and out, and the client networks of the guessing limit.
import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv, toCsv } from '../../src/lib/csv.ts';
import { gsm7Length, isGsm7, toGsm7Basic } from '../../src/lib/gsm7.ts';
import { CHECK_WORDS } from '../../src/lib/invite-code.ts';
import { inviteSmsText, SmsTextError } from '../../src/lib/invite-sms.ts';
import { parseConfig } from '../../src/server/config.ts';
import { clientNetwork } from '../../src/server/http/rate-limit.ts';

describe('GSM-7', () => {
  it('knows the basic set, including its accented letters and Greek capitals', () => {
    expect(isGsm7('Gemeente Voorbeeld: Kijk op https://x.nl/s/ABC Controlewoord: APPEL')).toBe(true);
    expect(isGsm7('é è ù ì ò Ç Ø å Ä ö ñ ü à ß É Δ Ω @ £ $ ¥ § ¿ ¡ _')).toBe(true);
    expect(isGsm7('€')).toBe(false); // extension table: two septets, and not "basic"
    expect(isGsm7('[x]')).toBe(false);
    expect(isGsm7('â')).toBe(false);
    expect(isGsm7('’')).toBe(false);
    expect(isGsm7('😀')).toBe(false);
  });

  it('counts septets: extension characters take two, others make it not GSM-7 at all', () => {
    expect(gsm7Length('abc')).toBe(3);
    expect(gsm7Length('€5')).toBe(3);
    expect(gsm7Length('{[~]}')).toBe(10);
    expect(gsm7Length('Fryslân')).toBeNull();
    expect(gsm7Length('😀')).toBeNull();
  });

  it('transliterates names into the basic set', () => {
    expect(toGsm7Basic('Súdwest-Fryslân')).toBe('Sudwest-Fryslan');
    expect(toGsm7Basic('Gemeente ’s-Hertogenbosch')).toBe("Gemeente 's-Hertogenbosch");
    expect(toGsm7Basic('Café  Noord–Zuid')).toBe('Café Noord-Zuid');
    expect(toGsm7Basic('IJsselstein\nOost')).toBe('IJsselstein Oost');
  });
});

describe('the invitation SMS', () => {
  const link = (base: string) => `${base}/s/ABCDEFGHJKMNP`;
  const longestWord = [...CHECK_WORDS].sort((a, b) => b.length - a.length)[0]?.toUpperCase() ?? '';

  it('reads in full for a usual name and address', () => {
    expect(
      inviteSmsText({
        municipalityName: 'Gemeente Voorbeeld',
        link: link('https://hulp.voorbeeld.nl'),
        checkWord: 'APPEL',
      }),
    ).toBe(
      'Gemeente Voorbeeld: er staat een rekening open. Wij helpen gratis. Kijk op https://hulp.voorbeeld.nl/s/ABCDEFGHJKMNP Controlewoord: APPEL',
    );
  });

  const names = [
    'Gemeente Voorbeeld',
    'Súdwest-Fryslân',
    "Gemeente 's-Hertogenbosch",
    'Gemeente Sint-Michielsgestel, Oisterwijk en Haaren samen',
    // 60 characters
    'Gemeente Oud-Beijerland, Hoeksche Waard en Korendijk-Strijen',
  ];
  const bases = [
    'http://localhost:4321',
    'https://hulp.voorbeeld.nl',
    // 60 characters
    'https://hulpgesprek.gemeente-hoeksche-waard-zuidland.example',
  ];
  for (const municipalityName of names) {
    for (const base of bases) {
      it(`fits one GSM-7 message for "${municipalityName}" at ${base}`, () => {
        const text = inviteSmsText({ municipalityName, link: link(base), checkWord: longestWord });
        expect(isGsm7(text)).toBe(true);
        expect(gsm7Length(text)).toBeLessThanOrEqual(160);
        // The link stands alone, so phones make it tappable without a stray full stop.
        expect(text).toContain(` ${link(base)} `);
        expect(text).toMatch(new RegExp(`Controlewoord: ${longestWord}$`));
      });
    }
  }

  it('gives up "Kijk op", then "Gemeente", then the explanation, in that order', () => {
    const name = 'Gemeente Oud-Beijerland, Hoeksche Waard en Korendijk-Strijen';
    expect(name).toHaveLength(60);
    const base = 'https://hulpgesprek.gemeente-hoeksche-waard-zuidland.example';
    // 160 exactly: the name stays whole, the explanation goes.
    expect(inviteSmsText({ municipalityName: name, link: link(base), checkWord: 'APPEL' })).toBe(
      `${name}: ${link(base)} Controlewoord: APPEL`,
    );
    // Three letters more, and "Gemeente" goes too.
    expect(inviteSmsText({ municipalityName: name, link: link(base), checkWord: 'KAMPVUUR' })).toBe(
      `${name.slice(9)}: ${link(base)} Controlewoord: KAMPVUUR`,
    );
    const medium = inviteSmsText({
      municipalityName: 'Gemeente Voorbeeld',
      link: link(`https://${'a'.repeat(40)}.nl`),
      checkWord: 'APPEL',
    });
    expect(medium).toMatch(/^Gemeente Voorbeeld: er staat een rekening open\. Wij helpen gratis: https/);
  });

  it('fails loudly when even the shortest form does not fit', () => {
    expect(() =>
      inviteSmsText({
        municipalityName: 'Gemeente Voorbeeld',
        link: link(`https://${'a'.repeat(120)}.nl`),
        checkWord: 'APPEL',
      }),
    ).toThrow(SmsTextError);
    expect(() =>
      inviteSmsText({
        municipalityName: 'Gemeente Voorbeeld',
        link: link(`https://${'a'.repeat(120)}.nl`),
        checkWord: 'APPEL',
      }),
    ).toThrow(/PUBLIC_URL/);
  });

  it('refuses a link an SMS cannot carry as GSM-7', () => {
    expect(() =>
      inviteSmsText({ municipalityName: 'X', link: 'https://x.nl/~hulp/s/ABC', checkWord: 'APPEL' }),
    ).toThrow(SmsTextError);
  });
});

describe('CSV', () => {
  it('reads quoted fields, doubled quotes, line breaks inside quotes, CRLF and LF, and a BOM', () => {
    const text = '\ufeffcase_ref,topic\r\n"Z-1, a","say ""hi"""\r\n"two\nlines",rent\nlast,';
    expect(parseCsv(text)).toEqual([
      ['case_ref', 'topic'],
      ['Z-1, a', 'say "hi"'],
      ['two\nlines', 'rent'],
      ['last', ''],
    ]);
  });

  it('does not make an empty record of the final line break', () => {
    expect(parseCsv('a,b\r\n')).toEqual([['a', 'b']]);
    expect(parseCsv('a\n\nb\n')).toEqual([['a'], [''], ['b']]);
  });

  it('names the record of broken quoting', () => {
    expect(() => parseCsv('h\nok\n"open')).toThrow(new CsvError(3, 'a quoted field is not closed'));
    expect(() => parseCsv('h\nab"c')).toThrow(/row 2: a quote inside a field/);
    expect(() => parseCsv('h\n"ab"c')).toThrow(/row 2: after a closing quote/);
  });

  it('writes what it reads, quoting only where needed', () => {
    const records = [
      ['case_ref', 'sms_text'],
      ['Z-1', 'Gemeente X: hallo, dit is "het"'],
      [' spaced', 'two\r\nlines'],
    ];
    const text = toCsv(records);
    expect(text).toBe('case_ref,sms_text\r\nZ-1,"Gemeente X: hallo, dit is ""het"""\r\n" spaced","two\r\nlines"\r\n');
    expect(parseCsv(text)).toEqual(records);
  });

  it('writes no cell a spreadsheet would run as a formula', () => {
    const hostile = ['=HYPERLINK("https://elders.example","klik")', '+31 6 1234', '-2+3', '@SUM(A1)', '\tTAB', '\rCR', 'gewoon', '0=1'];
    const text = toCsv([hostile]);
    const [back] = parseCsv(text);
    expect(back).toEqual([`'=HYPERLINK("https://elders.example","klik")`, "'+31 6 1234", "'-2+3", "'@SUM(A1)", "'\tTAB", "'\rCR", 'gewoon', '0=1']);
    for (const cell of back ?? []) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('client networks of the guessing limit', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::ffff:cb00:7107', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:0db8:0001:0002::/64'],
    ['2001:db8:1:2::99', '2001:0db8:0001:0002::/64'],
    ['2001:DB8:1:2:ffff::1%eth0', '2001:0db8:0001:0002::/64'],
    ['::1', '0000:0000:0000:0000::/64'],
    [undefined, 'unknown'],
    ['not an address', 'unknown'],
  ])('counts %s as %s', (address, network) => {
    expect(clientNetwork(address)).toBe(network);
  });
});

describe('settings', () => {
  it('reads INVITE_TTL_DAYS (90 unless set) and refuses nonsense', () => {
    expect(parseConfig({}).inviteTtlDays).toBe(90);
    expect(parseConfig({ INVITE_TTL_DAYS: '30' }).inviteTtlDays).toBe(30);
    expect(parseConfig({ INVITE_TTL_DAYS: '' }).inviteTtlDays).toBe(90);
    for (const bad of ['0', '-1', '1.5', 'ninety', '4000'])
      expect(() => parseConfig({ INVITE_TTL_DAYS: bad })).toThrow(/INVITE_TTL_DAYS/);
  });

  it('takes a RATE_LIMIT_SECRET only when it is long enough', () => {
    expect(parseConfig({}).rateLimitSecret).toBeUndefined();
    expect(parseConfig({ RATE_LIMIT_SECRET: 'x'.repeat(32) }).rateLimitSecret).toBe('x'.repeat(32));
    expect(() => parseConfig({ RATE_LIMIT_SECRET: 'short' })).toThrow(/RATE_LIMIT_SECRET/);
  });
});
