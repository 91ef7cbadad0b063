// SPDX-License-Identifier: EUPL-1.2
/**
 * Staff sessions: a random token in an HttpOnly cookie, its sha256 in the database (so every
 * instance knows every session), 12 hours at most, ended sooner by STAFF_IDLE_MINUTES idle.
 */
import { readCookie, setCookie } from '../http/cookies.ts';
import type { RequestLike } from '../http/guard.ts';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/index.ts';
import { appConfig, publicUrl } from '../runtime.ts';
import {
  deleteStaffSession,
  getStaffSession,
  getStaffUser,
  insertStaffSession,
  touchStaffSession,
  type StaffRole,
  type StaffSession,
} from '../store/staff.ts';

export const STAFF_COOKIE = 'hg_staff';
/** Double-submit token of the login form, which has no session yet to hold one. */
export const LOGIN_COOKIE = 'hg_staff_login';
/**
 * A cookie has one path; the session cookie is set for the pages, for the staff API and
 * for the DDAS delivery an administrator may download, and is sent nowhere else (not to the
 * resident pages, not to other APIs).
 */
export const COOKIE_PATHS = ['/staff', '/api/v1/staff', '/api/v1/ddas'] as const;
export const SESSION_HOURS = 12;
/** Between the password and the second factor: long enough to find the phone, no longer. */
export const PENDING_MINUTES = 10;
/** A last_seen_at younger than this is not rewritten: one write a minute per session is plenty. */
const TOUCH_EVERY_MS = 30_000;

/** Who is asking, as every staff page and API route sees it. */
export interface StaffContext {
  sessionId: string;
  staffId: string;
  email: string;
  name: string;
  role: StaffRole;
  /** the municipalities this person serves; every query is limited to these */
  municipalities: string[];
  csrfToken: string;
  demo: boolean;
  /** false while the password was given but the second factor not yet */
  secondFactorOk: boolean;
  totpEnabled: boolean;
  expiresAt: string;
}

export type SessionLookup =
  | { kind: 'none' }
  /** there was a session, but it ran out (idle or absolute): the login page says so */
  | { kind: 'ended' }
  | { kind: 'ok'; staff: StaffContext };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function hashUserAgent(userAgent: string | null): string | null {
  return userAgent ? createHash('sha256').update(userAgent).digest('hex').slice(0, 32) : null;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Starts a session; `secondFactorOk` false makes it a short one that only reaches the login steps. */
export async function startSession(
  store: Store,
  input: { staffId: string; secondFactorOk: boolean; userAgent: string | null; now: Date },
): Promise<{ token: string; session: StaffSession }> {
  const token = newToken();
  const lifetimeMs = input.secondFactorOk ? SESSION_HOURS * 3_600_000 : PENDING_MINUTES * 60_000;
  const session: StaffSession = {
    id: hashToken(token),
    staffId: input.staffId,
    createdAt: input.now.toISOString(),
    lastSeenAt: input.now.toISOString(),
    expiresAt: new Date(input.now.getTime() + lifetimeMs).toISOString(),
    csrfToken: newToken(),
    secondFactorOk: input.secondFactorOk,
    userAgentHash: hashUserAgent(input.userAgent),
  };
  await insertStaffSession(store, session);
  return { token, session };
}

/** The session behind the request's cookie, checked against every rule, and marked as used. */
export async function resolveSession(store: Store, request: RequestLike, now: Date): Promise<SessionLookup> {
  const token = readCookie(request, STAFF_COOKIE);
  if (!token || token.length > 100) return { kind: 'none' };
  const session = await getStaffSession(store, hashToken(token));
  if (!session) return { kind: 'none' };
  const idleMs = appConfig().staffIdleMinutes * 60_000;
  const nowMs = now.getTime();
  const ended = nowMs >= Date.parse(session.expiresAt) || nowMs - Date.parse(session.lastSeenAt) > idleMs;
  // A stolen cookie replayed from another browser is not enough on its own.
  const otherBrowser = session.userAgentHash !== hashUserAgent(request.headers.get('user-agent'));
  if (ended || otherBrowser) {
    await deleteStaffSession(store, session.id);
    return ended ? { kind: 'ended' } : { kind: 'none' };
  }
  const user = await getStaffUser(store, session.staffId);
  const demoOff = user?.demo === true && !appConfig().demoStaff;
  if (!user || user.disabledAt !== null || demoOff) {
    await deleteStaffSession(store, session.id);
    return { kind: 'none' };
  }
  if (nowMs - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) await touchStaffSession(store, session.id, now.toISOString());
  return {
    kind: 'ok',
    staff: {
      sessionId: session.id,
      staffId: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      municipalities: user.municipalities,
      csrfToken: session.csrfToken,
      demo: user.demo,
      secondFactorOk: session.secondFactorOk,
      totpEnabled: user.totpEnabled,
      expiresAt: session.expiresAt,
    },
  };
}

/** Secure when the portal is served over https, directly or behind a proxy (PUBLIC_URL). */
export function isSecure(request: RequestLike, address: string = publicUrl()): boolean {
  return new URL(request.url).protocol === 'https:' || address.startsWith('https:');
}

function cookie(name: string, value: string, path: string, secure: boolean, maxAgeSeconds?: number): string {
  return setCookie(name, value, { path, secure, sameSite: 'strict', ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}) });
}

/**
 * The session cookie for every staff path. No Max-Age: it goes when the browser closes, which
 * is what a shared office computer needs; the database ends it after 12 hours in any case.
 */
export function sessionCookies(token: string, secure: boolean): string[] {
  return COOKIE_PATHS.map((path) => cookie(STAFF_COOKIE, token, path, secure));
}

export function clearSessionCookies(secure: boolean): string[] {
  return COOKIE_PATHS.map((path) => cookie(STAFF_COOKIE, '', path, secure, 0));
}

export function loginCsrfCookie(token: string, secure: boolean): string {
  return cookie(LOGIN_COOKIE, token, '/staff/login', secure, SESSION_HOURS * 3600);
}

export { readCookie };

/** Constant-time comparison of two tokens (either may be missing). */
export function sameToken(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
