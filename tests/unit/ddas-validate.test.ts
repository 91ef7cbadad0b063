// SPDX-License-Identifier: EUPL-1.2
// The delivery check against the official DDAS schema: the two official examples pass, broken ones do not.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DDAS_SCHEMA_FILE, ddasValidator } from '../../src/server/ddas/validate.ts';

const folder = dirname(DDAS_SCHEMA_FILE);
const example = (name: string) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as Record<string, unknown> & { leveringen: Record<string, unknown>[] };
const check = ddasValidator();

describe('DDAS delivery check', () => {
  it.each(['enkelvoudigVoorbeeld.json', 'meervoudigVoorbeeld.json'])('passes the official example %s', (name) => {
    expect(check(example(name))).toEqual({ ok: true });
  });

  it('refuses an unknown end result, a date that is not a date, a missing organisation and an extra field, naming each', () => {
    const broken = example('enkelvoudigVoorbeeld.json');
    const levering = broken.leveringen[0] as Record<string, unknown> & { vroegsignaalzaken: Record<string, unknown>[] };
    (levering.vroegsignaalzaken[0] as Record<string, unknown>).resultaat = 'Snel opgelost';
    broken.startdatumLevering = '2025-02-30';
    delete levering.aanleverende_organisatie;
    broken.extra = true;
    const result = check(broken);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors.join('\n');
    expect(errors).toContain('/leveringen/0/vroegsignaalzaken/0/resultaat');
    expect(errors).toContain('/startdatumLevering');
    expect(errors).toContain('aanleverende_organisatie');
    expect(errors).toContain('additional properties');
  });

  it('stops at once when the schema file is missing', () => {
    expect(() => ddasValidator(join(folder, 'bestaat-niet.json'))).toThrow(/ENOENT/);
  });
});
