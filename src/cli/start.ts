// SPDX-License-Identifier: EUPL-1.2
/**
 * `npm start` (after the build): the launcher around createApp (src/server/app.ts). Reads the
 * configuration once (a wrong value stops the start with one line), builds the app, listens on
 * PORT/HOST, prints the URLs and the demo login, starts the background jobs and shuts down
 * cleanly on SIGTERM.
 */
import http from 'node:http';
import { createApp, NoBuildError } from '../server/app.ts';
import { configOrExit } from '../server/config.ts';
import { log } from '../server/log.ts';

const config = configOrExit();
const app = await createApp(config).catch((error: unknown) => {
  if (!(error instanceof NoBuildError)) throw error;
  console.error(error.message);
  process.exit(1);
});

const server = http.createServer(app.handler);
server.keepAliveTimeout = 5_000;
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host}:${port}`;
  // With PORT=0 the port is known only now; invitation links must carry the real one.
  app.listening(base);
  app.jobs.start();
  log.info({ action: 'process.start', object: 'http-server', result: 'listening', origin: 'process', port }, 'serving');
  // For the person who ran `npm start`, on stderr: stdout carries only the JSON log.
  console.error(`Hulpgesprek is running on ${base}`);
  console.error(`  database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.sqliteFile}`);
  for (const m of app.seeded.municipalities) console.error(`  ${m.name}: ${base}/${m.slug}/nl/`);
  console.error(`  staff: ${base}/staff/login`);
  const demo = app.seeded.demoStaff;
  if (demo) {
    console.error(`    demo login: ${demo.email} / ${demo.password}  (demo only: second factor is off for this account; a new password at every start)`);
  }
  console.error(`  health: ${base}/healthz  ready: ${base}/readyz`);
});

let stopping = false;
function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ action: 'process.stop', object: signal, origin: 'process' }, 'finishing requests in flight, then stopping');
  const jobsStopped = app.jobs.stop();
  server.close(() => {
    jobsStopped.finally(() => app.close().finally(() => process.exit(0)));
  });
  server.closeIdleConnections();
  // close() ends only the connections idle at this moment; one that answers its last request
  // later would otherwise keep the process up until its keep-alive timeout.
  setInterval(() => server.closeIdleConnections(), 100).unref();
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
