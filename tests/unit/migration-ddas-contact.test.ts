// SPDX-License-Identifier: EUPL-1.2
// Migration 007: attempts and outcomes made before DDAS become DDAS attempts and end results,
// on SQLite always and PostgreSQL when TEST_DATABASE_URL is set.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTo, migrateToLatest, type Store } from '../../src/server/store/index.ts';
import { END_RESULT_OF_OLD } from '../../src/server/store/migrations/007-ddas-contact.ts';
import { END_RESULTS } from '../../src/lib/ddas.ts';
import { contractTargets, noticeSkipped, seedMunicipalities, type Opened } from '../support/temp-stores.ts';

noticeSkipped('migration 007 tests');

for (const { name, open, skip } of contractTargets('hg-mig7-')) {
  describe.skipIf(skip)(`migration 007-ddas-contact: ${name}`, () => {
    let opened: Opened | undefined;
    let store: Store;
    const caseId = randomUUID();
    const requests = { arranged: randomUUID(), open: randomUUID(), notReached: randomUUID() };

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await migrateTo(store, '006-batch-rows');
      await seedMunicipalities(store, 'Vlissingen');
      // the tables as they were before 007 (contact_attempts), not today's types
      const db = store.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
      await db.insertInto('cases').values({ id: caseId, municipality: 'vlissingen', case_ref: 'Z-1', status: 'open', demo: 0, created_at: '2026-10-01T08:00:00.000Z', updated_at: '2026-10-01T08:00:00.000Z' }).execute();
      const request = (id: string, status: string, outcome: string | null, withCase: boolean) => ({
        id, reference: id.slice(0, 9), municipality: 'vlissingen', channel: 'sms', language: 'nl', topic: 'rent', urgent: 0, answers: '{}', phone: '+31612345678', consent: 1,
        status, outcome, created_at: '2026-10-02T08:00:00.000Z', updated_at: '2026-10-05T08:00:00.000Z', closed_at: status === 'closed' ? '2026-10-05T08:00:00.000Z' : null, case_id: withCase ? caseId : null,
      });
      await db.insertInto('callback_requests').values([request(requests.arranged, 'closed', 'payment_arrangement', true), request(requests.open, 'in_progress', null, false), request(requests.notReached, 'closed', 'not_reached', false)]).execute();
      const attempt = (requestId: string, kind: string, result: string, at: string) => ({ id: randomUUID(), request_id: requestId, staff_id: 'staff-1', kind, result, note_code: null, created_at: at });
      await db
        .insertInto('contact_attempts')
        .values([
          // 06:30 UTC is 07:30 in Amsterdam (winter): morning; 16:30 UTC is 17:30 (afternoon); 17:30 UTC is 18:30 (evening)
          attempt(requests.arranged, 'whatsapp', 'not_reached', '2026-11-03T06:30:00.000Z'),
          attempt(requests.arranged, 'phone', 'reached', '2026-11-03T16:30:00.000Z'),
          attempt(requests.open, 'walk_in', 'voicemail', '2026-11-03T17:30:00.000Z'),
          // 23:30 UTC on the 3rd is 00:30 on the 4th in Amsterdam: the 4th, in the morning
          attempt(requests.notReached, 'sms', 'not_reached', '2026-11-03T23:30:00.000Z'),
        ])
        .execute();
      await migrateToLatest(store);
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('maps every old outcome onto one of the 15 end results', () => {
      for (const result of Object.values(END_RESULT_OF_OLD)) expect(END_RESULTS).toContain(result);
      expect(Object.keys(END_RESULT_OF_OLD).sort()).toEqual(['no_help_wanted', 'not_reached', 'payment_arrangement', 'quick_fix', 'referred_debt_help', 'referred_other_help']);
    });

    it('moves every attempt into DDAS terms: kind, reached, the date and part of the day on the Amsterdam clock, and the case of its request', async () => {
      const rows = await store.db.selectFrom('case_attempts').select(['request_id', 'case_id', 'municipality', 'kind', 'reached', 'result', 'on_date', 'day_part', 'staff_id']).orderBy('created_at').execute();
      expect(rows.map((r) => ({ ...r, reached: Number(r.reached) }))).toEqual([
        { request_id: requests.arranged, case_id: caseId, municipality: 'vlissingen', kind: 'sms_whatsapp', reached: 0, result: 'not_reached', on_date: '2026-11-03', day_part: 'morning', staff_id: 'staff-1' },
        { request_id: requests.arranged, case_id: caseId, municipality: 'vlissingen', kind: 'phone', reached: 1, result: 'reached', on_date: '2026-11-03', day_part: 'afternoon', staff_id: 'staff-1' },
        { request_id: requests.open, case_id: null, municipality: 'vlissingen', kind: 'other', reached: 0, result: 'voicemail', on_date: '2026-11-03', day_part: 'evening', staff_id: 'staff-1' },
        { request_id: requests.notReached, case_id: null, municipality: 'vlissingen', kind: 'sms_whatsapp', reached: 0, result: 'not_reached', on_date: '2026-11-04', day_part: 'morning', staff_id: 'staff-1' },
      ]);
      const old = await sql<{ n: number }>`select count(*) as n from ${sql.table('case_attempts')}`.execute(store.db);
      expect(Number(old.rows[0]?.n)).toBe(4);
      await expect(sql`select * from contact_attempts`.execute(store.db)).rejects.toThrow();
    });

    it('gives closed requests their end result, and closes their case with it', async () => {
      const outcomes = await store.db.selectFrom('callback_requests').select(['id', 'outcome']).execute();
      expect(Object.fromEntries(outcomes.map((r) => [r.id, r.outcome]))).toEqual({
        [requests.arranged]: 'advice_quick_fix',
        [requests.open]: null,
        [requests.notReached]: 'never_reached',
      });
      expect(await store.db.selectFrom('cases').select(['status', 'end_result', 'closed_at']).where('id', '=', caseId).executeTakeFirst()).toEqual({
        status: 'closed',
        end_result: 'advice_quick_fix',
        closed_at: '2026-10-05T08:00:00.000Z',
      });
    });
  });
}
