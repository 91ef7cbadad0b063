// SPDX-License-Identifier: EUPL-1.2
// The case system's batch CSV: columns, DDAS signal fields, per-row refusals with Dutch reasons.
import { describe, expect, it } from 'vitest';
import { ddasDay, euros, MAX_BATCH_ROWS, parseInviteCsv, type BatchRow } from '../../src/server/invitations/batch.ts';

function rowsOf(text: string): BatchRow[] {
  const parsed = parseInviteCsv(text);
  if (!parsed.ok) throw new Error(`expected rows, got: ${parsed.detail}`);
  return parsed.rows;
}

const reasons = (rows: BatchRow[]) => rows.map((r) => r.problems.map((p) => p.reason));

describe('the batch CSV of a case system', () => {
  it('reads case_ref and an optional topic, in any column order and case', () => {
    expect(rowsOf('case_ref,topic\nA1,rent\nA2,\nA3,Energy\n')).toEqual([
      { line: 2, caseRef: 'A1', topic: 'rent', signalRef: null, signal: null, problems: [] },
      { line: 3, caseRef: 'A2', topic: null, signalRef: null, signal: null, problems: [] },
      { line: 4, caseRef: 'A3', topic: 'energy', signalRef: null, signal: null, problems: [] },
    ]);
    expect(rowsOf('Topic,CASE_REF\r\nwater,B1\r\n')).toEqual([{ line: 2, caseRef: 'B1', topic: 'water', signalRef: null, signal: null, problems: [] }]);
  });

  it('reads the semicolons of a Dutch spreadsheet', () => {
    expect(rowsOf('case_ref;topic\n"2024;17";health\n')).toMatchObject([{ caseRef: '2024;17', topic: 'health' }]);
  });

  it('reads the DDAS signal columns: official values or codes, euros, Dutch dates, ja/nee', () => {
    const rows = rowsOf(
      [
        'case_ref;signaal_id;signaalpartner;bedrag;ontstaansdatum;signaaldatum;crisissignaal;warme overdracht;signaalstatus',
        'Z-1;S-1;Energie;€ 1.250,40;3-11-2026;2026-11-20;ja;nee;Nog niet opgepakt',
        'Z-1;S-2;water;350;;;;;',
        'Z-2;;;;;;;;',
      ].join('\n'),
    );
    expect(rows.map((r) => r.signal)).toEqual([
      { ref: 'S-1', partner: 'energy', amount: 1250, arisenOn: '2026-11-03', signalledOn: '2026-11-20', crisis: true, warmHandover: false, status: 'not_picked_up_yet' },
      { ref: 'S-2', partner: 'water', amount: 350, arisenOn: null, signalledOn: null, crisis: false, warmHandover: false, status: null },
      null,
    ]);
    expect(reasons(rows)).toEqual([[], [], []]);
  });

  it('refuses a row, not the file, and says why in Dutch, counting rows as a spreadsheet does', () => {
    const rows = rowsOf(
      [
        'case_ref,topic,signaal_id,signaalpartner,bedrag,signaaldatum,crisissignaal',
        'OK-1,rent,S-1,Huur,100,2026-11-01,nee',
        ',water,S-2,Water,,,',
        '=1+1,,,,,,',
        'OK-3,gas,,,,,',
        'OK-4,,S-4,Gas,,,',
        'OK-5,,S-5,Energie,veel,31-02-2026,misschien',
        'OK-6,,,Energie,,,',
        'OK-7,,S-1,Water,,,',
        'OK-1,rent,S-1,Huur,,,',
        'OK-1,energy,S-9,Huur,,,',
        'a,b,c,d,e,f,g,h',
      ].join('\n'),
    );
    expect(reasons(rows)).toEqual([
      [],
      ['Rij 3: case_ref is leeg.'],
      ['Rij 4: case_ref mag niet beginnen met = + - of @ (een spreadsheet leest dat als formule).'],
      [expect.stringMatching(/^Rij 5: onderwerp 'gas' kennen we niet\. Kies uit rent, energy/)],
      [expect.stringMatching(/^Rij 6: signaalpartner 'Gas' staat niet in de DDAS-lijst\. Kies uit Energie, Huur/)],
      [
        "Rij 7: bedrag 'veel' is geen bedrag in euro's (bijvoorbeeld 350 of 350,25).",
        "Rij 7: signaaldatum '31-02-2026' is geen datum. Schrijf JJJJ-MM-DD of DD-MM-JJJJ.",
        "Rij 7: crisissignaal 'misschien' is geen ja of nee.",
      ],
      ['Rij 8: signaal_id is leeg, maar de rij heeft wel gegevens van een signaal.'],
      ['Rij 9: signaal S-1 staat in rij 2 bij een andere zaak.'],
      ['Rij 10: signaal S-1 staat ook in rij 2.'],
      ['Rij 11: een ander onderwerp dan rij 2 van dezelfde zaak.'],
      ['Rij 12: 8 velden, de kop heeft er 7.'],
    ]);
    expect(rows[2]?.caseRef).toBeNull(); // a formula is not kept as a reference
    expect(rows.find((r) => r.line === 6)?.problems[0]).toMatchObject({ field: 'signaalpartner', code: 'invalid' });
  });

  it('refuses the whole file when its header cannot be used, naming a personal-data column', () => {
    const refused = (text: string) => {
      const parsed = parseInviteCsv(text);
      if (parsed.ok) throw new Error('expected the file refused');
      return parsed;
    };
    expect(refused('case_ref,BSN\nA1,123456782').invalid).toEqual([
      { name: 'row.1', code: 'personalData', reason: expect.stringContaining("de kolom 'bsn' lijkt persoonsgegevens") },
    ]);
    expect(refused('case_ref,Achternaam\nA1,Jansen').invalid[0]?.code).toBe('personalData');
    expect(refused('case_ref,postcode\nA1,1234AB').invalid[0]?.code).toBe('personalData');
    expect(refused('case,topic\nA1,rent').detail).toContain("de kolom 'case' kennen we niet");
    expect(refused('topic\nrent').detail).toContain('geen kolom case_ref');
    expect(refused('case_ref,CASE_REF\nA,B').detail).toContain('twee keer');
    expect(refused('case_ref,topic\n').invalid).toEqual([{ name: 'rows', code: 'required', reason: 'De CSV heeft een kop maar geen regels.' }]);
    expect(refused('case_ref\nA1\n"A2').invalid[0]).toMatchObject({ name: 'row.3', code: 'invalid' });
    const many = ['case_ref', ...Array.from({ length: MAX_BATCH_ROWS + 1 }, (_, i) => `R${i}`)].join('\n');
    expect(refused(many).invalid[0]).toMatchObject({ name: 'rows', code: 'tooMany' });
    const max = ['case_ref', ...Array.from({ length: MAX_BATCH_ROWS }, (_, i) => `R${i}`)].join('\n');
    expect(parseInviteCsv(max).ok).toBe(true);
  });

  it('skips blank rows but keeps counting them', () => {
    expect(rowsOf('case_ref,topic\nA1,rent\n,\n\nA4,gas\n').map((r) => [r.line, r.problems.length])).toEqual([
      [2, 0],
      [5, 1],
    ]);
  });
});

describe('amounts and days as case systems write them', () => {
  it.each([
    ['350', 350],
    ['350,25', 350],
    ['350,50', 351],
    ['1.250,00', 1250],
    ['1250.5', 1251],
    ['€ 12', 12],
    ['0', 0],
  ])('%s is %i whole euros', (text, value) => expect(euros(text)).toBe(value));

  it.each(['-5', 'veel', '1,2,3', '12.34.56', ''])('%s is not an amount', (text) => expect(euros(text)).toBeNull());

  it.each([
    ['2026-11-03', '2026-11-03'],
    ['3-11-2026', '2026-11-03'],
    ['03/11/2026', '2026-11-03'],
    ['29-02-2028', '2028-02-29'],
  ])('%s is %s', (text, day) => expect(ddasDay(text)).toBe(day));

  it.each(['31-02-2026', '2026-13-01', '11/3/26', 'gisteren'])('%s is not a day', (text) => expect(ddasDay(text)).toBeNull());
});
