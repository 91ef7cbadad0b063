// SPDX-License-Identifier: EUPL-1.2
/**
 * The app, built once: `createApp(config)` opens and migrates the store, seeds the demo and the
 * configured municipalities, and returns the request handler (the HTTP layer of
 * src/server/http/server.ts: static files, the API, the built Astro pages in middleware mode,
 * behind the request log), the background jobs (retention, the hand-off outbox) and the metrics.
 * The launcher (src/cli/start.ts) only listens and handles signals.
 */
import { existsSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import { constants as zlibConstants } from 'node:zlib';
import compression from 'compression';
import type { Config } from './config.ts';
import { connectorWarnings } from './connector/connectors.ts';
import { startOutboxWorker, type OutboxWorker } from './connector/worker.ts';
import { log, logRequest, requestRecords, type RequestLine, type RequestRecord } from './log.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { CLIENT_DIR, createHttp, type PagesHandler } from './http/server.ts';
import { allMunicipalities } from './municipalities.ts';
import { scheduleRetention } from './jobs/retention.ts';
import { planSendsSms } from '../lib/contact-plan.ts';
import { scheduleContactPlan } from './jobs/contact-plan.ts';
import { scheduleSmsSender } from './jobs/sms-sender.ts';
import { Notify } from './notify/client.ts';
import { publicUrl, setListeningAddress, useRuntime } from './runtime.ts';
import { API_POLICY, BASE_SECURITY_HEADERS, contentSecurityPolicy, useScriptHashes } from './http/security-headers.ts';
import { seedDemo, seedMunicipalitiesFrom } from './seed/seed.ts';
import { seedDemoCases } from './seed/demo-cases.ts';
import { seedDemoStaff } from './staff/demo.ts';
import { migrateToLatest, openStore, type Store } from './store/index.ts';
import { themeFileTokens } from './resident/theme-file.ts';

/** The built pages and routes (npm run build); their server modules are these very files. */
const ASTRO_ENTRY = new URL('../../dist/server/entry.mjs', import.meta.url);
const SCRIPT_HASHES = new URL('../../dist/csp-script-hashes.json', import.meta.url);

export interface App {
  config: Config;
  store: Store;
  handler: http.RequestListener;
  metrics: Metrics;
  /** the retention job (hourly) and the hand-off to case systems */
  jobs: { start(): void; stop(): Promise<void> };
  /** what the launcher prints: the municipalities seeded and the demo login */
  seeded: { municipalities: { slug: string; name: string }[]; demoStaff: { email: string; password: string } | null };
  /** the launcher tells the app where it listens (PUBLIC_URL's default, e.g. with PORT=0) */
  listening(base: string): void;
  /** stops the jobs and closes the store */
  close(): Promise<void>;
}

export class NoBuildError extends Error {}

export async function createApp(config: Config): Promise<App> {
  if (!existsSync(ASTRO_ENTRY) || !existsSync(SCRIPT_HASHES)) throw new NoBuildError('No build found: run `npm run build` first (npm start does this for you).');
  // the inline scripts this build may run, fixed when it was built (src/cli/csp-hashes.ts)
  const hashes = (JSON.parse(readFileSync(SCRIPT_HASHES, 'utf8')) as { scripts: { hash: string }[] }).scripts.map((s) => s.hash);
  useScriptHashes(hashes);
  // The municipality's design tokens are checked now: a bad file stops the start, not a page later.
  const theme = themeFileTokens(config.themeCssFile);
  if (theme) log.info({ action: 'theme.load', object: 'THEME_CSS_FILE', result: theme.size, origin: 'process' }, 'design tokens loaded');
  if (config.securityContacts.length === 0) {
    log.warn({ action: 'config.check', object: 'SECURITY_CONTACT', result: 'missing', origin: 'process' }, '/.well-known/security.txt answers 404 until SECURITY_CONTACT is set');
  }

  const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
  await migrateToLatest(store);
  const demo = config.seedDemo ? await seedDemo(store) : [];
  const demoStaff = config.demoStaff ? await seedDemoStaff(store, demo.map((m) => m.slug)) : null;
  if (config.seedDemo && !config.demoStaff) {
    log.warn({ action: 'seed.demo_staff', object: 'SEED_DEMO', result: 'refused', origin: 'process' }, 'demo municipalities seeded, but no demo staff account: PUBLIC_URL is https (a real deployment), where an account without a second factor is not made');
  }
  // a month of made-up cases, once, so the reach page and the case list show something on a fresh start
  for (const [i, m] of demo.entries()) {
    const made = await seedDemoCases(store, { municipality: m.slug, count: i === 0 ? 60 : 30, seed: 20261201 + i, plan: m.contactPlan });
    if (made.cases > 0) log.info({ action: 'seed.demo_cases', object: m.slug, result: made.cases, origin: 'process' }, `${made.cases} made-up demo cases with ${made.attempts} contact attempts`);
  }
  // After the demo ones, so a deployment's file with a demo slug replaces the demo.
  const configured = config.municipalitiesDir ? await seedMunicipalitiesFrom(store, config.municipalitiesDir) : [];
  for (const warning of connectorWarnings(await allMunicipalities(store))) {
    log.warn({ action: 'config.check', object: 'connector', result: 'secret missing', origin: 'process' }, warning);
  }
  // every page and route from now on uses this configuration and this one store
  useRuntime(config, store);
  const metrics = createMetrics(store);

  const { handler: astro } = (await import(ASTRO_ENTRY.href)) as { handler: PagesHandler };
  const layer = await createHttp({ metrics, metricsToken: config.metricsToken, clientDir: CLIENT_DIR, pages: withCompression(astro) });
  const handler = withRequestLog(layer.handler, metrics, contentSecurityPolicy(hashes));

  let outbox: OutboxWorker | undefined;
  let stopRetention: (() => void) | undefined;
  let stopPlan: (() => void) | undefined;
  let stopSms: (() => void) | undefined;
  const texting = (await allMunicipalities(store)).filter((m) => planSendsSms(m.contactPlan)).map((m) => m.slug);
  const notify = config.notify ? new Notify(config.notify) : null;
  if (texting.length > 0 && !notify) {
    // no SMS without NotifyNL (issue 15): said once at start, and on the staff screen
    log.warn({ action: 'config.check', object: 'NOTIFY_API_KEY', result: 'missing', origin: 'process' }, `contact plan of ${texting.join(', ')}: SMS steps wait, no NotifyNL key is set; calls, visits and letters go ahead`);
  } else if (notify) {
    log.info({ action: 'config.check', object: 'NOTIFY_API_KEY', result: 'set', origin: 'process' }, `SMS of the contact plan go through NotifyNL at ${config.notify?.baseUrl ?? ''}`);
    if (!config.notifyCallbackToken) log.warn({ action: 'config.check', object: 'NOTIFY_CALLBACK_TOKEN', result: 'missing', origin: 'process' }, 'no NOTIFY_CALLBACK_TOKEN: delivery receipts and STOP replies from NotifyNL are not taken in');
  }
  const jobs = {
    start() {
      // Hands new call-back requests to the municipalities' case systems (src/server/connector/).
      outbox ??= startOutboxWorker(store, config.outbox);
      stopRetention ??= scheduleRetention(store);
      stopPlan ??= scheduleContactPlan(store, { smsConfigured: notify !== null });
      if (notify) stopSms ??= scheduleSmsSender(store, notify, { publicUrl });
    },
    async stop() {
      stopRetention?.();
      stopRetention = undefined;
      stopPlan?.();
      stopPlan = undefined;
      stopSms?.();
      stopSms = undefined;
      // Hand-offs in flight are aborted and become due again (the receiver deduplicates on the delivery id).
      await outbox?.stop();
      outbox = undefined;
    },
  };
  return {
    config,
    store,
    handler,
    metrics,
    jobs,
    seeded: {
      municipalities: [...demo.filter((d) => !configured.some((c) => c.slug === d.slug)), ...configured],
      demoStaff,
    },
    listening: setListeningAddress,
    async close() {
      await jobs.stop();
      await store.close();
    },
  };
}

/**
 * One log line per request, written when the answer is sent, and the security headers for
 * answers the middleware never sees. The middleware fills in the route pattern and actor;
 * requests it never sees (static files) keep "static".
 */
function withRequestLog(inner: http.RequestListener, metrics: Metrics, pagePolicy: string): http.RequestListener {
  // Answered requests are counted and logged together, once per turn of the event loop: the
  // answer is out already, and one loop over many is cheaper than the same work between requests.
  const answered: { method: string | undefined; line: RequestLine }[] = [];
  const record = () => {
    for (const { method, line } of answered) {
      metrics.observeRequest(method, line.object, line.result, line.durationMs / 1000);
      logRequest(line);
    }
    answered.length = 0;
  };
  return (req, res) => {
    const started = performance.now();
    const current: RequestRecord = { object: 'static', actor: 'anonymous' };
    // The same for every answer; pages and routes overwrite these with their own.
    for (const [name, value] of BASE_HEADERS) res.setHeader(name, value);
    // JSON needs no sources at all; pages and their files get the page policy (a page may make it stricter)
    res.setHeader('Content-Security-Policy', req.url?.startsWith('/api/') ? API_POLICY : pagePolicy);
    res.once('close', () => {
      const line: RequestLine = {
        action: 'http.request',
        object: current.object,
        result: res.statusCode,
        origin: 'http',
        actor: current.actor,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      };
      if (!res.writableFinished) line.aborted = true;
      if (answered.push({ method: req.method, line }) === 1) setImmediate(record);
    });
    requestRecords.run(current, () => inner(req, res));
  };
}

const BASE_HEADERS = Object.entries(BASE_SECURITY_HEADERS);

/**
 * Brotli or gzip for pages: on a weak connection the first screen must fit in one round trip.
 * Static files are compressed once, at build (src/cli/precompress.ts); API answers are small JSON.
 */
function withCompression(pages: PagesHandler): PagesHandler {
  const compress = compression({
    threshold: 1024,
    brotli: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } },
  }) as unknown as (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;
  return (req, res, next, locals) => compress(req, res, () => pages(req, res, next, locals));
}
