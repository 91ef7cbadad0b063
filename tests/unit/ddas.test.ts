// SPDX-License-Identifier: EUPL-1.2
// The DDAS code lists the portal speaks, held against the official schema in ../shared/standards/.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONTACT_KINDS,
  DAY_PARTS,
  END_RESULTS,
  SIGNAL_PARTNERS,
  SIGNAL_STATUSES,
  codeOfDdasValue,
  dayPartOf,
  ddasDate,
  ddasValue,
  ddasValues,
} from '../../src/lib/ddas.ts';

const SCHEMA = new URL('../../../shared/standards/ddas-vroegsignalering-v0.9/json_schema_Uitwisselmodel.json', import.meta.url);
const defs = (JSON.parse(readFileSync(SCHEMA, 'utf8')) as { $defs: Record<string, { enum?: string[] }> }).$defs;

describe('DDAS code lists', () => {
  it.each([
    ['signalPartner', 'EnumSignaalpartner', SIGNAL_PARTNERS],
    ['contactKind', 'EnumContactsoort', CONTACT_KINDS],
    ['endResult', 'EnumEindresultaat', END_RESULTS],
    ['dayPart', 'EnumDagdeel', DAY_PARTS],
    ['signalStatus', 'EnumSignaalstatus', SIGNAL_STATUSES],
  ] as const)('%s has exactly the values of %s, in its order', (list, enumName, codes) => {
    expect(ddasValues(list)).toEqual(defs[enumName]?.enum);
    // every code has its value and back
    for (const code of codes) expect(codeOfDdasValue(list, ddasValue(list, code as never))).toBe(code);
    expect(codes).toHaveLength(defs[enumName]?.enum?.length ?? -1);
  });

  it('knows no code for a value the model does not have', () => {
    expect(codeOfDdasValue('endResult', 'Snel opgelost')).toBeUndefined();
  });

  it('dates and parts of the day follow the clock in the Netherlands, summer and winter', () => {
    // 23:30 UTC in winter is 00:30 the next day in Amsterdam: morning
    expect(ddasDate('2026-01-14T23:30:00Z')).toBe('2026-01-15');
    expect(dayPartOf('2026-01-14T23:30:00Z')).toBe('morning');
    // 10:59 UTC in summer is 12:59 in Amsterdam: afternoon
    expect(dayPartOf('2026-07-01T10:59:00Z')).toBe('afternoon');
    expect(dayPartOf('2026-07-01T09:59:00Z')).toBe('morning');
    // 17:00 UTC in winter is 18:00: evening
    expect(dayPartOf('2026-12-02T17:00:00Z')).toBe('evening');
    expect(dayPartOf('2026-12-02T16:59:59Z')).toBe('afternoon');
  });
});
