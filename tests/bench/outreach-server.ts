// SPDX-License-Identifier: EUPL-1.2
/**
 * The app for `npm run bench -- outreach`, as `npm start` builds it, plus a municipality with a
 * batch of cases whose contact plan sends SMS. On "go" (a line on stdin) it plans them all at
 * once and then runs the SMS sender once a second for SEND_SECONDS, on a clock that starts on a
 * Monday at 10:00 in Amsterdam (so the bench measures sending on any day it runs), while the
 * parent loads the resident pages. Its findings go to stderr as one `RESULT {json}` line.
 */
import http from 'node:http';
import { createInterface } from 'node:readline';
import { DEFAULT_PLAN } from '../../src/lib/contact-plan.ts';
import { createApp } from '../../src/server/app.ts';
import { parseConfig } from '../../src/server/config.ts';
import { drawInvites } from '../../src/server/invitations/invites.ts';
import { runContactPlan } from '../../src/server/jobs/contact-plan.ts';
import { runSmsSender } from '../../src/server/jobs/sms-sender.ts';
import { forgetCachedMunicipalities } from '../../src/server/municipalities.ts';
import { Notify } from '../../src/server/notify/client.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';
import { recordCase } from '../../src/server/store/cases.ts';
import { insertInvites } from '../../src/server/store/invites.ts';
import { upsertMunicipality } from '../../src/server/store/municipalities.ts';

const CASES = Number(process.env.OUTREACH_CASES ?? 5000);
const SEND_SECONDS = Number(process.env.SEND_SECONDS ?? 20);
const PER_MINUTE = Number(process.env.PER_MINUTE ?? 600);
// Monday 7 December 2026, 10:00 in Amsterdam
const CLOCK_START = Date.parse('2026-12-07T09:00:00.000Z');

const config = parseConfig(process.env);
if (!config.notify) throw new Error('outreach bench: NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID must point at the fake Notify');
const app = await createApp(config);
const store = app.store;

const [voorbeeld] = demoMunicipalities();
await upsertMunicipality(store, {
  slug: 'bereikstad',
  name: 'Gemeente Bereikstad',
  config: { ...voorbeeld, slug: 'bereikstad', name: 'Gemeente Bereikstad', contactPlan: { ...DEFAULT_PLAN, sending: { from: '09:00', to: '20:00', perMinute: PER_MINUTE } } },
});
forgetCachedMunicipalities();

// the batch: every case a signal, a mobile number and a working personal link, all of the same morning
const createdAt = new Date(CLOCK_START - 3_600_000).toISOString();
const seeded = performance.now();
for (let i = 0; i < CASES; i += 250) {
  const refs = Array.from({ length: Math.min(250, CASES - i) }, (_, j) => `BATCH-${i + j}`);
  const ids: string[] = [];
  for (const ref of refs) {
    const made = await recordCase(store, { municipality: 'bereikstad', caseRef: ref, signals: [{ ref: `${ref}-S`, partner: 'energy' }], now: createdAt });
    if (made.kind !== 'recorded') throw new Error('case not recorded');
    ids.push(made.caseId);
  }
  const invites = drawInvites(
    refs.map((caseRef) => ({ caseRef, topic: null, row: null })),
    { municipality: 'bereikstad', channel: 'sms', batchId: null, now: createdAt, ttlDays: 90 },
  ).map((invite, j) => ({ ...invite, caseId: ids[j] ?? null }));
  await insertInvites(store, invites);
  for (const [j, id] of ids.entries()) await store.db.updateTable('cases').set({ sms_phone: `+3161${String(i + j).padStart(7, '0')}`, language: j % 3 === 0 ? 'tr' : 'nl' }).where('id', '=', id).execute();
}
const seedSeconds = (performance.now() - seeded) / 1000;

const server = http.createServer(app.handler);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  app.listening(base);
  console.error(`READY ${base}`);
});

const notify = new Notify({ ...config.notify, timeoutMs: 10_000 });
const clock = (started: number) => () => new Date(CLOCK_START + (performance.now() - started));

createInterface({ input: process.stdin }).once('line', () => {
  void (async () => {
    const started = performance.now();
    const now = clock(started);
    const plan = await runContactPlan(store, now(), { smsConfigured: true });
    const planMs = performance.now() - started;
    const planned = plan.added.bereikstad?.open ?? 0;
    let queued = 0;
    let sent = 0;
    let runs = 0;
    let firstRunMs = 0;
    const sendStarted = performance.now();
    while (performance.now() - sendStarted < SEND_SECONDS * 1000) {
      const t = performance.now();
      const r = await runSmsSender(store, notify, { publicUrl: () => 'https://hulp.bereikstad.nl', perRun: 5000 }, now);
      if (runs === 0) firstRunMs = performance.now() - t;
      runs++;
      queued += r.queued;
      sent += r.sent;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (performance.now() - t))));
    }
    const sendSeconds = (performance.now() - sendStarted) / 1000;
    const rows = await store.db.selectFrom('sms_outbox').select(['not_before', 'status']).where('municipality', '=', 'bereikstad').orderBy('not_before').execute();
    const last = rows.at(-1)?.not_before ?? null;
    const gaps = rows.slice(1).map((r, i) => Date.parse(r.not_before) - Date.parse(rows[i]?.not_before ?? ''));
    const result = {
      cases: CASES,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      planMs: Math.round(planMs),
      planned,
      casesPerSecond: Math.round(CASES / (planMs / 1000)),
      queued,
      firstSenderRunMs: Math.round(firstRunMs),
      sent,
      sendSeconds: Math.round(sendSeconds * 10) / 10,
      perMinuteAllowed: PER_MINUTE,
      perMinuteSent: Math.round((sent / sendSeconds) * 60),
      smallestGapMs: gaps.length ? Math.min(...gaps) : null,
      lastPlannedFor: last,
    };
    console.error(`RESULT ${JSON.stringify(result)}`);
  })().catch((error: unknown) => {
    console.error(`FAILED ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  });
});

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void app.close().finally(() => process.exit(0));
});
