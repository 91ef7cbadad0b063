// SPDX-License-Identifier: EUPL-1.2
/**
 * Logging in: password (argon2id), then the second factor (TOTP) or its enrolment on first
 * login, lockout after 5 wrong tries in a row, slower answers while someone keeps guessing,
 * and one answer for every failure so the page never tells whether an email has an account.
 */
import { createHash } from 'node:crypto';
import { hitLimit } from '../http/rate-limit.ts';
import type { Store } from '../store/index.ts';
import {
  claimTotpStep,
  deleteStaffSession,
  findStaffByEmail,
  getStaffUser,
  recordFailedLogin,
  recordSuccessfulLogin,
  setPendingTotpSecret,
  type StaffUser,
} from '../store/staff.ts';
import { audit } from './audit.ts';
import { verifyAgainstNothing, verifyPassword } from './passwords.ts';
import { startSession, type StaffContext } from './session.ts';
import { checkTotp, groupedSecret, newTotpSecret, totpQrSvg } from './totp.ts';
import { appConfig } from '../runtime.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
const SLOW_WINDOW_MS = LOCK_MINUTES * 60_000;
const SLOW_BASE_MS = 100;
const SLOW_MAX_MS = 3_000;

export const LOGIN_PATH = '/staff/login';
export const SECOND_STEP_PATH = '/staff/login/tweede-stap';
export const ENROL_PATH = '/staff/login/instellen';
export const HOME_PATH = '/staff';

export type LoginResult =
  | { ok: true; token: string; next: string; demo: boolean }
  | { ok: false };

export type SecondStepResult = { ok: true; token: string } | { ok: false; sessionEnded: boolean };

/** Demo accounts exist for SEED_DEMO on a laptop; with it off, or on an https PUBLIC_URL, they cannot log in at all. */
function demoAllowed(user: StaffUser): boolean {
  return user.demo && appConfig().demoStaff;
}

/** Where a session that passed the password goes next. */
export function nextStepFor(staff: Pick<StaffContext, 'secondFactorOk' | 'totpEnabled'>): string {
  if (staff.secondFactorOk) return HOME_PATH;
  return staff.totpEnabled ? SECOND_STEP_PATH : ENROL_PATH;
}

/**
 * Each failure for an email (with or without an account) makes the next answer slower:
 * 0.1 s, 0.2 s, 0.4 s … up to 3 s, counted over 15 minutes in the shared database.
 */
async function slowDown(store: Store, email: string, now: Date): Promise<void> {
  const bucket = `staff-login-fail:${createHash('sha256').update(email).digest('hex')}`;
  const { count } = await hitLimit(store, bucket, { max: Number.MAX_SAFE_INTEGER, windowMs: SLOW_WINDOW_MS }, now.getTime());
  const delay = Math.min(SLOW_BASE_MS * 2 ** Math.min(count - 1, 16), SLOW_MAX_MS);
  await new Promise((resolve) => setTimeout(resolve, delay));
}

/** Counts a wrong password or code against the account; at the fifth in a row it locks. */
async function fail(store: Store, user: StaffUser, now: Date, what: string): Promise<void> {
  const lockUntil = new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString();
  const counted = await recordFailedLogin(store, user.id, { max: MAX_FAILED_LOGINS, lockUntil });
  const locked = counted !== undefined && counted.failures >= MAX_FAILED_LOGINS;
  await audit(store, {
    actor: user.id,
    action: 'login',
    objectType: 'staff_user',
    objectId: user.id,
    municipality: null,
    result: locked ? `locked (${what})` : `failed (${what})`,
    origin: 'staff-ui',
    at: now,
  });
}

function isLocked(user: StaffUser, now: Date): boolean {
  return user.lockedUntil !== null && Date.parse(user.lockedUntil) > now.getTime();
}

export async function loginWithPassword(
  store: Store,
  input: { email: string; password: string; userAgent: string | null; now: Date },
): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  if (email === '' || email.length > 254 || input.password === '') {
    await slowDown(store, email, input.now);
    return { ok: false };
  }
  const user = await findStaffByEmail(store, email);
  // Every path below spends one argon2 verification, so timing tells nothing either.
  if (!user || user.disabledAt !== null || (user.demo && !demoAllowed(user)) || isLocked(user, input.now)) {
    await verifyAgainstNothing(input.password);
    await slowDown(store, email, input.now);
    return { ok: false };
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await fail(store, user, input.now, 'password');
    await slowDown(store, email, input.now);
    return { ok: false };
  }
  const secondFactorOk = demoAllowed(user);
  const { token } = await startSession(store, {
    staffId: user.id,
    secondFactorOk,
    userAgent: input.userAgent,
    now: input.now,
  });
  if (secondFactorOk) await loggedIn(store, user.id, input.now, 'ok (demo, no second factor)');
  return { ok: true, token, next: nextStepFor({ secondFactorOk, totpEnabled: user.totpEnabled }), demo: user.demo };
}

async function loggedIn(store: Store, staffId: string, now: Date, result: string): Promise<void> {
  await recordSuccessfulLogin(store, staffId, now.toISOString());
  await audit(store, {
    actor: staffId,
    action: 'login',
    objectType: 'staff_user',
    objectId: staffId,
    municipality: null,
    result,
    origin: 'staff-ui',
    at: now,
  });
}

/**
 * The code of an enrolled second factor. A good code ends the short password-only session and
 * starts a full one under a new token (a token seen before the second factor is worth nothing).
 */
export async function verifySecondStep(
  store: Store,
  staff: StaffContext,
  input: { code: string; userAgent: string | null; now: Date },
): Promise<SecondStepResult> {
  const user = await getStaffUser(store, staff.staffId);
  if (!user || !user.totpEnabled || !user.totpSecret) return { ok: false, sessionEnded: false };
  return finishWithCode(store, staff, user, user.totpSecret, { ...input, enable: false });
}

/** The enrolment screen: the pending secret (made now, or kept from an earlier visit) as QR code and text. */
export async function enrolmentDetails(
  store: Store,
  staff: StaffContext,
): Promise<{ qrSvg: string; secret: string } | null> {
  if (staff.totpEnabled) return null;
  const secret = await setPendingTotpSecret(store, staff.staffId, newTotpSecret());
  if (!secret) return null;
  return { qrSvg: await totpQrSvg(secret, staff.email), secret: groupedSecret(secret) };
}

/** The first code from the app: it proves the app has the secret, which then comes into force. */
export async function completeEnrolment(
  store: Store,
  staff: StaffContext,
  input: { code: string; userAgent: string | null; now: Date },
): Promise<SecondStepResult> {
  const user = await getStaffUser(store, staff.staffId);
  if (!user || user.totpEnabled || !user.totpSecret) return { ok: false, sessionEnded: false };
  return finishWithCode(store, staff, user, user.totpSecret, { ...input, enable: true });
}

async function finishWithCode(
  store: Store,
  staff: StaffContext,
  user: StaffUser,
  secret: string,
  input: { code: string; userAgent: string | null; now: Date; enable: boolean },
): Promise<SecondStepResult> {
  const step = isLocked(user, input.now) ? null : await checkTotp(secret, input.code, user.totpLastStep, input.now);
  const claimed = step !== null && (await claimTotpStep(store, user.id, step, { enable: input.enable }));
  if (!claimed) {
    if (!isLocked(user, input.now)) await fail(store, user, input.now, input.enable ? 'enrolment code' : 'code');
    await slowDown(store, user.email, input.now);
    const after = await getStaffUser(store, user.id);
    // Locked now: the half-open session goes, and the login starts over after the lock.
    if (after && isLocked(after, input.now)) {
      await deleteStaffSession(store, staff.sessionId);
      return { ok: false, sessionEnded: true };
    }
    return { ok: false, sessionEnded: false };
  }
  await deleteStaffSession(store, staff.sessionId);
  const { token } = await startSession(store, {
    staffId: user.id,
    secondFactorOk: true,
    userAgent: input.userAgent,
    now: input.now,
  });
  if (input.enable) {
    await audit(store, {
      actor: user.id,
      action: 'enrol_totp',
      objectType: 'staff_user',
      objectId: user.id,
      municipality: null,
      result: 'ok',
      origin: 'staff-ui',
      at: input.now,
    });
  }
  await loggedIn(store, user.id, input.now, 'ok');
  return { ok: true, token };
}

export async function logout(store: Store, staff: StaffContext, now: Date): Promise<void> {
  await deleteStaffSession(store, staff.sessionId);
  await audit(store, {
    actor: staff.staffId,
    action: 'logout',
    objectType: 'staff_user',
    objectId: staff.staffId,
    municipality: null,
    result: 'ok',
    origin: 'staff-ui',
    at: now,
  });
}
