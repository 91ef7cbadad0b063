// SPDX-License-Identifier: EUPL-1.2
/**
 * API keys for a municipality's case system: `--municipality voorbeeld --name zaaksysteem` makes
 * one and prints it once (only its hash is stored); `--list` and `--revoke <id>` manage them.
 */
import { createApiKey } from '../server/invitations/api-keys.ts';
import { configOrExit } from '../server/config.ts';
import { parseOptionsOrExit } from './args.ts';
import { listApiKeys, revokeApiKey } from '../server/store/api-keys.ts';
import { migrateToLatest, openStore } from '../server/store/index.ts';

const USAGE = `Usage:
  node src/cli/api-key.ts --municipality <slug> --name <who uses it> [--scope invites,ddas]
                                                                        make a key (printed once; scope invites when left out)
  node src/cli/api-key.ts --list [--municipality <slug>]                list keys (never the keys themselves)
  node src/cli/api-key.ts --revoke <key id>                             revoke a key`;

const OPTIONS = {
  municipality: { type: 'string' },
  name: { type: 'string' },
  scope: { type: 'string' },
  list: { type: 'boolean' },
  revoke: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const args = parseOptionsOrExit(OPTIONS, USAGE);

const config = configOrExit();
const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
try {
  // The key table arrives with a migration; the CLI may run before the server ever started.
  await migrateToLatest(store);
  if (args.revoke !== undefined) {
    const revoked = await revokeApiKey(store, args.revoke, new Date().toISOString());
    if (!revoked) {
      console.error(`No active key with id ${args.revoke}.`);
      process.exitCode = 1;
    } else console.log(`Key ${args.revoke} is revoked: requests with it now get 401.`);
  } else if (args.list) {
    for (const k of await listApiKeys(store, args.municipality)) {
      console.log(
        `${k.id}  ${k.municipality}  ${k.name}  [${k.scopes.join(' ')}]  made ${k.createdAt}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}`,
      );
    }
  } else if (args.municipality && args.name) {
    const scopes = args.scope?.split(/[\s,]+/).filter(Boolean);
    const { id, key } = await createApiKey(store, { municipality: args.municipality, name: args.name, ...(scopes ? { scopes } : {}) });
    // stdout gets the key alone, so `KEY=$(node src/cli/api-key.ts …)` works; the rest is for people.
    console.error(
      `New API key for ${args.municipality} (${args.name}, ${scopes?.join(' ') ?? 'invites'}), id ${id}. It is shown only now: store it safely.`,
    );
    console.log(key);
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await store.close();
}
