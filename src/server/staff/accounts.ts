// SPDX-License-Identifier: EUPL-1.2
/**
 * Making staff accounts (the CLI, the demo seed, tests): checked input, an argon2id hash, the
 * municipalities the person serves. Plain Node: no Astro or bundler-only imports.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/index.ts';
import { getMunicipality } from '../store/municipalities.ts';
import {
  findStaffByEmail,
  insertStaffUser,
  setStaffMemberships,
  setStaffPassword,
  STAFF_ROLES,
  updateStaffProfile,
  type StaffRole,
} from '../store/staff.ts';
import { hashPassword, passwordProblem } from './passwords.ts';

/** Deliberately loose: one @, something either side, no spaces. The mail server is the real check. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface StaffAccountInput {
  email: string;
  name: string;
  role: string;
  municipalities: readonly string[];
  password: string;
  demo?: boolean;
  /** an already enrolled second factor (tests); normally the first login enrols one */
  totpSecret?: string | null;
}

export class StaffInputError extends Error {}

export function isStaffRole(role: string): role is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(role);
}

async function checked(store: Store, input: StaffAccountInput): Promise<{ email: string; name: string; role: StaffRole; municipalities: string[] }> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL_SHAPE.test(email) || email.length > 254) throw new StaffInputError(`"${input.email}" is not an email address`);
  const name = input.name.trim();
  if (name === '' || name.length > 100) throw new StaffInputError('The name must be 1 to 100 characters');
  if (!isStaffRole(input.role)) throw new StaffInputError(`The role must be one of ${STAFF_ROLES.join(', ')}`);
  const municipalities = [...new Set(input.municipalities.map((m) => m.trim()))].sort();
  if (municipalities.length === 0) throw new StaffInputError('Name at least one municipality (--municipality <slug>)');
  for (const slug of municipalities) {
    if (!(await getMunicipality(store, slug))) throw new StaffInputError(`No municipality "${slug}" in the database`);
  }
  const problem = passwordProblem(input.password);
  if (problem) throw new StaffInputError(problem);
  return { email, name, role: input.role, municipalities };
}

/** A new account; an email that has one already is refused. Returns the new id. */
export async function createStaffAccount(store: Store, input: StaffAccountInput): Promise<string> {
  const ok = await checked(store, input);
  if (await findStaffByEmail(store, ok.email)) throw new StaffInputError(`There is already an account for ${ok.email}`);
  const id = randomUUID();
  await insertStaffUser(store, {
    id,
    email: ok.email,
    name: ok.name,
    passwordHash: await hashPassword(input.password),
    role: ok.role,
    demo: input.demo ?? false,
    createdAt: new Date().toISOString(),
    municipalities: ok.municipalities,
    totpSecret: input.totpSecret ?? null,
  });
  return id;
}

/**
 * Makes the account exist exactly as given: created, or brought up to date with a new password
 * (every old session ends). For the demo account, which gets a fresh password at every start.
 */
export async function ensureStaffAccount(store: Store, input: StaffAccountInput): Promise<string> {
  const ok = await checked(store, input);
  let existing = await findStaffByEmail(store, ok.email);
  if (!existing) {
    try {
      return await createStaffAccount(store, input);
    } catch (error) {
      // Another instance starting on the same database made it between our look and our insert.
      existing = await findStaffByEmail(store, ok.email);
      if (!existing) throw error;
    }
  }
  await setStaffPassword(store, existing.id, await hashPassword(input.password));
  await updateStaffProfile(store, existing.id, { name: ok.name, role: ok.role, demo: input.demo ?? false, disabledAt: null });
  await setStaffMemberships(store, existing.id, ok.municipalities);
  return existing.id;
}
