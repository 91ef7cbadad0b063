// SPDX-License-Identifier: EUPL-1.2
/**
 * The gates in front of every staff page (guardStaffRequest, run by src/middleware.ts) and every
 * staff API route (staffApiGate, run by src/server/staff/api.ts), so a new page or route is
 * protected without doing anything: a session with both factors, the CSRF token on every write,
 * no caching, no framing. Only the login steps are reachable without a session.
 */
import type { RequestLike } from '../http/guard.ts';
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

export const LOGOUT_PATH = '/staff/uitloggen';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
const MAX_FORM_BYTES = 16 * 1024;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface GuardOutcome {
  /** answer this instead of running the route */
  response?: Response;
  /** show the refusal page (src/pages/staff/geweigerd.astro) with this status instead of running the route */
  refuse?: 403 | 413;
  staff?: StaffContext;
  /** the login form's CSRF token (GET /staff/login) */
  loginCsrf?: string;
  /** cookies to add to the route's answer */
  setCookies: string[];
}

const STAFF_PAGES = /^\/staff(\/|$)/;

/** The staff pages (the staff API is answered by its own routes, src/server/staff/api.ts). */
export function isStaffPath(pathname: string): boolean {
  return STAFF_PAGES.test(pathname);
}

/** The refusal page a gate rewrites a refused form post to. */
export const REFUSED_PATH = '/staff/geweigerd';

function normalise(pathname: string): string {
  return pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location } });
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
    if (sent === 'tooLarge') return { refuse: 413, setCookies: [] };
    // Without the double-submit match nothing is checked: the form is shown again, fresh.
    if (!sameToken(sent, readCookie(request, LOGIN_COOKIE))) return { response: redirect(`${LOGIN_PATH}?verlopen=formulier`), setCookies: [] };
    return { setCookies: [] };
  }

  const pendingStep = path === SECOND_STEP_PATH || path === ENROL_PATH;
  if (!staff) return { response: toLogin(), setCookies: [] };
  if (pendingStep) {
    // Each login step only for the session that is at it (a full session has no code to give).
    const next = nextStepFor(staff);
    if (next !== path) return { response: redirect(next), setCookies: [] };
  } else if (!staff.secondFactorOk && path !== LOGOUT_PATH) {
    return { response: redirect(nextStepFor(staff)), setCookies: [] };
  }

  if (unsafe) {
    const sent = await formToken(request);
    if (sent === 'tooLarge' || !sameToken(sent, staff.csrfToken)) return { refuse: sent === 'tooLarge' ? 413 : 403, setCookies: [] };
  }
  return { staff, setCookies: [] };
}

/**
 * The staff API's gate: a session with both login steps (401 otherwise) and, on every write,
 * the session's CSRF token in the X-CSRF-Token header (403 otherwise).
 */
export async function staffApiGate(store: Store, request: RequestLike, now = new Date()): Promise<{ staff: StaffContext; refuse?: undefined } | { refuse: 401 | 403 }> {
  const lookup = await resolveSession(store, request, now);
  if (lookup.kind !== 'ok' || !lookup.staff.secondFactorOk) return { refuse: 401 };
  if (UNSAFE.has(request.method) && !sameToken(request.headers.get(CSRF_HEADER), lookup.staff.csrfToken)) return { refuse: 403 };
  return { staff: lookup.staff };
}

/** On every staff answer, page or API. */
export const STAFF_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form posts, which the origin check refuses.
  'Referrer-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'X-Robots-Tag': 'noindex, nofollow',
};

/** Headers on every staff answer: never stored by a browser or proxy, never framed, no referrer to other sites. */
export function withStaffHeaders(response: Response, setCookies: readonly string[]): Response {
  let out = response;
  const apply = (headers: Headers) => {
    for (const [name, value] of Object.entries(STAFF_HEADERS)) headers.set(name, value);
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
