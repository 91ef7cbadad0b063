// SPDX-License-Identifier: EUPL-1.2
// Staff session cookies (HttpOnly, SameSite=Strict, both paths, Secure behind https), the staff texts, the menu per role, TOTP checks.
import { generate, generateSecret } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import { navFor, STAFF_NAV } from '../../src/server/staff/nav.ts';
import { checkTotp, groupedSecret, normaliseCode } from '../../src/server/staff/totp.ts';
import { clearSessionCookies, hashToken, isSecure, readCookie, sessionCookies } from '../../src/server/staff/session.ts';
import { label, st } from '../../src/server/staff/texts.ts';

const publicUrl = process.env.PUBLIC_URL;
afterEach(() => {
  if (publicUrl === undefined) delete process.env.PUBLIC_URL;
  else process.env.PUBLIC_URL = publicUrl;
});

describe('session cookies', () => {
  it('are HttpOnly and SameSite=Strict, for the staff pages, the staff API and the DDAS delivery only', () => {
    // attributes in any order, as the cookie package writes them
    const attributes = (c: string) => c.split('; ').sort();
    const cookies = sessionCookies('tok', false).map(attributes);
    expect(cookies).toEqual([attributes('hg_staff=tok; Path=/staff; HttpOnly; SameSite=Strict'), attributes('hg_staff=tok; Path=/api/v1/staff; HttpOnly; SameSite=Strict'), attributes('hg_staff=tok; Path=/api/v1/ddas; HttpOnly; SameSite=Strict')]);
    expect(sessionCookies('tok', true).every((c) => c.split('; ').includes('Secure'))).toBe(true);
    expect(clearSessionCookies(true).every((c) => c.includes('Max-Age=0') && c.includes('Secure'))).toBe(true);
  });

  it('are Secure when the request or PUBLIC_URL is https', () => {
    expect(isSecure(new Request('http://localhost:4321/staff'), 'http://localhost:4321')).toBe(false);
    expect(isSecure(new Request('https://hulp.example/staff'), 'http://localhost:4321')).toBe(true);
    // behind a proxy that speaks plain http to the app
    expect(isSecure(new Request('http://10.0.0.5:4321/staff'), 'https://hulp.voorbeeld.nl')).toBe(true);
  });

  it('reads one cookie among several, and stores only a hash of the token', () => {
    const request = new Request('http://x/staff', { headers: { cookie: 'a=1; hg_staff=abc; hg_staff_login=def' } });
    expect(readCookie(request, 'hg_staff')).toBe('abc');
    expect(readCookie(request, 'missing')).toBeNull();
    expect(hashToken('abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken('abc')).not.toContain('abc');
  });
});

describe('TOTP', () => {
  it('accepts the code of now and of one step either side, once the last step is past', async () => {
    const secret = generateSecret();
    const now = new Date('2026-05-01T10:00:10Z');
    const step = Math.floor(now.getTime() / 30_000);
    const code = (s: number) => generate({ secret, epoch: s * 30 });
    expect(await checkTotp(secret, await code(step), null, now)).toBe(step);
    expect(await checkTotp(secret, await code(step - 1), null, now)).toBe(step - 1);
    expect(await checkTotp(secret, await code(step + 1), null, now)).toBe(step + 1);
    expect(await checkTotp(secret, await code(step - 2), null, now)).toBeNull();
    expect(await checkTotp(secret, await code(step + 2), null, now)).toBeNull();
    // replay protection: a step at or before the last one used is refused
    expect(await checkTotp(secret, await code(step), step, now)).toBeNull();
    expect(await checkTotp(secret, await code(step + 1), step, now)).toBe(step + 1);
    expect(await checkTotp(secret, `${(await code(step)).slice(0, 3)} ${(await code(step)).slice(3)}`, null, now)).toBe(step);
  });

  it('reads only six digits and groups a secret for typing', () => {
    expect(normaliseCode(' 123 456 ')).toBe('123456');
    expect(normaliseCode('12345')).toBeNull();
    expect(normaliseCode('12345a')).toBeNull();
    expect(groupedSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
  });
});

describe('staff texts and menu', () => {
  it('fills placeholders and plural forms, and labels codes in Dutch', () => {
    expect(st('timeLeft.days', { count: 1 })).toBe('nog 1 werkdag');
    expect(st('timeLeft.days', { count: 3 })).toBe('nog 3 werkdagen');
    expect(st('loggedInAs', { name: 'Sam' })).toBe('Ingelogd als Sam');
    expect(label('outcome', 'follow_up_financial')).toBe('Vervolghulp en/of verwijzing financieel');
    expect(label('kind', 'sms_whatsapp')).toBe('SMS/Whatsapp');
    expect(label('dayPart', 'evening')).toBe('Avond');
    expect(label('kind', 'unknown-code')).toBe('unknown-code');
    expect(() => st('no.such.key')).toThrow();
  });

  it('shows the audit page to administrators only, the queue to everyone, and no page that is not ready', () => {
    const keys = (role: 'caseworker' | 'coordinator' | 'admin') => navFor({ role }).map((i) => i.key);
    expect(keys('caseworker')[0]).toBe('queue');
    expect(keys('caseworker')).not.toContain('audit');
    expect(keys('coordinator')).not.toContain('audit');
    expect(keys('admin')).toEqual(expect.arrayContaining(['queue', 'audit', 'handoff']));
    expect(keys('coordinator')).not.toContain('handoff');
    expect(STAFF_NAV.filter((i) => !i.ready).map((i) => i.key).some((k) => keys('admin').includes(k))).toBe(false);
  });
});
