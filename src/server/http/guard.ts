// SPDX-License-Identifier: EUPL-1.2
/** Request guards that run before any route: cross-site writes are refused (CSRF). */
import type { FastifyRequest } from 'fastify';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What the guards, the cookie reader and the key check read of a request: a Web Request (Astro) or an API request. */
export interface RequestLike {
  readonly method: string;
  /** absolute */
  readonly url: string;
  readonly headers: { get(name: string): string | null };
}

/** An API request (Fastify) as the guards read it, without copying its headers. */
export function nodeRequest(request: FastifyRequest): RequestLike {
  const raw = request.headers;
  return {
    method: request.method,
    get url() {
      return `${request.protocol}://${request.host}${request.url}`;
    },
    headers: {
      get(name: string) {
        const value = raw[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
  };
}

/**
 * A browser always names the page that posts (Origin, Sec-Fetch-Site); a post from another
 * site is refused. Clients that are not browsers send neither and are judged by the route.
 */
export function isCrossSiteWrite(request: RequestLike, publicUrl: string | undefined): boolean {
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
