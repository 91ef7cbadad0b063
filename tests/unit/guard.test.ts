// SPDX-License-Identifier: EUPL-1.2
// Cross-site writes are refused; our own form posts pass, also with "Origin: null" (no-referrer pages).
import { describe, expect, it } from 'vitest';
import { isCrossSiteWrite } from '../../src/server/http/guard.ts';

const post = (headers: Record<string, string>) => new Request('https://hulp.example/voorbeeld/nl/', { method: 'POST', headers });

describe('isCrossSiteWrite', () => {
  it('lets our own page post, with its origin or with a null origin', () => {
    expect(isCrossSiteWrite(post({ Origin: 'https://hulp.example', 'Sec-Fetch-Site': 'same-origin' }), undefined)).toBe(false);
    expect(isCrossSiteWrite(post({ Origin: 'null', 'Sec-Fetch-Site': 'same-origin' }), undefined)).toBe(false);
  });
  it('refuses another site, whatever its origin says', () => {
    expect(isCrossSiteWrite(post({ Origin: 'https://evil.example' }), undefined)).toBe(true);
    expect(isCrossSiteWrite(post({ Origin: 'null', 'Sec-Fetch-Site': 'cross-site' }), undefined)).toBe(true);
    expect(isCrossSiteWrite(post({ 'Sec-Fetch-Site': 'same-site' }), undefined)).toBe(true);
  });
  it('leaves non-browser clients and reads alone', () => {
    expect(isCrossSiteWrite(post({}), undefined)).toBe(false);
    expect(isCrossSiteWrite(new Request('https://hulp.example/', { headers: { Origin: 'https://evil.example' } }), undefined)).toBe(false);
  });
});
