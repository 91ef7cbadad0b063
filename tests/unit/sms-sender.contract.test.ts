// SPDX-License-Identifier: EUPL-1.2
// The SMS sender against the store (SQLite always, PostgreSQL when TEST_DATABASE_URL is set) and a
// local Notify that checks the JWT, fails on purpose and refuses numbers: nothing lost, nothing doubled.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, type ContactPlan } from '../../src/lib/contact-plan.ts';
import { isGsm7 } from '../../src/lib/gsm7.ts';
import { drawInvites } from '../../src/server/invitations/invites.ts';
import { runContactPlan } from '../../src/server/jobs/contact-plan.ts';
import { runSmsSender, type SmsSenderOptions } from '../../src/server/jobs/sms-sender.ts';
import { forgetCachedMunicipalities } from '../../src/server/municipalities.ts';
import { Notify } from '../../src/server/notify/client.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';
import { recordCase } from '../../src/server/store/cases.ts';
import { migrateToLatest, type Store } from '../../src/server/store/index.ts';
import { insertInvites } from '../../src/server/store/invites.ts';
import { upsertMunicipality } from '../../src/server/store/municipalities.ts';
import { startFakeNotify, type FakeNotify } from '../support/fake-notify.ts';
import { contractTargets, noticeSkipped, type Opened } from '../support/temp-stores.ts';

noticeSkipped('SMS sender tests');

const TEMPLATE = '5a1c2d3e-0000-4000-8000-000000000001';
// Monday 2 November 2026, 09:00 in Amsterdam
const T0 = Date.parse('2026-11-02T08:00:00.000Z');
const at = (days: number, hours = 0, seconds = 0) => new Date(T0 + days * 86_400_000 + hours * 3_600_000 + seconds * 1000);
const PLAN: ContactPlan = { ...DEFAULT_PLAN, sending: { from: '09:00', to: '20:00', perMinute: 60 } };
const OPTIONS: SmsSenderOptions = { publicUrl: () => 'https://hulp.example.nl', backoffBaseMs: 60_000, strandedAfterMs: 120_000 };

for (const { name, open, skip } of contractTargets('hg-sms-')) {
  describe.skipIf(skip)(`the SMS sender: ${name}`, () => {
    let opened: Opened | undefined;
    let store: Store;
    let fake: FakeNotify;
    let notify: Notify;
    let municipality = '';

    /** A case of a signal on `day`, with a number and a working personal link unless told otherwise. */
    const newCase = async (input: { phone?: string | null; link?: boolean; language?: string; day?: number } = {}) => {
      const ref = `S-${randomUUID().slice(0, 8)}`;
      const now = at(input.day ?? 0).toISOString();
      const made = await recordCase(store, { municipality, caseRef: ref, signals: [{ ref: `${ref}-S`, partner: 'water' }], now });
      if (made.kind !== 'recorded') throw new Error('not recorded');
      await store.db.updateTable('cases').set({ sms_phone: input.phone === undefined ? `+316${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` : input.phone, language: input.language ?? 'nl' }).where('id', '=', made.caseId).execute();
      if (input.link !== false) {
        const [invite] = drawInvites([{ caseRef: ref, topic: null, row: null }], { municipality, channel: 'sms', batchId: null, now, ttlDays: 90 });
        if (!invite) throw new Error('no invite');
        await insertInvites(store, [{ ...invite, caseId: made.caseId }]);
      }
      return made.caseId;
    };
    const outbox = (caseId: string) => store.db.selectFrom('sms_outbox').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
    const tasks = async (caseId: string) =>
      (await store.db.selectFrom('plan_tasks').select(['step_id', 'status', 'reason']).where('case_id', '=', caseId).orderBy('due_at').orderBy('step_id').execute()).map((t) => `${t.step_id}:${t.status}${t.reason ? `(${t.reason})` : ''}`);
    const sentTo = (phone: string) => fake.sent.filter((s) => s.phone === phone);
    const send = (now: Date, options: Partial<SmsSenderOptions> = {}, client: Notify = notify) => runSmsSender(store, client, { ...OPTIONS, ...options }, () => now);

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await migrateToLatest(store);
      fake = await startFakeNotify();
      notify = new Notify({ baseUrl: fake.url, apiKey: fake.apiKey, templateId: TEMPLATE });
    });
    beforeEach(async () => {
      // each test its own municipality, so one test's queue does not hold up another's
      municipality = `sms${randomUUID().slice(0, 6)}`;
      const [voorbeeld] = demoMunicipalities();
      await upsertMunicipality(store, { slug: municipality, name: 'Gemeente Smsstad', config: { ...voorbeeld, slug: municipality, name: 'Gemeente Smsstad', contactPlan: PLAN } });
      forgetCachedMunicipalities();
    });
    afterAll(async () => {
      await fake.close();
      await opened?.cleanup();
    });

    it('sends the due SMS once, with the link and check word, then forgets number and text and records a DDAS attempt', async () => {
      const c = await newCase({ language: 'tr' });
      const phone = (await store.db.selectFrom('cases').select('sms_phone').where('id', '=', c).executeTakeFirstOrThrow()).sms_phone ?? '';
      await runContactPlan(store, at(0, 1), { smsConfigured: true });
      const report = await send(at(0, 1));
      expect(report).toMatchObject({ ran: true, queued: 1, sent: 1 });
      const [sms] = sentTo(phone);
      const text = String(sms?.personalisation.bericht);
      const invite = await store.db.selectFrom('invites').select(['code', 'check_word']).where('case_id', '=', c).executeTakeFirstOrThrow();
      expect(text).toContain(`https://hulp.example.nl/s/${invite.code}`);
      expect(text).toContain(invite.check_word.toUpperCase());
      expect(text.length).toBeLessThanOrEqual(160);
      expect(isGsm7(text)).toBe(true);
      // Turkish wording for a Turkish resident: not the Dutch one
      expect(text).not.toContain('Gratis');
      const [row] = await outbox(c);
      expect(row).toMatchObject({ status: 'sent', phone: null, body: null, notify_id: sms?.id, language: 'tr', attempts: 1 });
      expect(sms?.reference).toBe(row?.id);
      const attempts = await store.db.selectFrom('case_attempts').select(['id', 'kind', 'reached', 'staff_id']).where('case_id', '=', c).execute();
      expect(attempts).toEqual([{ id: row?.attempt_id, kind: 'sms_whatsapp', reached: 0, staff_id: null }]);
      expect(await tasks(c)).toEqual(['sms:done']);
      // another run sends nothing again
      expect(await send(at(0, 2))).toMatchObject({ queued: 0, sent: 0 });
      expect(sentTo(phone)).toHaveLength(1);
    });

    it('sends no SMS at night or on a Sunday, and no faster than the municipality’s rate', async () => {
      // Saturday 7 November, 21:30 in Amsterdam: after the window; Sunday is no sending day
      const late = await newCase({ day: 5 });
      await runContactPlan(store, at(5, 12.5), { smsConfigured: true });
      // (the counts are of every municipality: earlier tests' reminders fall due too)
      expect(await send(at(5, 12.5))).toMatchObject({ sent: 0 });
      expect(await outbox(late)).toMatchObject([{ status: 'pending', not_before: '2026-11-09T08:00:00.000Z' }]);
      expect(await send(at(6, 3))).toMatchObject({ sent: 0 });
      await send(at(7, 0, 1));
      expect(await outbox(late)).toMatchObject([{ status: 'sent' }]);
      // the resident opened the link: no reminder among the next ones
      await store.db.updateTable('invites').set({ first_opened_at: at(7, 1).toISOString() }).where('case_id', '=', late).execute();

      // five at once, 60 a minute: one a second
      const five = await Promise.all([1, 2, 3, 4, 5].map(() => newCase({ day: 8 })));
      await runContactPlan(store, at(8, 1), { smsConfigured: true });
      const sentOfFive = async () => (await Promise.all(five.map(outbox))).filter(([r]) => r?.status === 'sent').length;
      await send(at(8, 1));
      expect(await sentOfFive()).toBe(1);
      const moments = (await Promise.all(five.map(async (c) => (await outbox(c))[0]?.not_before ?? ''))).sort();
      expect(moments.map((m) => (Date.parse(m) - Date.parse(moments[0] ?? '')) / 1000)).toEqual([0, 1, 2, 3, 4]);
      await send(at(8, 1, 2.5));
      expect(await sentOfFive()).toBe(3);
      await send(at(8, 1, 10));
      expect(await sentOfFive()).toBe(5);
    });

    it('tries again after an outage or the rate limit, with a growing wait, and fails a step for good after its last try', async () => {
      const c = await newCase();
      const phone = (await store.db.selectFrom('cases').select('sms_phone').where('id', '=', c).executeTakeFirstOrThrow()).sms_phone ?? '';
      await runContactPlan(store, at(0, 1), { smsConfigured: true });
      fake.failNext(2, 503);
      expect(await send(at(0, 1))).toMatchObject({ queued: 1, sent: 0, retried: 1 });
      const [first] = await outbox(c);
      expect(first).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('503') });
      expect(first?.not_before).toBe(new Date(at(0, 1).getTime() + 60_000).toISOString());
      // not before the wait is over
      expect(await send(at(0, 1, 30))).toMatchObject({ sent: 0, retried: 0 });
      expect(await send(at(0, 1, 61))).toMatchObject({ retried: 1 });
      expect((await outbox(c))[0]?.not_before).toBe(new Date(at(0, 1, 61).getTime() + 120_000).toISOString());
      expect(await send(at(0, 1, 200))).toMatchObject({ sent: 1 });
      expect(sentTo(phone)).toHaveLength(1);

      const never = await newCase();
      await runContactPlan(store, at(0, 2), { smsConfigured: true });
      fake.failNext(3, 500);
      for (const s of [0, 61, 200]) await send(at(0, 2, s), { maxAttempts: 3 });
      expect(await outbox(never)).toMatchObject([{ status: 'failed', failure: 'technical-failure', phone: null, body: null, attempts: 3 }]);
      expect(await tasks(never)).toEqual(['sms:skipped(sendFailed)']);
    });

    it('after a crash mid-send, asks Notify by reference: a sent SMS is recorded, not sent twice; one Notify never got goes again', async () => {
      const [had, lost] = [await newCase(), await newCase()];
      await runContactPlan(store, at(0, 1), { smsConfigured: true });
      // a run queued and claimed both, sent one, and the instance died before recording anything
      const claimed = await send(at(0, 1), { perRun: 0 });
      expect(claimed.queued).toBe(2);
      await store.db.updateTable('sms_outbox').set({ status: 'sending', claimed_by: 'dead', claimed_at: at(0, 1).toISOString(), attempts: 1 }).where('case_id', 'in', [had, lost]).execute();
      const [hadRow] = await outbox(had);
      const [lostRow] = await outbox(lost);
      const delivered = await notify.sendSms(hadRow?.phone ?? '', hadRow?.body ?? '', hadRow?.id ?? '');
      expect(delivered.kind).toBe('sent');
      // too soon to call it stranded
      expect(await send(at(0, 1, 60))).toMatchObject({ recovered: 0, sent: 0 });
      const report = await send(at(0, 1, 180));
      expect(report).toMatchObject({ recovered: 1, sent: 1 });
      expect(fake.sent.filter((s) => s.reference === hadRow?.id)).toHaveLength(1);
      expect(fake.sent.filter((s) => s.reference === lostRow?.id)).toHaveLength(1);
      expect(await outbox(had)).toMatchObject([{ status: 'sent', notify_id: delivered.kind === 'sent' ? delivered.notifyId : '', phone: null }]);
      expect(await tasks(had)).toEqual(['sms:done']);
      expect(await tasks(lost)).toEqual(['sms:done']);
    });

    it('a number Notify refuses stops the case’s SMS and moves it to a call the same day', async () => {
      const c = await newCase({ phone: '+31600000001' });
      fake.invalidNumbers.add('+31600000001');
      await runContactPlan(store, at(0, 1), { smsConfigured: true });
      expect(await send(at(0, 1))).toMatchObject({ rejected: 1, sent: 0 });
      expect(await outbox(c)).toMatchObject([{ status: 'failed', failure: 'rejected', phone: null, body: null }]);
      const row = await store.db.selectFrom('cases').select(['sms_phone', 'number_failed_at']).where('id', '=', c).executeTakeFirstOrThrow();
      expect(row).toEqual({ sms_phone: null, number_failed_at: at(0, 1).toISOString() });
      await runContactPlan(store, at(0, 2), { smsConfigured: true });
      expect(await tasks(c)).toEqual(['failed-number-call:open', 'sms:skipped(numberFailed)']);
      // the reminder on day 3 is skipped, not sent
      await runContactPlan(store, at(3, 1), { smsConfigured: true });
      expect(await tasks(c)).toContain('reminder:skipped(numberFailed)');
    });

    it('cancels a queued SMS once the resident said STOP, and skips what has no number or no working link', async () => {
      const stop = await newCase({ day: 5 });
      const noLink = await newCase({ link: false });
      await runContactPlan(store, at(5, 12.5), { smsConfigured: true });
      await send(at(5, 12.5));
      expect(await outbox(stop)).toMatchObject([{ status: 'pending' }]);
      expect(await outbox(noLink)).toEqual([]);
      expect(await tasks(noLink)).toContain('sms:skipped(noLink)');
      await store.db.updateTable('cases').set({ sms_stopped_at: at(6).toISOString() }).where('id', '=', stop).execute();
      expect((await send(at(7, 0, 1))).cancelled).toBeGreaterThanOrEqual(1);
      expect(await outbox(stop)).toMatchObject([{ status: 'cancelled', failure: 'smsStopped', phone: null, body: null }]);
    });

    it('with a key Notify refuses, sends nothing, counts no try and waits for the fix; SMS that waited for a key go once there is one', async () => {
      const c = await newCase();
      await runContactPlan(store, at(0, 1), { smsConfigured: false });
      expect(await tasks(c)).toEqual(['sms:waiting(noNotifyKey)']);
      const wrong = new Notify({ baseUrl: fake.url, apiKey: fake.apiKey.replace(/.{12}$/, '000000000000'), templateId: TEMPLATE });
      const before = fake.sent.length;
      expect(await send(at(0, 2), {}, wrong)).toMatchObject({ released: 1, queued: 1, sent: 0, misconfigured: 'misconfigured' });
      expect(fake.sent.length).toBe(before);
      expect(await outbox(c)).toMatchObject([{ status: 'pending', attempts: 0, last_error: 'misconfigured' }]);
      expect(await send(at(0, 2, 60))).toMatchObject({ sent: 0 });
      expect(await send(at(0, 2, 901))).toMatchObject({ sent: 1 });
    });

    it('of two runs at the same time, one sends', async () => {
      const cases = await Promise.all([1, 2, 3].map(() => newCase()));
      await runContactPlan(store, at(0, 1), { smsConfigured: true });
      const [x, y] = await Promise.all([send(at(0, 1, 5)), send(at(0, 1, 5))]);
      expect([x.ran, y.ran].filter(Boolean).length).toBeGreaterThanOrEqual(1);
      await send(at(0, 1, 30));
      for (const c of cases) expect(await outbox(c)).toMatchObject([{ status: 'sent' }]);
      const references = fake.sent.map((s) => s.reference);
      expect(new Set(references).size).toBe(references.length);
    });
  });
}
