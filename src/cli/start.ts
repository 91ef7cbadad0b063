// SPDX-License-Identifier: EUPL-1.2
/**
 * `npm start` (after the build): migrates the database, seeds the demo municipalities and the
 * demo staff account, prints the URLs, serves the built Astro app on PORT/HOST, runs the hourly
 * retention job and the hand-off to case systems, answers /metrics, and shuts down cleanly on SIGTERM.
 */
import { existsSync } from 'node:fs';
import { constants as zlibConstants } from 'node:zlib';
import http from 'node:http';
import compression from 'compression';
import { readConfig } from '../server/config.ts';
import { log, requestRecords, type RequestRecord } from '../server/log.ts';
import { BASE_SECURITY_HEADERS, contentSecurityPolicy } from '../server/security-headers.ts';
import { connectorWarnings } from '../server/connector/connectors.ts';
import { startOutboxWorker } from '../server/connector/worker.ts';
import { createMetrics, withMetricsEndpoint } from '../server/metrics.ts';
import { allMunicipalities } from '../server/municipalities.ts';
import { scheduleRetention } from '../server/retention.ts';
import { seedDemo, seedMunicipalitiesFrom } from '../server/seed.ts';
import { seedDemoStaff } from '../server/staff/demo.ts';
import { migrateToLatest, openStore } from '../server/store/index.ts';
import { themeFileTokens } from '../server/theme-file.ts';

const config = readConfig();
const entry = new URL('../../dist/server/entry.mjs', import.meta.url);
if (!existsSync(entry)) {
  console.error('No build found: run `npm run build` first (npm start does this for you).');
  process.exit(1);
}
// The municipality's design tokens are checked now: a bad file stops the start, not a page later.
const theme = themeFileTokens(config.themeCssFile);
if (theme) log.info({ action: 'theme.load', object: 'THEME_CSS_FILE', result: theme.size, origin: 'process' }, 'design tokens loaded');
if (config.securityContacts.length === 0) {
  log.warn({ action: 'config.check', object: 'SECURITY_CONTACT', result: 'missing', origin: 'process' }, '/.well-known/security.txt answers 404 until SECURITY_CONTACT is set');
}

const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
await migrateToLatest(store);
const seeded = config.seedDemo ? await seedDemo(store) : [];
const demoStaff = config.seedDemo ? await seedDemoStaff(store, seeded.map((m) => m.slug)) : null;
// After the demo ones, so a deployment's file with a demo slug replaces the demo.
const configured = config.municipalitiesDir ? await seedMunicipalitiesFrom(store, config.municipalitiesDir) : [];
for (const warning of connectorWarnings(await allMunicipalities(store))) {
  log.warn({ action: 'config.check', object: 'connector', result: 'secret missing', origin: 'process' }, warning);
}
// Hands new call-back requests to the municipalities' case systems (src/server/connector/).
const outboxWorker = startOutboxWorker(store, config.outbox);
const metrics = createMetrics(store);
// The same connection serves the retention job; the app itself opens its own (src/server/runtime.ts).
const stopRetention = scheduleRetention(store);

process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = (await import(entry.href)) as { handler: http.RequestListener };

/**
 * One log line per request, written when the answer is sent, and the security headers for
 * answers the middleware never sees. The middleware fills in the route
 * pattern and actor; requests it never sees (static files) keep "static".
 */
function withRequestLog(inner: http.RequestListener): http.RequestListener {
  return (req, res) => {
    const started = performance.now();
    const record: RequestRecord = { object: 'static', actor: 'anonymous' };
    // Static files never pass the middleware; routed answers overwrite these with their own.
    for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) res.setHeader(name, value);
    res.setHeader('Content-Security-Policy', contentSecurityPolicy());
    // Browsers check the service worker for updates; a cached copy would hold back a new version.
    if (req.url === '/sw.js' || req.url?.startsWith('/sw.js?')) res.setHeader('Cache-Control', 'no-cache');
    res.once('close', () => {
      const ms = performance.now() - started;
      metrics.observeRequest(req.method, record.object, res.statusCode, ms / 1000);
      log.info({
        action: 'http.request',
        object: record.object,
        result: res.statusCode,
        origin: 'http',
        actor: record.actor,
        durationMs: Math.round(ms * 10) / 10,
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });
    requestRecords.run(record, () => inner(req, res));
  };
}

/**
 * Brotli or gzip for text answers (pages, JSON, scripts, styles, the sprite): on a weak connection
 * the first screen must fit in one round trip. Audio and images are compressed already.
 */
function withCompression(inner: http.RequestListener): http.RequestListener {
  const compress = compression({
    threshold: 1024,
    brotli: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } },
  }) as unknown as (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;
  // API writes answer small JSON (under the threshold): they skip the wrapper's cost entirely
  return (req, res) => (req.method === 'GET' || req.method === 'HEAD' ? compress(req, res, () => inner(req, res)) : inner(req, res));
}

const server = http.createServer(withRequestLog(withMetricsEndpoint(withCompression(handler), metrics, config.metricsToken)));
server.keepAliveTimeout = 5_000;
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host}:${port}`;
  // With PORT=0 the port is known only now; invitation links must carry the real one.
  if (!process.env.PUBLIC_URL) process.env.PUBLIC_URL = base;
  log.info({ action: 'process.start', object: 'http-server', result: 'listening', origin: 'process', port }, 'serving');
  // For the person who ran `npm start`, on stderr: stdout carries only the JSON log.
  console.error(`Hulpgesprek is running on ${base}`);
  console.error(`  database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.sqliteFile}`);
  for (const m of [...seeded.filter((d) => !configured.some((c) => c.slug === d.slug)), ...configured]) console.error(`  ${m.name}: ${base}/${m.slug}/nl/`);
  console.error(`  staff: ${base}/staff/login`);
  if (demoStaff) {
    console.error(`    demo login: ${demoStaff.email} / ${demoStaff.password}  (demo only: second factor is off for this account; a new password at every start)`);
  }
  console.error(`  health: ${base}/healthz  ready: ${base}/readyz`);
});

let stopping = false;
function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ action: 'process.stop', object: signal, origin: 'process' }, 'finishing requests in flight, then stopping');
  stopRetention();
  // Hand-offs in flight are aborted and become due again (the receiver deduplicates on the delivery id).
  const outboxStopped = outboxWorker.stop();
  server.close(() => {
    outboxStopped.finally(() => store.close().finally(() => process.exit(0)));
  });
  server.closeIdleConnections();
  // close() ends only the connections idle at this moment; one that answers its last request
  // later would otherwise keep the process up until its keep-alive timeout.
  setInterval(() => server.closeIdleConnections(), 100).unref();
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
