// SPDX-License-Identifier: EUPL-1.2
/**
 * Staff accounts, the municipalities each serves, and their sessions. Every state change that
 * two instances could race on (a failed login, a TOTP step, a lock) is one conditional UPDATE.
 */
import type { Store } from './index.ts';
import type { StaffRole, StaffSessionRow, StaffUserRow } from './schema.ts';

export type { StaffRole } from './schema.ts';
export const STAFF_ROLES = ['caseworker', 'coordinator', 'admin'] as const satisfies readonly StaffRole[];

export interface StaffUser {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  totpSecret: string | null;
  totpEnabled: boolean;
  totpLastStep: number | null;
  role: StaffRole;
  demo: boolean;
  createdAt: string;
  failedLogins: number;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  disabledAt: string | null;
  /** slugs, sorted */
  municipalities: string[];
}

export interface NewStaffUser {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  role: StaffRole;
  demo?: boolean;
  createdAt: string;
  municipalities: readonly string[];
  /** already enrolled (tests, imports); normally set at first login */
  totpSecret?: string | null;
}

export interface StaffSession {
  id: string;
  staffId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  csrfToken: string;
  secondFactorOk: boolean;
  userAgentHash: string | null;
}

/** Stores an account and its memberships together; a taken email is a unique violation. */
export async function insertStaffUser(store: Store, user: NewStaffUser): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('staff_users')
      .values({
        id: user.id,
        email: user.email.toLowerCase(),
        name: user.name,
        password_hash: user.passwordHash,
        totp_secret: user.totpSecret ?? null,
        totp_enabled: user.totpSecret ? 1 : 0,
        totp_last_step: null,
        role: user.role,
        demo: user.demo ? 1 : 0,
        created_at: user.createdAt,
        locked_until: null,
        last_login_at: null,
        disabled_at: null,
      })
      .execute();
    if (user.municipalities.length > 0) {
      await trx
        .insertInto('staff_memberships')
        .values(user.municipalities.map((municipality) => ({ staff_id: user.id, municipality })))
        .execute();
    }
  });
}

/** Replaces an account's municipalities with exactly these. */
export async function setStaffMemberships(store: Store, staffId: string, municipalities: readonly string[]): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('staff_memberships').where('staff_id', '=', staffId).execute();
    if (municipalities.length > 0) {
      await trx
        .insertInto('staff_memberships')
        .values(municipalities.map((municipality) => ({ staff_id: staffId, municipality })))
        .execute();
    }
  });
}

/** Sets a new password and ends every session of the account, lock and failures cleared. */
export async function setStaffPassword(store: Store, staffId: string, passwordHash: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('staff_users')
      .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
      .where('id', '=', staffId)
      .execute();
    await trx.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
  });
}

export async function updateStaffProfile(
  store: Store,
  staffId: string,
  changes: { name?: string; role?: StaffRole; demo?: boolean; disabledAt?: string | null },
): Promise<void> {
  const set: { name?: string; role?: StaffRole; demo?: 0 | 1; disabled_at?: string | null } = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.role !== undefined) set.role = changes.role;
  if (changes.demo !== undefined) set.demo = changes.demo ? 1 : 0;
  if (changes.disabledAt !== undefined) set.disabled_at = changes.disabledAt;
  if (Object.keys(set).length === 0) return;
  await store.db.updateTable('staff_users').set(set).where('id', '=', staffId).execute();
}

export async function findStaffByEmail(store: Store, email: string): Promise<StaffUser | undefined> {
  const row = await store.db
    .selectFrom('staff_users')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
  return row && withMemberships(store, row);
}

export async function getStaffUser(store: Store, id: string): Promise<StaffUser | undefined> {
  const row = await store.db.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && withMemberships(store, row);
}

/** Names of these accounts by id (for "assigned to" and the audit page); unknown ids are left out. */
export async function staffNames(store: Store, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await store.db.selectFrom('staff_users').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Counts one wrong password or code, in one statement so parallel guesses on two instances are
 * all counted. At `max` failures in a row the account locks until `lockUntil` and the count
 * starts again. Returns the count and the lock, or undefined for an unknown id.
 */
export async function recordFailedLogin(
  store: Store,
  staffId: string,
  options: { max: number; lockUntil: string },
): Promise<{ failures: number; lockedUntil: string | null } | undefined> {
  const row = await store.db
    .updateTable('staff_users')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', staffId)
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirst();
  if (!row) return undefined;
  const failures = Number(row.failed_logins);
  if (failures < options.max) return { failures, lockedUntil: row.locked_until };
  // Only the request that reached the limit locks; the others see failures past it and a lock.
  await store.db
    .updateTable('staff_users')
    .set({ locked_until: options.lockUntil, failed_logins: 0 })
    .where('id', '=', staffId)
    .where('failed_logins', '>=', options.max)
    .execute();
  return { failures, lockedUntil: options.lockUntil };
}

/** A good login: the run of failures ends and the moment is kept. */
export async function recordSuccessfulLogin(store: Store, staffId: string, at: string): Promise<void> {
  await store.db
    .updateTable('staff_users')
    .set({ failed_logins: 0, locked_until: null, last_login_at: at })
    .where('id', '=', staffId)
    .execute();
}

/** Lifts a lock early (an administrator's decision, or a test). */
export async function unlockStaffUser(store: Store, staffId: string): Promise<void> {
  await store.db.updateTable('staff_users').set({ failed_logins: 0, locked_until: null }).where('id', '=', staffId).execute();
}

/**
 * Keeps the secret shown at enrolment until the first good code, so a reload of the enrolment
 * page shows the same QR code. Never replaces the secret of an enrolled account.
 * Returns the secret in force (the one given, or the pending one kept before).
 */
export async function setPendingTotpSecret(store: Store, staffId: string, secret: string): Promise<string | undefined> {
  await store.db
    .updateTable('staff_users')
    .set({ totp_secret: secret })
    .where('id', '=', staffId)
    .where('totp_enabled', '=', 0)
    .where('totp_secret', 'is', null)
    .execute();
  const row = await store.db
    .selectFrom('staff_users')
    .select(['totp_secret', 'totp_enabled'])
    .where('id', '=', staffId)
    .executeTakeFirst();
  return row?.totp_enabled === 0 ? (row.totp_secret ?? undefined) : undefined;
}

/**
 * Accepts a TOTP time step at most once per account: true when `step` is later than every step
 * accepted before (the statement that moves the mark is the check, so two instances cannot
 * both accept the same code). With `enable`, the pending secret comes into force.
 */
export async function claimTotpStep(store: Store, staffId: string, step: number, options: { enable?: boolean } = {}): Promise<boolean> {
  const result = await store.db
    .updateTable('staff_users')
    .set(options.enable ? { totp_last_step: step, totp_enabled: 1 } : { totp_last_step: step })
    .where('id', '=', staffId)
    .where('totp_secret', 'is not', null)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Forgets the second factor: the next login enrols a new one. Ends every session. */
export async function resetTotp(store: Store, staffId: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('staff_users')
      .set({ totp_secret: null, totp_enabled: 0, totp_last_step: null })
      .where('id', '=', staffId)
      .execute();
    await trx.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
  });
}

export async function insertStaffSession(store: Store, session: StaffSession): Promise<void> {
  await store.db
    .insertInto('staff_sessions')
    .values({
      id: session.id,
      staff_id: session.staffId,
      created_at: session.createdAt,
      last_seen_at: session.lastSeenAt,
      expires_at: session.expiresAt,
      csrf_token: session.csrfToken,
      second_factor_ok: session.secondFactorOk ? 1 : 0,
      user_agent_hash: session.userAgentHash,
    })
    .execute();
}

export async function getStaffSession(store: Store, id: string): Promise<StaffSession | undefined> {
  const row = await store.db.selectFrom('staff_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSession(row);
}

/** Marks the session as used now, which starts its idle time again. */
export async function touchStaffSession(store: Store, id: string, at: string): Promise<void> {
  await store.db.updateTable('staff_sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteStaffSession(store: Store, id: string): Promise<void> {
  await store.db.deleteFrom('staff_sessions').where('id', '=', id).execute();
}

/** Sessions that ended by time (absolute, or idle since before `idleBefore`); returns how many went. */
export async function deleteEndedStaffSessions(store: Store, now: string, idleBefore: string): Promise<number> {
  const result = await store.db
    .deleteFrom('staff_sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function withMemberships(store: Store, row: StaffUserRow): Promise<StaffUser> {
  const memberships = await store.db
    .selectFrom('staff_memberships')
    .select('municipality')
    .where('staff_id', '=', row.id)
    .orderBy('municipality')
    .execute();
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    totpSecret: row.totp_secret,
    totpEnabled: row.totp_enabled === 1,
    totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
    role: row.role,
    demo: row.demo === 1,
    createdAt: row.created_at,
    failedLogins: Number(row.failed_logins),
    lockedUntil: row.locked_until,
    lastLoginAt: row.last_login_at,
    disabledAt: row.disabled_at,
    municipalities: memberships.map((m) => m.municipality),
  };
}

function toSession(row: StaffSessionRow): StaffSession {
  return {
    id: row.id,
    staffId: row.staff_id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    csrfToken: row.csrf_token,
    secondFactorOk: row.second_factor_ok === 1,
    userAgentHash: row.user_agent_hash,
  };
}
