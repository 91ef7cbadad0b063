// SPDX-License-Identifier: EUPL-1.2
/**
 * The retention job: a request's phone number and first name are deleted once the
 * municipality's retention period (retentionMonths) has passed since it was closed, or since it
 * came in when it was never closed. The answer codes stay for counting; they name no one. A
 * DDAS case's signals lose their amounts and dates after the same period, and the case the
 * resident's mobile number; IDs, partners, attempts and end results stay, so the counts (and the
 * deliveries) stay.
 * One instance at a time: a lock row in the database, with an expiry in case a holder dies.
 * The same run clears staff sessions that ended but were never used again.
 */
import { randomUUID } from 'node:crypto';
import { parseMunicipality } from '../../lib/municipality.ts';
import { log } from '../log.ts';
import { audit } from '../staff/audit.ts';
import type { Store } from '../store/index.ts';
import { acquireJobLock, releaseJobLock } from '../store/job-locks.ts';
import { listMunicipalities } from '../store/municipalities.ts';
import { clearPersonalData } from '../store/staff-requests.ts';
import { clearSignalData } from '../store/cases.ts';
import { deleteEndedStaffSessions } from '../store/staff.ts';
import { repeat } from './repeat.ts';
import { appConfig } from '../runtime.ts';

export const RETENTION_LOCK = 'retention';
/** Far longer than a run takes; a crashed run blocks the next ones for no longer than this. */
const LOCK_MS = 15 * 60_000;
export const RETENTION_BATCH = 500;

export interface RetentionReport {
  /** false when another run held the lock: this one did nothing */
  ran: boolean;
  /** requests whose personal data was deleted, per municipality */
  deleted: Record<string, number>;
  /** municipalities skipped because their settings are not valid */
  skipped: string[];
  /** DDAS cases whose signals' amounts and dates were deleted, per municipality */
  signalsCleared: Record<string, number>;
  /** staff sessions that had ended (idle or past 12 hours) but were never used again */
  sessionsDeleted: number;
}

/** `now` minus whole calendar months (UTC), the day clamped to the month's length (31 March − 1 = 28/29 February). */
export function monthsBefore(now: Date, months: number): Date {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const d = new Date(now);
  d.setUTCFullYear(year, month, Math.min(now.getUTCDate(), lastDay));
  return d;
}

/** What one kind of retention clears, as its audit rows name it. */
interface Cleared {
  objectType: string;
  /** "500 requests" as the audit row's object when a batch holds more than one */
  plural: string;
  /** what was deleted, for the audit row's result */
  what: string;
}
const REQUESTS: Cleared = { objectType: 'callback_request', plural: 'requests', what: 'phone and first name' };
const CASES: Cleared = { objectType: 'case', plural: 'cases', what: 'signal amounts and dates, mobile number' };

type ClearBatch = (store: Store, input: { municipality: string; cutoff: string; at: string; limit: number }) => Promise<string[]>;

/**
 * Calls `clear` batch after batch until one comes back short, with an audit row per batch.
 * Returns how many were cleared in all.
 */
async function clearInBatches(
  batch: { store: Store; municipality: string; cutoff: string; at: string; now: Date; batchSize: number },
  clear: ClearBatch,
  cleared: Cleared,
): Promise<number> {
  const { store, municipality, cutoff, at, now, batchSize } = batch;
  let total = 0;
  for (;;) {
    const ids = await clear(store, { municipality, cutoff, at, limit: batchSize });
    if (ids.length === 0) break;
    total += ids.length;
    await audit(store, {
      actor: 'system',
      action: 'retention',
      objectType: cleared.objectType,
      objectId: ids.length === 1 ? (ids[0] ?? null) : `${ids.length} ${cleared.plural}`,
      municipality,
      result: `ok: ${cleared.what} deleted from ${ids.length} (before ${cutoff})`,
      origin: 'job',
      at: now,
    });
    if (ids.length < batchSize) break;
  }
  return total;
}

export async function runRetention(
  store: Store,
  now: Date = new Date(),
  options: { batchSize?: number; staffIdleMinutes?: number } = {},
): Promise<RetentionReport> {
  const holder = randomUUID();
  const at = now.toISOString();
  const report: RetentionReport = { ran: false, deleted: {}, signalsCleared: {}, skipped: [], sessionsDeleted: 0 };
  const got = await acquireJobLock(store, {
    name: RETENTION_LOCK,
    holder,
    now: at,
    expiresAt: new Date(now.getTime() + LOCK_MS).toISOString(),
  });
  if (!got) return report;
  report.ran = true;
  try {
    const batchSize = options.batchSize ?? RETENTION_BATCH;
    for (const record of await listMunicipalities(store)) {
      let retentionMonths: number;
      try {
        retentionMonths = parseMunicipality(record.config, `the database (municipality ${record.slug})`).retentionMonths;
      } catch (error) {
        // One broken municipality must not stop the others' deletions.
        log.error({ action: 'retention.run', origin: 'job', err: error }, 'retention step failed');
        report.skipped.push(record.slug);
        continue;
      }
      const cutoff = monthsBefore(now, retentionMonths).toISOString();
      const batch = { store, municipality: record.slug, cutoff, at, now, batchSize };
      const total = await clearInBatches(batch, clearPersonalData, REQUESTS);
      if (total > 0) report.deleted[record.slug] = total;
      // the signals of a case go with the same period: amounts and dates deleted, the counts stay
      const cases = await clearInBatches(batch, clearSignalData, CASES);
      if (cases > 0) report.signalsCleared[record.slug] = cases;
    }
    // Sessions end when used after their time; these were simply left behind.
    const idleMs = (options.staffIdleMinutes ?? appConfig().staffIdleMinutes) * 60_000;
    report.sessionsDeleted = await deleteEndedStaffSessions(store, at, new Date(now.getTime() - idleMs).toISOString());
  } finally {
    await releaseJobLock(store, RETENTION_LOCK, holder);
  }
  return report;
}

/**
 * Runs the job now and then every hour inside the server process. The timers are unref'd, so
 * they never keep the process alive; a failed run is logged and the next one tries again.
 */
export function scheduleRetention(store: Store, everyMs = 60 * 60_000, firstAfterMs = 60_000): () => void {
  const run = () => {
    runRetention(store).then(
      (r) => {
        const n = Object.values(r.deleted).reduce((a, b) => a + b, 0);
        if (n > 0) log.info({ action: 'retention.run', origin: 'job', result: n }, 'deleted personal data of expired requests');
      },
      (error: unknown) => log.error({ action: 'retention.run', origin: 'job', err: error }, 'retention run failed'),
    );
  };
  return repeat(run, everyMs, firstAfterMs);
}
