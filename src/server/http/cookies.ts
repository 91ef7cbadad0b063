// SPDX-License-Identifier: EUPL-1.2
/**
 * The one cookie API of the server: reading a request's cookie and writing Set-Cookie values,
 * through the `cookie` package. Every cookie here is HttpOnly; staff cookies are SameSite=Strict,
 * the invitation cookie Lax (it must survive the step from an SMS app into the browser).
 */
import { parseCookie, stringifySetCookie } from 'cookie';
import type { RequestLike } from './guard.ts';

export function readCookie(request: RequestLike, name: string): string | null {
  const header = request.headers.get('cookie');
  if (!header) return null;
  return parseCookie(header)[name] ?? null;
}

export interface CookieOptions {
  path: string;
  secure: boolean;
  sameSite: 'strict' | 'lax';
  /** seconds; unset: the cookie goes when the browser closes; 0 deletes it */
  maxAge?: number;
}

export function setCookie(name: string, value: string, options: CookieOptions): string {
  return stringifySetCookie({
    name,
    value,
    path: options.path,
    httpOnly: true,
    sameSite: options.sameSite,
    secure: options.secure,
    ...(options.maxAge !== undefined ? { maxAge: options.maxAge } : {}),
  });
}
