// SPDX-License-Identifier: EUPL-1.2
/**
 * `npm start` (after the build): migrates the database, seeds the demo municipalities and the
 * demo staff account, prints the URLs, serves the built Astro app on PORT/HOST, runs the hourly
 * retention job, and shuts down cleanly on SIGTERM.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import { readConfig } from '../server/config.ts';
import { scheduleRetention } from '../server/retention.ts';
import { seedDemo } from '../server/seed.ts';
import { seedDemoStaff } from '../server/staff/demo.ts';
import { migrateToLatest, openStore } from '../server/store/index.ts';

const config = readConfig();
const entry = new URL('../../dist/server/entry.mjs', import.meta.url);
if (!existsSync(entry)) {
  console.error('No build found: run `npm run build` first (npm start does this for you).');
  process.exit(1);
}

const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
await migrateToLatest(store);
const seeded = config.seedDemo ? await seedDemo(store) : [];
const demoStaff = config.seedDemo ? await seedDemoStaff(store, seeded.map((m) => m.slug)) : null;
// The same connection serves the retention job; the app itself opens its own (src/server/runtime.ts).
const stopRetention = scheduleRetention(store);

process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = (await import(entry.href)) as { handler: http.RequestListener };
const server = http.createServer(handler);
server.keepAliveTimeout = 5_000;
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host}:${port}`;
  // With PORT=0 the port is known only now; invitation links must carry the real one.
  if (!process.env.PUBLIC_URL) process.env.PUBLIC_URL = base;
  console.log(`Hulpgesprek is running on ${base}`);
  console.log(`  database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.sqliteFile}`);
  for (const m of seeded) console.log(`  ${m.name}: ${base}/${m.slug}/nl/`);
  console.log(`  staff: ${base}/staff/login`);
  if (demoStaff) {
    console.log(`    demo login: ${demoStaff.email} / ${demoStaff.password}  (demo only: second factor is off for this account; a new password at every start)`);
  }
  console.log(`  health: ${base}/healthz`);
});

let stopping = false;
function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing requests in flight, then stopping`);
  stopRetention();
  server.close(() => {
    store.close().finally(() => process.exit(0));
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
