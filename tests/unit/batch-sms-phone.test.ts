// SPDX-License-Identifier: EUPL-1.2
// The batch CSV's telefoon and taal columns: the mobile number only for a plan that sends SMS, checked per row.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, planSendsSms, type ContactPlan } from '../../src/lib/contact-plan.ts';
import { parseInviteCsv, smsNumber, type BatchOptions, type BatchRow } from '../../src/server/invitations/batch.ts';

const SMS: BatchOptions = { smsPhone: true };

function rowsOf(text: string, options: BatchOptions = SMS): BatchRow[] {
  const parsed = parseInviteCsv(text, options);
  if (!parsed.ok) throw new Error(`expected rows, got: ${parsed.detail}`);
  return parsed.rows;
}

function refused(text: string, options: BatchOptions = {}) {
  const parsed = parseInviteCsv(text, options);
  if (parsed.ok) throw new Error('expected the file refused');
  return parsed;
}

const reasons = (rows: BatchRow[]) => rows.map((r) => r.problems.map((p) => p.reason));

describe('the telefoon column of a batch', () => {
  it('is refused as personal data, as before, unless the municipality plan sends SMS', () => {
    expect(refused('case_ref,telefoon\nA1,0612345678').invalid).toEqual([
      {
        name: 'row.1',
        code: 'personalData',
        reason: expect.stringContaining("de kolom 'telefoon' lijkt persoonsgegevens"),
      },
    ]);
    expect(refused('case_ref,telefoon\nA1,0612345678', { smsPhone: false }).invalid[0]?.code).toBe('personalData');
    // its other spellings too, named as the file writes them
    for (const name of ['Telefoonnummer', 'mobiel', 'Mobiel nummer', 'phone', 'MOBILE']) {
      const parsed = refused(`case_ref;${name}\nA1;0612345678`);
      expect(parsed.invalid[0]?.code, name).toBe('personalData');
      expect(parsed.detail, name).toContain(
        `de kolom '${name.toLowerCase().replace(' ', '_')}' lijkt persoonsgegevens`,
      );
    }
  });

  it('is taken, under any of its names, when the plan sends SMS: the number in E.164', () => {
    expect(rowsOf('case_ref,telefoon\nA1,06 12 34 56 78\n')).toEqual([
      { line: 2, caseRef: 'A1', topic: null, signalRef: null, signal: null, problems: [], smsPhone: '+31612345678' },
    ]);
    for (const name of ['telefoonnummer', 'mobiel', 'mobiel_nummer', 'Mobiel-nummer', 'phone', 'Mobile']) {
      expect(rowsOf(`case_ref;${name}\nA1;+31 6 12345678`)[0]?.smsPhone, name).toBe('+31612345678');
    }
    const rows = rowsOf('case_ref;telefoon\nA;0612345678\nB;0031 6 2345 6789\nC;+447400123456\nD;\n');
    expect(rows.map((r) => [r.caseRef, r.smsPhone ?? null])).toEqual([
      ['A', '+31612345678'],
      ['B', '+31623456789'],
      ['C', '+447400123456'],
      // an empty cell: no SMS for that household, and nothing wrong with the row
      ['D', null],
    ]);
    expect(reasons(rows)).toEqual([[], [], [], []]);
  });

  it('refuses a row whose number cannot get an SMS, saying why in Dutch without repeating the number, and keeps the others', () => {
    const rows = rowsOf(
      [
        'case_ref,signaal_id,signaalpartner,telefoon',
        'OK-1,S-1,Huur,0612345678',
        'L-1,S-2,Huur,020 123 4567',
        'L-2,,,+31 118 123 456',
        'P-1,,,0900-1234567',
        'P-2,,,0906 123456',
        'P-3,,,0909123456',
        'J-1,,,onbekend',
        'J-2,,,12345',
        'J-3,,,0612345678901',
        'N-1,,,0800-1234',
      ].join('\n'),
    );
    const landline = (row: number) =>
      `Rij ${row}: telefoon is een vast nummer. Een sms kan alleen naar een mobiel nummer; laat het leeg als er geen is.`;
    const premium = (row: number) =>
      `Rij ${row}: telefoon is een betaald nummer (zoals 0900, 0906 of 0909). Daar sturen we geen sms naar.`;
    const junk = (row: number) =>
      `Rij ${row}: telefoon is geen telefoonnummer. Schrijf een mobiel nummer (06 12 34 56 78 of +31 6 12 34 56 78), of laat het leeg.`;
    expect(reasons(rows)).toEqual([
      [],
      [landline(3)],
      [landline(4)],
      [premium(5)],
      [premium(6)],
      [premium(7)],
      [junk(8)],
      [junk(9)],
      [junk(10)],
      [
        'Rij 11: telefoon is geen mobiel nummer (maar bijvoorbeeld een 0800- of 085-nummer). Een sms kan alleen naar een mobiel nummer.',
      ],
    ]);
    expect(rows.map((r) => r.problems[0]?.code ?? null)).toEqual([
      null,
      'landline',
      'landline',
      'premiumRate',
      'premiumRate',
      'premiumRate',
      'invalid',
      'invalid',
      'invalid',
      'notMobile',
    ]);
    expect(rows.every((r) => r.problems.every((p) => p.field === 'telefoon'))).toBe(true);
    // a refused row keeps no number, a good one does
    expect(rows.map((r) => r.smsPhone ?? null)).toEqual(['+31612345678', ...Array<null>(9).fill(null)]);
  });

  it('keeps refusing names, addresses and BSNs when the plan sends SMS', () => {
    for (const column of ['bsn', 'naam', 'adres', 'postcode', 'geboortedatum', 'e_mail']) {
      expect(refused(`case_ref,telefoon,${column}\nA1,0612345678,x`, SMS).invalid[0], column).toMatchObject({
        code: 'personalData',
        reason: expect.stringContaining(`'${column}'`),
      });
    }
  });

  it('lets the rows of one household give one number: another number is refused on the later row', () => {
    const rows = rowsOf(
      [
        'case_ref;signaal_id;signaalpartner;telefoon',
        'H;S-1;Huur;0612345678',
        'H;S-2;Water;06-12345678',
        'H;S-3;Energie;',
        'H;S-4;Zorg;0687654321',
      ].join('\n'),
    );
    expect(reasons(rows)).toEqual([[], [], [], ['Rij 5: een ander telefoonnummer dan rij 2 van dezelfde zaak.']]);
    expect(rows[3]?.problems[0]).toMatchObject({ field: 'telefoon', code: 'conflict' });
  });

  it('names telefoon among the allowed columns only when it is allowed', () => {
    expect(refused('case_ref,extra\nA,b', SMS).detail).toMatch(/Toegestane kolommen: case_ref, .*, taal, telefoon\.$/);
    expect(refused('case_ref,extra\nA,b').detail).not.toContain('telefoon');
  });
});

describe('the taal column of a batch', () => {
  it('is taken always (it is no personal data), as a language code of the portal in any case, under its other names', () => {
    const rows = rowsOf('case_ref,taal\nA,TR\nB,pap\nC,\n', {});
    expect(rows.map((r) => r.language ?? null)).toEqual(['tr', 'pap', null]);
    expect(reasons(rows)).toEqual([[], [], []]);
    expect(rowsOf('case_ref;language\nA;en', {})[0]?.language).toBe('en');
    expect(rowsOf('case_ref;Lang\nA;uk', {})[0]?.language).toBe('uk');
  });

  it('refuses a row with a language the portal does not speak, naming the codes it does', () => {
    const rows = rowsOf('case_ref,taal\nA,nl\nB,Nederlands\nC,de\n', {});
    expect(reasons(rows)).toEqual([
      [],
      ["Rij 3: taal 'Nederlands' kennen we niet. Kies uit nl, en, tr, ar, pl, uk, pap, ti, of laat het leeg."],
      ["Rij 4: taal 'de' kennen we niet. Kies uit nl, en, tr, ar, pl, uk, pap, ti, of laat het leeg."],
    ]);
    expect(rows[2]?.problems[0]).toMatchObject({ field: 'taal', code: 'invalid' });
    expect(rows[2]?.language).toBeUndefined();
  });

  it('lets the rows of one household give one language', () => {
    expect(reasons(rowsOf('case_ref,taal\nH,en\nH,EN\nH,\nH,tr\n', {}))).toEqual([
      [],
      [],
      [],
      ['Rij 5: een andere taal dan rij 2 van dezelfde zaak.'],
    ]);
  });
});

describe('which numbers can get an SMS', () => {
  it.each([
    ['0612345678', '+31612345678'],
    ['+31 6 12 34 56 78', '+31612345678'],
    ['٠٦١٢٣٤٥٦٧٨', '+31612345678'],
    ['+32 470 12 34 56', '+32470123456'],
    ['+90 532 123 45 67', '+905321234567'],
  ])('%s is %s', (raw, e164) => expect(smsNumber(raw)).toEqual({ ok: true, e164 }));

  it.each([
    ['0201234567', 'landline'],
    ['09001234567', 'premiumRate'],
    ['0851234567', 'notMobile'],
    ['06 1234', 'invalid'],
    ['=HYPERLINK("x")', 'invalid'],
  ])('%s is refused: %s', (raw, code) => expect(smsNumber(raw)).toMatchObject({ ok: false, code }));
});

describe('planSendsSms', () => {
  it('says whether a plan has an SMS step', () => {
    expect(planSendsSms(DEFAULT_PLAN)).toBe(true);
    const noSms: ContactPlan = { ...DEFAULT_PLAN, steps: DEFAULT_PLAN.steps.filter((s) => s.action !== 'sms') };
    expect(planSendsSms(noSms)).toBe(false);
    expect(planSendsSms(undefined)).toBe(false);
    expect(planSendsSms(null)).toBe(false);
  });
});
