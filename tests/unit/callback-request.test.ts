// SPDX-License-Identifier: EUPL-1.2
// Validation of call-back requests: phone numbers as residents type them, codes only, clear error codes.
import { describe, expect, it } from 'vitest';
import { fromFormFields, validateCallbackRequest } from '../../src/lib/callback-request.ts';
import { checkPhone } from '../../src/lib/phone.ts';

describe('phone numbers', () => {
  it.each([
    ['06 12345678', '+31612345678'],
    ['06-1234 5678', '+31612345678'],
    ['(0118) 12 34 56', '+31118123456'],
    ['+31 (0)6 12345678', '+31612345678'],
    ['0032 470 12 34 56', '+32470123456'],
    ['+48 512 345 678', '+48512345678'],
  ])('%s is %s', (raw, e164) => {
    expect(checkPhone(raw)).toMatchObject({ ok: true, e164 });
  });
  it.each([
    ['06 12345678', '06 12 34 56 78'],
    ['0118123456', '0118 123 456'],
    ['020-1234567', '020 123 4567'],
    ['0032 470 12 34 56', '+32 470 12 34 56'],
  ])('%s is read back as Dutch people say it: %s', (raw, display) => {
    expect(checkPhone(raw)).toMatchObject({ ok: true, display, groups: display.split(' ') });
  });
  it.each([
    ['٠٦١٢٣٤٥٦٧٨', 'Arabic-Indic'],
    ['۰۶۱۲۳۴۵۶۷۸', 'Persian'],
    ['٠٦ ١٢٣٤٥٦٧٨', 'Arabic-Indic with a space'],
  ])('%s (%s digits) is the same number', (raw) => {
    expect(checkPhone(raw)).toMatchObject({ ok: true, e164: '+31612345678', display: '06 12 34 56 78' });
  });
  it.each([
    ['06 1234', 'tooShort'],
    ['12', 'tooShort'],
    ['06 1234 5678 9', 'tooLong'],
    ['bel me', 'letters'],
    ['06 12ab5678', 'letters'],
    ['0000000000', 'invalid'],
    ['+999 123', 'invalid'],
  ])('%s is not a number we can call: %s', (raw, code) => {
    expect(checkPhone(raw)).toEqual({ ok: false, code });
  });
  it('an empty number is missing, not wrong', () => {
    expect(checkPhone('  ')).toEqual({ ok: false, code: 'required' });
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
