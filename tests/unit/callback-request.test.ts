// SPDX-License-Identifier: EUPL-1.2
// Validation of call-back requests: phone numbers as residents type them, codes only, clear error codes.
import { describe, expect, it } from 'vitest';
import { fromFormFields, normalisePhone, validateCallbackRequest } from '../../src/lib/callback-request.ts';

describe('phone numbers', () => {
  it.each([
    ['06 12345678', '+31612345678'],
    ['06-1234 5678', '+31612345678'],
    ['(0118) 12 34 56', '+31118123456'],
    ['+31 (0)6 12345678', '+31612345678'],
    ['0032 470 12 34 56', '+32470123456'],
    ['+48 512 345 678', '+48512345678'],
  ])('%s is %s', (raw, e164) => {
    expect(normalisePhone(raw)).toEqual({ ok: true, e164 });
  });
  it.each(['12', '06 1234', '0000000000', 'bel me', '+999 123'])('%s is not a number we can call', (raw) => {
    expect(normalisePhone(raw)).toEqual({ ok: false, code: 'invalid' });
  });
  it('an empty number is missing, not wrong', () => {
    expect(normalisePhone('  ')).toEqual({ ok: false, code: 'required' });
  });
});

describe('validateCallbackRequest', () => {
  const base = { municipality: 'voorbeeld', language: 'ar', topic: 'water', phone: '0612345678', consent: true };
  it('marks eviction, bailiff and cut-off as urgent', () => {
    for (const urgency of ['eviction', 'bailiff', 'cutoff']) {
      const r = validateCallbackRequest({ ...base, urgency });
      expect(r.ok && r.value.urgent).toBe(true);
    }
    const calm = validateCallbackRequest({ ...base, urgency: 'none' });
    expect(calm.ok && calm.value.urgent).toBe(false);
  });
  it('refuses free text in code fields and markup in the name', () => {
    const r = validateCallbackRequest({ ...base, help: ['please call <b>now</b>'], firstName: '<img src=x onerror=alert(1)>' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.invalid.map((i) => i.name).sort()).toEqual(['firstName', 'help.0']);
  });
  it('refuses a request without consent', () => {
    const r = validateCallbackRequest({ ...base, consent: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.invalid).toContainEqual(expect.objectContaining({ name: 'consent', code: 'invalid' }));
  });
  it('reads repeated form fields as lists and ignores prototype keys', () => {
    const form = new URLSearchParams('municipality=voorbeeld&help=coach&help=walkin&consent=true&__proto__=x');
    const fields = fromFormFields(form);
    expect(fields).toEqual({ municipality: 'voorbeeld', help: ['coach', 'walkin'], consent: true });
  });
});
