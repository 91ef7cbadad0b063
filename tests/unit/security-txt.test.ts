// SPDX-License-Identifier: EUPL-1.2
// security.txt (RFC 9116): contacts from SECURITY_CONTACT checked at start, the required fields, an Expires within a year.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/server/config.ts';
import {
  EXPIRES_AFTER_DAYS,
  parseSecurityContacts,
  parseSecurityPolicy,
  PROJECT_SECURITY_POLICY,
  PROJECT_URL,
  securityTxt,
  securityTxtResponse,
} from '../../src/server/legal/security-txt.ts';

const root = new URL('../../', import.meta.url);
const settings = {
  securityContacts: ['mailto:security@gemeente.example', 'https://gemeente.example/kwetsbaarheid-melden'],
  securityPolicyUrl: PROJECT_SECURITY_POLICY,
  publicUrl: 'https://hulp.gemeente.example/',
};

/** RFC 9116 fields as name → values, comments and blank lines left out. */
function fields(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z-]+): (.+)$/.exec(line);
    expect(m, line).not.toBeNull();
    const [, name = '', value = ''] = m as RegExpExecArray;
    out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}

describe('SECURITY_CONTACT', () => {
  it('takes one or more mailto:, https:// or tel: addresses, comma separated', () => {
    expect(parseSecurityContacts(undefined)).toEqual([]);
    expect(parseSecurityContacts(' ')).toEqual([]);
    expect(parseSecurityContacts('mailto:security@gemeente.example')).toEqual(['mailto:security@gemeente.example']);
    expect(parseSecurityContacts(' mailto:a@gemeente.nl , https://gemeente.nl/melden,tel:+31-20-1234567 ')).toEqual([
      'mailto:a@gemeente.nl',
      'https://gemeente.nl/melden',
      'tel:+31-20-1234567',
    ]);
  });

  it.each([
    'security@gemeente.example',
    'http://gemeente.example/melden',
    'mailto:nobody',
    'https://',
    'ftp://x.nl',
    'mailto:a@b.nl<script>',
  ])('refuses %s, naming it', (bad) => {
    expect(() => parseSecurityContacts(`mailto:ok@gemeente.nl,${bad}`)).toThrow(bad);
  });

  it('stops the start when it is not valid', () => {
    expect(() => parseConfig({ SECURITY_CONTACT: 'security@gemeente.example' })).toThrow(/SECURITY_CONTACT/);
    expect(() => parseConfig({ SECURITY_POLICY_URL: 'http://gemeente.example/beleid' })).toThrow(/SECURITY_POLICY_URL/);
    expect(parseConfig({ SECURITY_CONTACT: 'mailto:s@gemeente.nl' }).securityContacts).toEqual(['mailto:s@gemeente.nl']);
    expect(parseConfig({}).securityContacts).toEqual([]);
  });

  it('links the policy to SECURITY.md of the project unless SECURITY_POLICY_URL says otherwise', () => {
    expect(parseSecurityPolicy(undefined)).toBe(PROJECT_SECURITY_POLICY);
    expect(parseSecurityPolicy('https://gemeente.example/cvd')).toBe('https://gemeente.example/cvd');
    expect(PROJECT_SECURITY_POLICY.endsWith('/SECURITY.md')).toBe(true);
    expect(existsSync(new URL('SECURITY.md', root))).toBe(true);
    const publiccode = parse(readFileSync(new URL('publiccode.yml', root), 'utf8')) as { url: string };
    expect(publiccode.url.replace(/\.git$/, '')).toBe(PROJECT_URL);
  });
});

describe('security.txt', () => {
  const now = new Date('2026-11-26T15:30:00Z');
  const text = securityTxt(settings, now);
  const f = fields(text);

  it('has every contact, one Expires, the languages, Canonical and Policy', () => {
    expect(f.get('Contact')).toEqual(settings.securityContacts);
    expect(f.get('Expires')).toHaveLength(1);
    expect(f.get('Preferred-Languages')).toEqual(['nl, en']);
    expect(f.get('Canonical')).toEqual(['https://hulp.gemeente.example/.well-known/security.txt']);
    expect(f.get('Policy')).toEqual([PROJECT_SECURITY_POLICY]);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('expires in the future but within a year, as an RFC 3339 UTC time', () => {
    const [expires = ''] = f.get('Expires') ?? [];
    expect(expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const at = Date.parse(expires);
    expect(at).toBeGreaterThan(now.getTime());
    expect(at - now.getTime()).toBeLessThan(365 * 86_400_000);
    expect(at - now.getTime()).toBeGreaterThan((EXPIRES_AFTER_DAYS - 1) * 86_400_000);
    // the same all day, so caches and crawlers see one file per day
    expect(securityTxt(settings, new Date('2026-11-26T23:59:59Z'))).toBe(text);
  });

  it('answers text/plain in UTF-8, or 404 without a contact', async () => {
    const res = securityTxtResponse(settings, now);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe(text);
    expect(securityTxtResponse({ ...settings, securityContacts: [] }, now).status).toBe(404);
  });
});
