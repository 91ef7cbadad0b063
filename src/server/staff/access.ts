// SPDX-License-Identifier: EUPL-1.2
/**
 * The gate in front of every staff page and staff API route (run by src/middleware.ts), so a
 * new page is protected without doing anything: a session with both factors, the CSRF token on
 * every write, no caching, no framing. Only the login steps are reachable without a session.
 */
import { problem } from '../http/problem.ts';
import { getStore } from '../runtime.ts';
import type { Store } from '../store/index.ts';
import { ENROL_PATH, HOME_PATH, LOGIN_PATH, nextStepFor, SECOND_STEP_PATH } from './auth.ts';
import {
  LOGIN_COOKIE,
  loginCsrfCookie,
  isSecure,
  newToken,
  readCookie,
  resolveSession,
  sameToken,
  type StaffContext,
} from './session.ts';
import { st } from './texts.ts';

export const LOGOUT_PATH = '/staff/uitloggen';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
const MAX_FORM_BYTES = 16 * 1024;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface GuardOutcome {
  /** answer this instead of running the route */
  response?: Response;
  staff?: StaffContext;
  /** the login form's CSRF token (GET /staff/login) */
  loginCsrf?: string;
  /** cookies to add to the route's answer */
  setCookies: string[];
}

const STAFF_PAGES = /^\/staff(\/|$)/;
const STAFF_API = /^\/api\/v1\/staff(\/|$)/;

export function isStaffPath(pathname: string): boolean {
  return STAFF_PAGES.test(pathname) || STAFF_API.test(pathname);
}

function normalise(pathname: string): string {
  return pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location } });
}

function unauthorized(): Response {
  return problem({ status: 401, title: 'Unauthorized', detail: 'Log in at /staff/login first (both steps).' });
}

function csrfRefusedApi(): Response {
  return problem({ status: 403, title: 'Forbidden', detail: `Send the session's CSRF token in the ${CSRF_HEADER} header.` });
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A bare page for a refused form: the layout needs a session this answer cannot trust. */
export function plainStaffPage(status: number, title: string, body: string): Response {
  const html = `<!doctype html><html lang="nl" dir="ltr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(title)} – Hulpgesprek</title><style>body{font-family:system-ui,sans-serif;font-size:1.125rem;line-height:1.5;max-inline-size:40rem;margin-inline:auto;padding:1rem;color:#1a1a1a}a{color:#00529b}</style></head><body><main><h1>${escape(title)}</h1><p>${escape(body)}</p><p><a href="${HOME_PATH}">${escape(st('nav.queue'))}</a></p></main></body></html>`;
  return new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

/** The `_csrf` field of a form post, read from a copy so the route can still read the body. */
async function formToken(request: Request): Promise<string | null | 'tooLarge'> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return null;
  if (Number(request.headers.get('content-length') ?? '0') > MAX_FORM_BYTES) return 'tooLarge';
  const text = await request.clone().text();
  if (text.length > MAX_FORM_BYTES) return 'tooLarge';
  return new URLSearchParams(text).get(CSRF_FIELD);
}

export async function guardStaffRequest(request: Request, rawPath: string, now = new Date()): Promise<GuardOutcome> {
  const store: Store = await getStore();
  const path = normalise(rawPath);
  const api = STAFF_API.test(path);
  const unsafe = UNSAFE.has(request.method);
  const lookup = await resolveSession(store, request, now);
  const staff = lookup.kind === 'ok' ? lookup.staff : undefined;
  const toLogin = () => redirect(lookup.kind === 'ended' ? `${LOGIN_PATH}?verlopen=sessie` : LOGIN_PATH);

  if (path === LOGIN_PATH) {
    if (!unsafe) {
      if (staff?.secondFactorOk) return { response: redirect(HOME_PATH), setCookies: [] };
      const existing = readCookie(request, LOGIN_COOKIE);
      const token = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : newToken();
      return {
        loginCsrf: token,
        setCookies: token === existing ? [] : [loginCsrfCookie(token, isSecure(request))],
      };
    }
    const sent = await formToken(request);
    if (sent === 'tooLarge') return { response: plainStaffPage(413, st('forbidden.title'), st('forbidden.csrf')), setCookies: [] };
    // Without the double-submit match nothing is checked: the form is shown again, fresh.
    if (!sameToken(sent, readCookie(request, LOGIN_COOKIE))) return { response: redirect(`${LOGIN_PATH}?verlopen=formulier`), setCookies: [] };
    return { setCookies: [] };
  }

  const pendingStep = path === SECOND_STEP_PATH || path === ENROL_PATH;
  if (!staff) return { response: api ? unauthorized() : toLogin(), setCookies: [] };
  if (pendingStep) {
    // Each login step only for the session that is at it (a full session has no code to give).
    const next = nextStepFor(staff);
    if (next !== path) return { response: redirect(next), setCookies: [] };
  } else if (!staff.secondFactorOk && path !== LOGOUT_PATH) {
    return { response: api ? unauthorized() : redirect(nextStepFor(staff)), setCookies: [] };
  }

  if (unsafe) {
    if (api) {
      if (!sameToken(request.headers.get(CSRF_HEADER), staff.csrfToken)) return { response: csrfRefusedApi(), setCookies: [] };
    } else {
      const sent = await formToken(request);
      if (sent === 'tooLarge' || !sameToken(sent, staff.csrfToken)) {
        return { response: plainStaffPage(sent === 'tooLarge' ? 413 : 403, st('forbidden.title'), st('forbidden.csrf')), setCookies: [] };
      }
    }
  }
  return { staff, setCookies: [] };
}

/** Headers on every staff answer: never stored by a browser or proxy, never framed, no referrer to other sites. */
export function withStaffHeaders(response: Response, setCookies: readonly string[]): Response {
  let out = response;
  const apply = (headers: Headers) => {
    headers.set('Cache-Control', 'no-store');
    headers.set('X-Frame-Options', 'DENY');
    // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form posts, which the origin check refuses.
    headers.set('Referrer-Policy', 'same-origin');
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('X-Robots-Tag', 'noindex, nofollow');
    // The Content-Security-Policy comes from src/server/http/security-headers.ts, as on every answer:
    // it hashes Astro's inline hydration script, so "samen invullen" can run the resident island.
    for (const c of setCookies) headers.append('Set-Cookie', c);
  };
  try {
    apply(out.headers);
  } catch {
    // Response.redirect() and some framework answers have immutable headers: copy, then set.
    out = new Response(response.body, response);
    apply(out.headers);
  }
  return out;
}
