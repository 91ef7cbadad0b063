// SPDX-License-Identifier: EUPL-1.2
/**
 * Security headers on every answer (set by src/middleware.ts; static files get the same from
 * the request wrapper in src/cli/start.ts), with a script policy built from the page's own inline scripts.
 */
import { createHash } from 'node:crypto';

/** The same for every answer, routed or static. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** Always present, also when a route brings a stricter policy of its own. */
const HARDENING = ["frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'", "form-action 'self'"];
const SOURCES = ["default-src 'self'", "img-src 'self' data:", "media-src 'self'", "connect-src 'self'", "style-src 'self' 'unsafe-inline'"];

/** The policy for an API answer (JSON, never a document): nothing may load, nothing may frame it. */
export const API_POLICY = ["default-src 'none'", ...HARDENING].join('; ');

/**
 * The policy for a page: scripts only from this origin or with the hash of one of the page's
 * own inline scripts (Astro's island loader), so an injected inline script never runs.
 */
export function contentSecurityPolicy(scriptHashes: readonly string[] = []): string {
  const scripts = ["script-src 'self'", ...scriptHashes.map((h) => `'${h}'`)].join(' ');
  return [...SOURCES, scripts, ...HARDENING].join('; ');
}

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/** sha256 sources of every inline <script> element (those without src) in a page. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(INLINE_SCRIPT)) {
    if (/\ssrc\s*=/i.test(match[1] ?? '')) continue;
    hashes.add(`sha256-${createHash('sha256').update(match[2] ?? '', 'utf8').digest('base64')}`);
  }
  return [...hashes];
}

/** A route's own policy that forbids everything by default stays, completed with the hardening directives. */
function completeStricter(policy: string): string {
  const names = new Set(policy.split(';').map((d) => d.trim().split(/\s+/)[0]?.toLowerCase()));
  const missing = HARDENING.filter((d) => !names.has(d.split(' ')[0]));
  return [policy.replace(/;\s*$/, ''), ...missing].join('; ');
}

/**
 * Adds the headers. HTML answers are read whole (pages are small) to hash their inline scripts.
 * Staff answers keep Referrer-Policy same-origin (see src/server/staff/access.ts for why).
 */
export async function withSecurityHeaders(response: Response, options: { staff: boolean }): Promise<Response> {
  const own = response.headers.get('Content-Security-Policy');
  const keepOwn = own !== null && /(^|;)\s*default-src 'none'/.test(own);
  let out = response;
  let hashes: string[] = [];
  if (!keepOwn && response.body && (response.headers.get('Content-Type') ?? '').startsWith('text/html')) {
    const html = await response.text();
    hashes = inlineScriptHashes(html);
    out = new Response(html, response);
  }
  const apply = (headers: Headers) => {
    for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) headers.set(name, value);
    if (options.staff) headers.set('Referrer-Policy', 'same-origin');
    headers.set('Content-Security-Policy', keepOwn && own ? completeStricter(own) : contentSecurityPolicy(hashes));
  };
  try {
    apply(out.headers);
  } catch {
    // Response.redirect() and some framework answers have immutable headers: copy, then set.
    out = new Response(out.body, out);
    apply(out.headers);
  }
  return out;
}
