// SPDX-License-Identifier: EUPL-1.2
/**
 * The retention job with a fake clock (`now` is passed in): what it deletes and when, the audit
 * row per batch, and that of two runs at once only one does the work (SQLite: two connections
 * on one file, as two instances would have; PostgreSQL when TEST_DATABASE_URL is set).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthsBefore, runRetention, RETENTION_LOCK } from '../../src/server/jobs/retention.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';
import { createCallbackRequest } from '../../src/server/store/callbacks.ts';
import { recordCase } from '../../src/server/store/cases.ts';
import { insertAttempt } from '../../src/server/store/attempts.ts';
import type { Store } from '../../src/server/store/index.ts';
import { acquireJobLock, jobLockHolder } from '../../src/server/store/job-locks.ts';
import { upsertMunicipality } from '../../src/server/store/municipalities.ts';
import { getStaffSession, insertStaffSession, insertStaffUser } from '../../src/server/store/staff.ts';
import { noticeSkipped, pairTargets, type Pair } from '../support/temp-stores.ts';

noticeSkipped('retention tests');

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A request of `municipality` that came in at `createdAt` and, if given, was closed at `closedAt`. */
async function request(store: Store, municipality: string, createdAt: string, closedAt?: string): Promise<string> {
  const result = await createCallbackRequest(
    store,
    { municipality, channel: 'web', language: 'nl', topic: 'rent', urgent: false, answers: {}, phone: '+31612345678', firstName: 'Sam', consent: true },
    { requestHash: randomUUID() },
  );
  if (!result.created) throw new Error('expected a new request');
  await store.db
    .updateTable('callback_requests')
    .set({ created_at: createdAt, ...(closedAt ? { status: 'closed', closed_at: closedAt, outcome: 'advice_quick_fix' } : {}) })
    .where('id', '=', result.body.id)
    .execute();
  return result.body.id;
}

async function personal(store: Store, id: string) {
  return store.db.selectFrom('callback_requests').select(['phone', 'first_name', 'personal_data_deleted_at', 'answers']).where('id', '=', id).executeTakeFirstOrThrow();
}

async function retentionAudit(store: Store) {
  return store.db.selectFrom('audit_log').selectAll().where('action', '=', 'retention').orderBy('at').orderBy('id').execute();
}

describe('monthsBefore', () => {
  it('goes back whole calendar months, clamping the day', () => {
    expect(monthsBefore(new Date('2026-08-15T10:00:00Z'), 6).toISOString()).toBe('2026-02-15T10:00:00.000Z');
    expect(monthsBefore(new Date('2026-03-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(monthsBefore(new Date('2026-01-10T00:00:00Z'), 3).toISOString()).toBe('2025-10-10T00:00:00.000Z');
  });
});

function contract(name: string, open: () => Promise<Pair>, skip = false): void {
  describe.skipIf(skip)(`retention: ${name}`, () => {
    let pair: Pair;
    let store: Store;

    beforeAll(async () => {
      pair = await open();
      store = pair.a;
      // The real demo settings: voorbeeld keeps 6 months, zeedorp 3.
      for (const m of demoMunicipalities()) await upsertMunicipality(store, { slug: m.slug, name: m.name, config: m });
      await upsertMunicipality(store, { slug: 'kapot', name: 'Kapot', config: { slug: 'kapot' } });
    });

    afterAll(async () => {
      await pair?.cleanup();
    });

    it('deletes phone and first name once the municipality\'s period has passed since closing, or since arrival if never closed', async () => {
      const t0 = Date.parse('2027-01-01T12:00:00.000Z');
      const openOld = await request(store, 'voorbeeld', iso(t0));
      const closedLate = await request(store, 'voorbeeld', iso(t0), iso(t0 + 60 * DAY));
      const zeedorpOld = await request(store, 'zeedorp', iso(t0));

      // 4 months on: only zeedorp (3 months) is due.
      const r1 = await runRetention(store, new Date(t0 + 4 * 31 * DAY));
      expect(r1).toEqual({ ran: true, deleted: { zeedorp: 1 }, signalsCleared: {}, skipped: ['kapot'], sessionsDeleted: 0 });
      expect(await personal(store, zeedorpOld)).toMatchObject({ phone: null, first_name: null, personal_data_deleted_at: iso(t0 + 4 * 31 * DAY) });
      expect((await personal(store, openOld)).phone).toBe('+31612345678');

      // 6 months and a bit after arrival: the open voorbeeld request is due; the one closed later is not.
      const r2 = await runRetention(store, new Date(t0 + 185 * DAY));
      expect(r2.deleted).toEqual({ voorbeeld: 1 });
      expect(await personal(store, openOld)).toMatchObject({ phone: null, first_name: null });
      expect((await personal(store, closedLate)).first_name).toBe('Sam');
      // The answer codes stay, for counting.
      expect((await personal(store, openOld)).answers).toBe('{}');

      // 6 months after closing: that one too. A later run finds nothing more.
      const r3 = await runRetention(store, new Date(t0 + 60 * DAY + 185 * DAY));
      expect(r3.deleted).toEqual({ voorbeeld: 1 });
      expect((await runRetention(store, new Date(t0 + 400 * DAY))).deleted).toEqual({});
      expect(await jobLockHolder(store, RETENTION_LOCK)).toBeUndefined();
    });

    it("deletes a case's signal amounts and dates after the same period, and keeps what is counted", async () => {
      const t0 = Date.parse('2028-03-01T12:00:00.000Z');
      const recorded = await recordCase(store, {
        municipality: 'zeedorp',
        caseRef: `RET-${randomUUID().slice(0, 6)}`,
        signals: [{ ref: `RET-${randomUUID()}`, partner: 'rent', amount: 900, arisenOn: '2028-01-10', signalledOn: '2028-02-28', crisis: true }],
        now: iso(t0),
      });
      if (recorded.kind !== 'recorded') throw new Error('not recorded');
      await insertAttempt(store.db, { id: randomUUID(), municipality: 'zeedorp', caseId: recorded.caseId, requestId: null, staffId: 's', kind: 'phone', reached: true, at: iso(t0 + DAY) });
      const signal = () => store.db.selectFrom('signals').select(['partner', 'amount', 'arisen_on', 'signalled_on', 'crisis', 'data_deleted_at']).where('case_id', '=', recorded.caseId).executeTakeFirstOrThrow();
      // two months on: zeedorp keeps three, nothing goes
      await runRetention(store, new Date(t0 + 60 * DAY));
      expect((await signal()).amount).toBe(900);
      const due = await runRetention(store, new Date(t0 + 100 * DAY));
      expect(due.signalsCleared).toEqual({ zeedorp: 1 });
      expect(await signal()).toEqual({ partner: 'rent', amount: null, arisen_on: null, signalled_on: null, crisis: 1, data_deleted_at: iso(t0 + 100 * DAY) });
      // the counts stay: the attempt and the case are still there
      expect(await store.db.selectFrom('case_attempts').select('reached').where('case_id', '=', recorded.caseId).execute()).toEqual([{ reached: 1 }]);
      expect((await retentionAudit(store)).filter((r) => r.object_type === 'case' && r.object_id === recorded.caseId)).toHaveLength(1);
      expect((await runRetention(store, new Date(t0 + 200 * DAY))).signalsCleared).toEqual({});
    });

    it('writes one audit row per batch, as the system, from the job', async () => {
      const t0 = Date.parse('2030-01-01T12:00:00.000Z');
      const before = (await retentionAudit(store)).length;
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await request(store, 'zeedorp', iso(t0 + i * 1000)));
      const report = await runRetention(store, new Date(t0 + 200 * DAY), { batchSize: 2 });
      expect(report.deleted).toEqual({ zeedorp: 5 });
      const rows = (await retentionAudit(store)).slice(before);
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(row).toMatchObject({ actor: 'system', origin: 'job', municipality: 'zeedorp', object_type: 'callback_request' });
      // All three carry the run's `now`, so their order among themselves is not defined.
      expect(rows.map((r) => r.result.match(/from (\d+)/)?.[1]).sort()).toEqual(['1', '2', '2']);
    });

    it('of two runs at the same time (two connections), exactly one does the work', async () => {
      const t0 = Date.parse('2031-01-01T12:00:00.000Z');
      for (let i = 0; i < 6; i++) await request(store, 'voorbeeld', iso(t0 + i));
      const now = new Date(t0 + 365 * DAY);
      const [x, y] = await Promise.all([runRetention(pair.a, now, { batchSize: 1 }), runRetention(pair.b, now, { batchSize: 1 })]);
      expect([x.ran, y.ran].filter(Boolean)).toHaveLength(1);
      const worker = x.ran ? x : y;
      const idle = x.ran ? y : x;
      expect(worker.deleted).toEqual({ voorbeeld: 6 });
      expect(idle).toEqual({ ran: false, deleted: {}, signalsCleared: {}, skipped: [], sessionsDeleted: 0 });
    });

    it('clears staff sessions that ended and were left behind, and keeps live ones', async () => {
      const staffId = randomUUID();
      await insertStaffUser(store, {
        id: staffId,
        email: `${staffId}@test.example`,
        name: 'S',
        passwordHash: 'x',
        role: 'caseworker',
        createdAt: iso(Date.now()),
        municipalities: ['voorbeeld'],
      });
      const now = Date.parse('2033-06-01T12:00:00.000Z');
      const session = (id: string, lastSeen: number, expires: number) => ({
        id,
        staffId,
        createdAt: iso(now - DAY),
        lastSeenAt: iso(lastSeen),
        expiresAt: iso(expires),
        csrfToken: 'c',
        secondFactorOk: true,
        userAgentHash: null,
      });
      await insertStaffSession(store, session('idle', now - 31 * 60_000, now + DAY));
      await insertStaffSession(store, session('expired', now - 60_000, now - 1));
      await insertStaffSession(store, session('live', now - 60_000, now + DAY));
      const report = await runRetention(store, new Date(now), { staffIdleMinutes: 30 });
      expect(report.sessionsDeleted).toBe(2);
      expect(await getStaffSession(store, 'live')).toBeDefined();
      expect(await getStaffSession(store, 'idle')).toBeUndefined();
    });

    it('waits for a lock held by another instance, and takes over one whose holder died (expired)', async () => {
      const t0 = Date.parse('2032-01-01T12:00:00.000Z');
      const id = await request(store, 'zeedorp', iso(t0));
      const now = t0 + 200 * DAY;
      expect(await acquireJobLock(store, { name: RETENTION_LOCK, holder: 'crashed', now: iso(now), expiresAt: iso(now + 15 * 60_000) })).toBe(true);
      expect((await runRetention(store, new Date(now + 60_000))).ran).toBe(false);
      expect((await personal(store, id)).phone).toBe('+31612345678');
      const later = await runRetention(store, new Date(now + 16 * 60_000));
      expect(later.ran).toBe(true);
      expect((await personal(store, id)).phone).toBeNull();
    });
  });
}

for (const { name, open, skip } of pairTargets('hg-retention-')) contract(name, open, skip);
