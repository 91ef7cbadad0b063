// SPDX-License-Identifier: EUPL-1.2
/**
 * `npm run retention`: deletes personal data whose retention period has passed, once, now (the
 * server also does this every hour). `--now <ISO time>` runs it as if at that moment (tests).
 */
import { parseArgs } from 'node:util';
import { configOrExit } from '../server/config.ts';
import { runRetention } from '../server/jobs/retention.ts';
import { migrateToLatest, openStore } from '../server/store/index.ts';

const { values } = parseArgs({ options: { now: { type: 'string' } }, strict: true });
const now = values.now ? new Date(values.now) : new Date();
if (Number.isNaN(now.getTime())) {
  console.error(`--now must be an ISO 8601 time, got "${values.now}"`);
  process.exit(2);
}

const config = configOrExit();
const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
try {
  await migrateToLatest(store);
  const report = await runRetention(store, now);
  if (!report.ran) {
    console.log('Another instance is running the retention job right now; nothing done.');
  } else {
    const lines = Object.entries(report.deleted).map(([m, n]) => `  ${m}: ${n}`);
    console.log(lines.length ? `Personal data deleted:\n${lines.join('\n')}` : 'Nothing was due for deletion.');
    const signals = Object.entries(report.signalsCleared).map(([m, n]) => `  ${m}: ${n} cases`);
    if (signals.length) console.log(`Signal amounts and dates deleted:\n${signals.join('\n')}`);
    if (report.sessionsDeleted > 0) console.log(`Ended staff sessions cleared: ${report.sessionsDeleted}`);
    if (report.skipped.length) {
      console.error(`Skipped (settings not valid): ${report.skipped.join(', ')}`);
      process.exitCode = 1;
    }
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await store.close();
}
