// SPDX-License-Identifier: EUPL-1.2
// Security headers on every kind of answer of the built server, and a script policy without 'unsafe-inline'.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';

const root = new URL('../../', import.meta.url).pathname;
let app: AppServer;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

const json = { 'Content-Type': 'application/json' };
const CASES: { path: string; method?: string; body?: string; headers?: Record<string, string> }[] = [
  { path: '/' },
  { path: '/voorbeeld/' },
  { path: '/voorbeeld/nl/' },
  { path: '/zeedorp/ar/' },
  { path: '/voorbeeld/nl/', method: 'POST', body: 'x=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
  { path: '/bestaat-niet/' },
  { path: '/api/v1/openapi.json' },
  { path: '/api/v1/terugbelverzoeken', method: 'POST', body: '{}', headers: json },
  { path: '/api/v1/gesprekken/00000000-0000-4000-8000-000000000000', method: 'PUT', body: '{}', headers: json },
  { path: '/api/v1/uitnodigingen', method: 'POST', body: '{}', headers: json },
  { path: '/s/' },
  { path: '/s/ABCD-EFGH-JKMNP' },
  { path: '/healthz' },
  { path: '/readyz' },
  { path: '/.well-known/security.txt' },
  { path: '/staff/login' },
  { path: '/staff' },
  { path: '/api/v1/staff/ik' },
  { path: '/icons.svg' },
];

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

describe('security headers', () => {
  it.each(CASES)('$method $path', async ({ path, method = 'GET', body, headers }) => {
    const res = await fetch(`${app.url}${path}`, { method, redirect: 'manual', headers: { Origin: app.url, ...headers }, ...(body ? { body } : {}) });
    expect(res.status, path).toBeLessThan(500);
    const staff = /^\/(staff|api\/v1\/staff)(\/|$)/.test(path);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe(staff ? 'same-origin' : 'no-referrer');
    expect(res.headers.get('permissions-policy')).toBe('camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    const csp = directives(res.headers.get('content-security-policy') ?? '');
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    if (path.startsWith('/s/')) {
      // The personal-link page runs nothing and loads almost nothing: its stricter policy stays.
      expect(csp.get('default-src')).toEqual(["'none'"]);
      expect(csp.has('script-src')).toBe(false);
    } else if (path.startsWith('/api/')) {
      // JSON is never a document: nothing may load in it.
      expect(res.headers.get('content-type') ?? '').toMatch(/^application\/(problem\+)?json/);
      expect(csp.get('default-src')).toEqual(["'none'"]);
      expect([...csp.keys()].sort()).toEqual(['base-uri', 'default-src', 'form-action', 'frame-ancestors', 'object-src']);
    } else {
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
      expect(csp.get('media-src')).toEqual(["'self'"]);
      expect(csp.get('connect-src')).toEqual(["'self'"]);
      expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
      const scripts = csp.get('script-src') ?? [];
      expect(scripts[0]).toBe("'self'");
      expect(scripts).not.toContain("'unsafe-inline'");
      expect(scripts).not.toContain("'unsafe-eval'");
      if ((res.headers.get('content-type') ?? '').startsWith('text/html')) {
        const html = await res.text();
        for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
          if (/\ssrc\s*=/i.test(m[1] ?? '')) continue;
          const hash = `'sha256-${createHash('sha256').update(m[2] ?? '').digest('base64')}'`;
          expect(scripts, `inline script on ${path}`).toContain(hash);
        }
      }
    }
  });

  it('allows the inline scripts of this build and no others: the same hashes on every page, fixed when it was built', async () => {
    const built = (JSON.parse(readFileSync(join(root, 'dist/csp-script-hashes.json'), 'utf8')) as { scripts: { hash: string }[] }).scripts.map((s) => `'${s.hash}'`);
    const res = await fetch(`${app.url}/voorbeeld/nl/`);
    const html = await res.text();
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)].filter((m) => !/\ssrc\s*=/i.test(m[1] ?? ''));
    expect(inline.length).toBeGreaterThan(0);
    const hashes = (policy: string | null) => (policy ?? '').match(/'sha256-[^']+'/g) ?? [];
    expect(hashes(res.headers.get('content-security-policy')).sort()).toEqual([...built].sort());
    for (const path of ['/zeedorp/ar/', '/staff/login', '/voorbeeld/nl/privacy']) {
      expect(hashes((await fetch(`${app.url}${path}`)).headers.get('content-security-policy')).sort(), path).toEqual([...built].sort());
    }
  });
});
