// SPDX-License-Identifier: EUPL-1.2
/**
 * The contact plan's SMS through NotifyNL. Every run, one instance at a time (a lock row):
 * 1. the plan's due SMS steps become outbox rows, each with its text (src/lib/plan-sms.ts) and
 *    its moment: inside the municipality's hours, never on a Sunday or a public holiday, no
 *    faster than its rate (src/lib/sms-window.ts), after the SMS it has queued already;
 * 2. SMS a cut-off run left `sending` are looked up at Notify by their reference: found, they
 *    count as sent; not found, they go again;
 * 3. the due rows are sent, each recorded as it goes (src/server/store/sms.ts).
 * Without a key nothing runs here: the plan job marks the SMS steps `waiting`.
 */
import { randomUUID } from 'node:crypto';
import { planSendsSms } from '../../lib/contact-plan.ts';
import { SmsTextError } from '../../lib/invite-sms.ts';
import { planSmsText, smsLanguage, SMS_VARIANTS, type SmsVariant } from '../../lib/plan-sms.ts';
import { sendSchedule, SMS_TIME_ZONE } from '../../lib/sms-window.ts';
import { inviteLink } from '../invitations/invites.ts';
import { log } from '../log.ts';
import { allMunicipalities } from '../municipalities.ts';
import type { Notify } from '../notify/client.ts';
import { breather, type Store } from '../store/index.ts';
import { acquireJobLock, releaseJobLock } from '../store/job-locks.ts';
import {
  cancelUnwantedSms,
  claimDueSms,
  lastPlannedSms,
  markSmsRejected,
  markSmsRetry,
  markSmsSent,
  queueSms,
  releaseStrandedSms,
  releaseWaitingSms,
  skipSmsSteps,
  smsStepsToQueue,
  strandedSms,
  unclaimSms,
  type ClaimedSms,
  type NewSms,
} from '../store/sms.ts';
import { repeat } from './repeat.ts';

export const SMS_LOCK = 'sms-sender';

export interface SmsSenderOptions {
  /** where residents reach the portal: the personal link in the text (asked each run: it may be the listening address) */
  publicUrl: () => string;
  /** SMS sent side by side */
  parallel?: number;
  /** SMS sent per run at most (a run also stops at the lock's end) */
  perRun?: number;
  /** steps queued per municipality per run at most */
  queuePerRun?: number;
  /** a row still `sending` after this long was cut off */
  strandedAfterMs?: number;
  /** tries before an SMS fails for good */
  maxAttempts?: number;
  /** the first retry's wait; it doubles each try, up to an hour */
  backoffBaseMs?: number;
}

export interface SmsReport {
  ran: boolean;
  released: number;
  queued: number;
  skipped: number;
  cancelled: number;
  sent: number;
  rejected: number;
  retried: number;
  recovered: number;
  /** the key or template was refused: nothing more was tried */
  misconfigured: string | null;
}

const LOCK_MS = 5 * 60_000;
const HOUR = 3_600_000;

export async function runSmsSender(store: Store, notify: Notify, options: SmsSenderOptions, now: () => Date = () => new Date()): Promise<SmsReport> {
  const report: SmsReport = { ran: false, released: 0, queued: 0, skipped: 0, cancelled: 0, sent: 0, rejected: 0, retried: 0, recovered: 0, misconfigured: null };
  const holder = randomUUID();
  const started = now();
  const lockEnd = started.getTime() + LOCK_MS;
  if (!(await acquireJobLock(store, { name: SMS_LOCK, holder, now: started.toISOString(), expiresAt: new Date(lockEnd).toISOString() }))) return report;
  report.ran = true;
  try {
    const at = started.toISOString();
    report.released = await releaseWaitingSms(store, at);
    report.cancelled = await cancelUnwantedSms(store, at);
    await queueDue(store, options, started, report);
    await recoverStranded(store, notify, options, started, report);
    const perRun = options.perRun ?? 500;
    // leave a minute of the lock for the last answers
    while (report.sent + report.rejected + report.retried < perRun && now().getTime() < lockEnd - 60_000 && !report.misconfigured) {
      const batch = await claimDueSms(store, { now: now().toISOString(), limit: Math.min(50, perRun - report.sent - report.rejected - report.retried), claimer: holder });
      if (batch.length === 0) break;
      const parallel = options.parallel ?? 4;
      for (let i = 0; i < batch.length; i += parallel) {
        const slice = batch.slice(i, i + parallel);
        const outcomes = await Promise.all(slice.map((sms) => sendOne(store, notify, sms, options, now)));
        for (const o of outcomes) if (o !== 'misconfigured') report[o]++;
        if (outcomes.includes('misconfigured')) {
          // these and the rest of the batch wait for the configuration to be fixed; the error was logged
          report.misconfigured = 'misconfigured';
          const waiting = [...slice.filter((_, j) => outcomes[j] === 'misconfigured'), ...batch.slice(i + parallel)];
          await unclaimSms(store, waiting.map((s) => s.id), new Date(now().getTime() + 15 * 60_000).toISOString(), 'misconfigured');
          break;
        }
      }
    }
  } finally {
    await releaseJobLock(store, SMS_LOCK, holder);
  }
  return report;
}

/** The plan's due SMS steps of every municipality that sends SMS, made into outbox rows at their moments. */
async function queueDue(store: Store, options: SmsSenderOptions, started: Date, report: SmsReport): Promise<void> {
  const at = started.toISOString();
  for (const m of await allMunicipalities(store)) {
    if (!m.contactPlan || !planSendsSms(m.contactPlan)) continue;
    const steps = await smsStepsToQueue(store, m.slug, at, options.queuePerRun ?? 5000);
    if (steps.length === 0) continue;
    const skipped: { taskId: string; reason: string }[] = [];
    const ready: Omit<NewSms, 'notBefore'>[] = [];
    for (const [i, step] of steps.entries()) {
      if (i % 500 === 499) await breather();
      if (!step.phone) {
        skipped.push({ taskId: step.taskId, reason: 'noPhone' });
        continue;
      }
      if (!step.invite) {
        skipped.push({ taskId: step.taskId, reason: 'noLink' });
        continue;
      }
      const language = smsLanguage(step.language);
      const variant: SmsVariant = (SMS_VARIANTS as readonly string[]).includes(step.variant ?? '') ? (step.variant as SmsVariant) : 'invite';
      let body: string;
      try {
        body = planSmsText({ language, variant, municipalityName: m.name, link: inviteLink(options.publicUrl(), step.invite.code), checkWord: step.invite.checkWord });
      } catch (error) {
        if (!(error instanceof SmsTextError)) throw error;
        log.error({ action: 'sms.queue', object: m.slug, result: 'textTooLong', origin: 'job' }, error.message);
        skipped.push({ taskId: step.taskId, reason: 'textTooLong' });
        continue;
      }
      ready.push({ id: randomUUID(), municipality: m.slug, caseId: step.caseId, taskId: step.taskId, phone: step.phone, body, language, variant: step.variant, createdAt: at });
    }
    // after what this municipality queued already: the rate holds across runs and batches
    const last = await lastPlannedSms(store, m.slug);
    const gap = 60_000 / m.contactPlan.sending.perMinute;
    const from = last === null ? started : new Date(Math.max(started.getTime(), Date.parse(last) + gap));
    const moments = sendSchedule(ready.length, from, m.contactPlan.sending, SMS_TIME_ZONE);
    report.queued += await queueSms(store, ready.map((r, i) => ({ ...r, notBefore: (moments[i] as Date).toISOString() })));
    await skipSmsSteps(store, skipped, at);
    report.skipped += skipped.length;
  }
}

/** SMS a run took and never finished: Notify is asked under the row's reference before anything goes again. */
async function recoverStranded(store: Store, notify: Notify, options: SmsSenderOptions, started: Date, report: SmsReport): Promise<void> {
  const before = new Date(started.getTime() - (options.strandedAfterMs ?? 2 * 60_000)).toISOString();
  for (const sms of await strandedSms(store, before, 200)) {
    let found: string | null;
    try {
      found = await notify.findByReference(sms.id);
    } catch (error) {
      // Notify cannot say: the row stays `sending` and is asked about again next run, never sent blind
      log.warn({ action: 'sms.recover', object: sms.municipality, result: 'unknown', origin: 'job', err: error }, 'could not ask NotifyNL about an SMS cut off mid-send');
      return;
    }
    if (found) {
      if (await markSmsSent(store, sms, found, started.toISOString())) report.recovered++;
    } else {
      await releaseStrandedSms(store, sms.id, started.toISOString());
    }
  }
}

async function sendOne(store: Store, notify: Notify, sms: ClaimedSms, options: SmsSenderOptions, now: () => Date): Promise<'sent' | 'rejected' | 'retried' | 'misconfigured'> {
  const result = await notify.sendSms(sms.phone, sms.body, sms.id);
  const at = now().toISOString();
  switch (result.kind) {
    case 'sent':
      await markSmsSent(store, sms, result.notifyId, at);
      return 'sent';
    case 'rejected':
      log.warn({ action: 'sms.send', object: sms.municipality, result: 'rejected', origin: 'job' }, `NotifyNL refused the number or text for good (${result.error}): the case goes to a call`);
      await markSmsRejected(store, sms, result.error, at);
      return 'rejected';
    case 'misconfigured':
      log.error({ action: 'sms.send', object: sms.municipality, result: 'misconfigured', origin: 'job' }, `NotifyNL refused the key or template (${result.error}): no SMS goes until NOTIFY_API_KEY / NOTIFY_SMS_TEMPLATE_ID are fixed`);
      return 'misconfigured';
    case 'retry': {
      const max = options.maxAttempts ?? 8;
      const wait = Math.min(HOUR, (options.backoffBaseMs ?? 60_000) * 2 ** (sms.attempts - 1));
      const next = sms.attempts >= max ? null : new Date(Date.parse(at) + wait).toISOString();
      log.warn({ action: 'sms.send', object: sms.municipality, result: next ? 'retry' : 'failed', origin: 'job' }, `SMS not sent (${result.error}), try ${sms.attempts} of ${max}`);
      await markSmsRetry(store, sms, result.error, next, at);
      return 'retried';
    }
  }
}

/** Every 15 seconds in the server (unref'd timers): the rate is kept by each row's moment, not by the timer. */
export function scheduleSmsSender(store: Store, notify: Notify, options: SmsSenderOptions, everyMs = 15_000, firstAfterMs = 20_000): () => void {
  const run = () =>
    runSmsSender(store, notify, options).then(
      (r) => {
        if (r.queued + r.sent + r.rejected + r.retried + r.recovered + r.cancelled > 0)
          log.info({ action: 'sms.run', origin: 'job', result: r.sent }, `SMS: ${r.queued} queued, ${r.sent} sent, ${r.rejected} refused, ${r.retried} to retry, ${r.recovered} recovered, ${r.cancelled} cancelled`);
      },
      (error: unknown) => log.error({ action: 'sms.run', origin: 'job', err: error }, 'SMS run failed'),
    );
  return repeat(run, everyMs, firstAfterMs);
}
