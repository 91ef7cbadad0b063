// SPDX-License-Identifier: EUPL-1.2
/** /.well-known/security.txt (RFC 9116): where to report a vulnerability in this deployment, from SECURITY_CONTACT. */

/** The project's home: publiccode.yml `url` names the same repository (tests/unit/security-txt.test.ts checks). */
export const PROJECT_URL = 'https://git.hulpgesprek.example/hulpgesprek/hulpgesprek';
/** The default `Policy:`: the project's SECURITY.md (SECURITY_POLICY_URL replaces it with the municipality's own). */
export const PROJECT_SECURITY_POLICY = `${PROJECT_URL}/blob/main/SECURITY.md`;
export const SECURITY_TXT_PATH = '/.well-known/security.txt';
/** RFC 9116 recommends less than a year; half a year keeps crawlers from calling the file stale. */
export const EXPIRES_AFTER_DAYS = 180;

const MAILTO = /^mailto:[^\s@,;<>"]+@[^\s@,;<>"]+\.[a-z]{2,}$/i;
const TEL = /^tel:\+\d[\d-]{6,}$/;

/**
 * SECURITY_CONTACT: one or more URIs, comma separated, each `mailto:`, `https://` or `tel:`
 * (RFC 9116 2.5.3: web addresses must be https). Throws one readable error for the first bad one.
 */
export function parseSecurityContacts(value: string | undefined): string[] {
  const contacts = (value ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  for (const contact of contacts) {
    if (MAILTO.test(contact) || TEL.test(contact) || isHttps(contact)) continue;
    throw new Error(
      `SECURITY_CONTACT: "${contact}" is not a mailto:, https:// or tel: address (RFC 9116); e.g. mailto:security@gemeente.example`,
    );
  }
  return contacts;
}

/** SECURITY_POLICY_URL: an https address; unset, the project's SECURITY.md. */
export function parseSecurityPolicy(value: string | undefined): string {
  const policy = value?.trim();
  if (!policy) return PROJECT_SECURITY_POLICY;
  if (!isHttps(policy)) throw new Error(`SECURITY_POLICY_URL must be an https:// address, got "${policy}"`);
  return policy;
}

function isHttps(value: string): boolean {
  if (!/^https:\/\/\S+$/.test(value)) return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

export interface SecurityTxtSettings {
  securityContacts: string[];
  securityPolicyUrl: string;
  publicUrl: string;
}

/** The file's text; `Expires` is counted from the start of today (UTC), so the text changes once a day. */
export function securityTxt(settings: SecurityTxtSettings, now: Date): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const expires = new Date(today + EXPIRES_AFTER_DAYS * 86_400_000).toISOString();
  return [
    '# How to report a security vulnerability in this Hulpgesprek deployment (RFC 9116).',
    ...settings.securityContacts.map((c) => `Contact: ${c}`),
    `Expires: ${expires}`,
    'Preferred-Languages: nl, en',
    `Canonical: ${settings.publicUrl.replace(/\/$/, '')}${SECURITY_TXT_PATH}`,
    `Policy: ${settings.securityPolicyUrl}`,
    '',
  ].join('\n');
}

/** The answer: the file, or 404 where no contact is configured (start.ts warns about that at start). */
export function securityTxtResponse(settings: SecurityTxtSettings, now: Date = new Date()): Response {
  if (settings.securityContacts.length === 0) {
    return new Response('No security contact is configured for this deployment.\n', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }
  return new Response(securityTxt(settings, now), {
    status: 200,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
  });
}
