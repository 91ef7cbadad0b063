// SPDX-License-Identifier: EUPL-1.2
/**
 * `npm run staff:create -- --email a@b.nl --name "…" --municipality voorbeeld --role admin`:
 * makes a staff account (the first administrator, say) and prints its password once, or takes
 * it from STAFF_PASSWORD. The second factor is set up at the first login.
 */
import { configOrExit } from '../server/config.ts';
import { parseOptionsOrExit } from './args.ts';
import { createStaffAccount, StaffInputError } from '../server/staff/accounts.ts';
import { generatePassword } from '../server/staff/passwords.ts';
import { migrateToLatest, openStore } from '../server/store/index.ts';
import { STAFF_ROLES } from '../server/store/staff.ts';

const USAGE = `Usage:
  npm run staff:create -- --email <email> --name "<name>" --municipality <slug> [--municipality <slug> …] --role <${STAFF_ROLES.join('|')}>

  The password is printed once (stdout, on its own), unless STAFF_PASSWORD gives one
  (at least 12 characters). At the first login the person sets up the second factor.`;

const OPTIONS = {
  email: { type: 'string' },
  name: { type: 'string' },
  municipality: { type: 'string', multiple: true },
  role: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const args = parseOptionsOrExit(OPTIONS, USAGE);
if (!args.email || !args.name || !args.municipality?.length || !args.role) {
  console.error(USAGE);
  process.exit(2);
}

const given = process.env.STAFF_PASSWORD;
const password = given && given.length > 0 ? given : generatePassword();
const config = configOrExit();
const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
try {
  // The staff tables arrive with a migration; this may run before the server ever started.
  await migrateToLatest(store);
  const id = await createStaffAccount(store, {
    email: args.email,
    name: args.name,
    role: args.role,
    municipalities: args.municipality,
    password,
  });
  console.error(
    `Account ${id} for ${args.email.trim().toLowerCase()} (${args.role}; ${args.municipality.join(', ')}) is made.` +
      (given ? ' Its password is the one in STAFF_PASSWORD.' : ' Its password is shown only now: hand it over safely.') +
      ' At the first login at /staff/login the second factor is set up.',
  );
  // stdout gets the password alone, so `PASSWORD=$(npm run -s staff:create -- …)` works.
  if (!given) console.log(password);
} catch (error) {
  console.error(error instanceof StaffInputError ? error.message : error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await store.close();
}
