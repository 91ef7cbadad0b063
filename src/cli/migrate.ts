// SPDX-License-Identifier: EUPL-1.2
/** `npm run db:migrate`: brings the configured database (SQLite or DATABASE_URL) to the latest schema. */
import { configOrExit } from '../server/config.ts';
import { migrateToLatest, migrationStatus, openStore } from '../server/store/index.ts';

const config = configOrExit();
const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
try {
  const applied = await migrateToLatest(store);
  const status = await migrationStatus(store);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply');
  console.log(`database is at ${status.applied.at(-1) ?? '(empty)'}; pending: ${status.pending.length}`);
} finally {
  await store.close();
}
