// SPDX-License-Identifier: EUPL-1.2
/**
 * Security headers on every answer (set by src/middleware.ts; static files get the same from
 * the request wrapper in src/server/app.ts). The script policy allows this origin's files and the
 * inline scripts of this build, by the hashes fixed when it was built (src/cli/csp-hashes.ts):
 * never one hashed from the answer itself, so a script that reached a page through data does not run.
 */

/** The same for every answer, routed or static. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  // no other site's window keeps a handle on ours, and no other site may embed what we answer
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Always present, also when a route brings a stricter policy of its own. */
const HARDENING = ["frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'", "form-action 'self'"];
const SOURCES = ["default-src 'self'", "img-src 'self' data:", "media-src 'self'", "connect-src 'self'", "style-src 'self' 'unsafe-inline'"];

/** The policy for an API answer (JSON, never a document): nothing may load, nothing may frame it. */
export const API_POLICY = ["default-src 'none'", ...HARDENING].join('; ');

/**
 * The policy for a page: scripts only from this origin or with one of these hashes (the build's
 * own inline scripts: Astro's island loader), so an injected inline script never runs.
 */
export function contentSecurityPolicy(scriptHashes: readonly string[] = []): string {
  const scripts = ["script-src 'self'", ...scriptHashes.map((h) => `'${h}'`)].join(' ');
  return [...SOURCES, scripts, ...HARDENING].join('; ');
}

let pagePolicy = contentSecurityPolicy();

/** At start (src/server/app.ts): the hashes of this build's inline scripts, from dist/csp-script-hashes.json. */
export function useScriptHashes(hashes: readonly string[]): void {
  pagePolicy = contentSecurityPolicy(hashes);
}

/** A route's own policy that forbids everything by default stays, completed with the hardening directives. */
function completeStricter(policy: string): string {
  const names = new Set(policy.split(';').map((d) => d.trim().split(/\s+/)[0]?.toLowerCase()));
  const missing = HARDENING.filter((d) => !names.has(d.split(' ')[0]));
  return [policy.replace(/;\s*$/, ''), ...missing].join('; ');
}

/**
 * Adds the headers; the answer itself is not read. Staff answers keep Referrer-Policy
 * same-origin (see src/server/staff/access.ts for why).
 */
export function withSecurityHeaders(response: Response, options: { staff: boolean }): Response {
  const own = response.headers.get('Content-Security-Policy');
  const keepOwn = own !== null && /(^|;)\s*default-src 'none'/.test(own);
  let out = response;
  const apply = (headers: Headers) => {
    for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) headers.set(name, value);
    if (options.staff) headers.set('Referrer-Policy', 'same-origin');
    headers.set('Content-Security-Policy', keepOwn && own ? completeStricter(own) : pagePolicy);
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
