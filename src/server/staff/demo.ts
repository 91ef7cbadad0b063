// SPDX-License-Identifier: EUPL-1.2
/**
 * The demo staff account (SEED_DEMO only): an administrator of both demo municipalities, as a
 * regional team would be, with a fresh password at every start and no second factor.
 */
import type { Store } from '../store/index.ts';
import { ensureStaffAccount } from './accounts.ts';
import { generatePassword } from './passwords.ts';

export const DEMO_STAFF_EMAIL = 'demo@voorbeeld.example';
const DEMO_MUNICIPALITIES = ['voorbeeld', 'zeedorp'];

/** Creates or resets the demo account; returns its login for the start-up message. */
export async function seedDemoStaff(store: Store, municipalities: readonly string[] = DEMO_MUNICIPALITIES): Promise<{ email: string; password: string }> {
  const password = generatePassword(16);
  await ensureStaffAccount(store, {
    email: DEMO_STAFF_EMAIL,
    name: 'Demo-medewerker',
    role: 'admin',
    municipalities,
    password,
    demo: true,
  });
  return { email: DEMO_STAFF_EMAIL, password };
}
