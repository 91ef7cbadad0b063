// SPDX-License-Identifier: EUPL-1.2
/** Request guards that run before any route: cross-site writes are refused (CSRF). */
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A browser always names the page that posts (Origin, Sec-Fetch-Site); a post from another
 * site is refused. Clients that are not browsers send neither and are judged by the route.
 */
export function isCrossSiteWrite(request: Request, publicUrl: string | undefined): boolean {
  if (!UNSAFE.has(request.method)) return false;
  const fetchSite = request.headers.get('sec-fetch-site');
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') return true;
  const origin = request.headers.get('origin');
  // With Referrer-Policy: no-referrer a browser sends "Origin: null" on our own form posts;
  // Sec-Fetch-Site (checked above) is then what tells our own page from another site.
  if (!origin || origin === 'null') return false;
  const own = new URL(request.url).origin;
  return origin !== own && origin !== publicUrl;
}
