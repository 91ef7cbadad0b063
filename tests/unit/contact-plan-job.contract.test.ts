// SPDX-License-Identifier: EUPL-1.2
// The contact plan job against the store, on SQLite always and PostgreSQL when TEST_DATABASE_URL is set.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLAN } from '../../src/lib/contact-plan.ts';
import { variantOf } from '../../src/lib/plan-sms.ts';
import { runContactPlan } from '../../src/server/jobs/contact-plan.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';
import { insertAttempt } from '../../src/server/store/attempts.ts';
import { recordCase } from '../../src/server/store/cases.ts';
import { migrateToLatest, type Store } from '../../src/server/store/index.ts';
import { upsertMunicipality } from '../../src/server/store/municipalities.ts';
import { completeTask, openTasks } from '../../src/server/store/plan.ts';
import { contractTargets, noticeSkipped, type Opened } from '../support/temp-stores.ts';

noticeSkipped('contact plan job tests');

const T0 = Date.parse('2026-11-02T08:00:00.000Z');
const at = (days: number, hours = 0) => new Date(T0 + days * 86_400_000 + hours * 3_600_000);

for (const { name, open, skip } of contractTargets('hg-plan-')) {
  describe.skipIf(skip)(`the contact plan job: ${name}`, () => {
    let opened: Opened | undefined;
    let store: Store;
    const steps = async (caseId: string) =>
      (await store.db.selectFrom('plan_tasks').select(['step_id', 'action', 'status', 'reason', 'urgent', 'day_part']).where('case_id', '=', caseId).orderBy('due_at').orderBy('step_id').execute()).map(
        (r) => `${r.step_id}:${r.status}${r.reason ? `(${r.reason})` : ''}${Number(r.urgent) ? '!' : ''}${r.day_part ? `@${r.day_part}` : ''}`,
      );
    const newCase = async (municipality: string, crisis = false, smsPhone: string | null = '+31612345678') => {
      const ref = `P-${randomUUID().slice(0, 8)}`;
      const made = await recordCase(store, { municipality, caseRef: ref, signals: [{ ref: `${ref}-S`, partner: 'energy', crisis }], now: at(0).toISOString() });
      if (made.kind !== 'recorded') throw new Error('not recorded');
      await store.db.updateTable('cases').set({ sms_phone: smsPhone }).where('id', '=', made.caseId).execute();
      return made.caseId;
    };

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await migrateToLatest(store);
      const [voorbeeld, zeedorp] = demoMunicipalities();
      await upsertMunicipality(store, { slug: 'planstad', name: 'Planstad', config: { ...voorbeeld, slug: 'planstad', name: 'Planstad', contactPlan: DEFAULT_PLAN } });
      await upsertMunicipality(store, { slug: 'zonderplan', name: 'Zonder plan', config: { ...zeedorp, slug: 'zonderplan', name: 'Zonder plan', contactPlan: undefined } });
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('gives each case its due steps once: SMS waiting without NotifyNL, then letter, call and visit for staff', async () => {
      const c = await newCase('planstad');
      const other = await newCase('zonderplan');
      const noNumber = await newCase('planstad', false, null);
      await runContactPlan(store, at(0, 1));
      expect(await steps(c)).toEqual(['sms:waiting(noNotifyKey)']);
      // no mobile number with the signal: the plan's SMS are not the portal's to send
      expect(await steps(noNumber)).toEqual(['sms:skipped(noPhone)']);
      await runContactPlan(store, at(0, 2));
      expect(await steps(c)).toEqual(['sms:waiting(noNotifyKey)']);
      await runContactPlan(store, at(10, 1));
      expect(await steps(c)).toEqual(['sms:waiting(noNotifyKey)', 'reminder:waiting(noNotifyKey)', 'letter:open', 'call:open@evening']);
      // a municipality without a plan gets none
      expect(await steps(other)).toEqual([]);
      // each SMS step remembers the wording the case was drawn, from the plan's own list
      const variants = await store.db.selectFrom('plan_tasks').select(['step_id', 'variant']).where('case_id', '=', c).orderBy('step_id').execute();
      expect(Object.fromEntries(variants.map((v) => [v.step_id, v.variant]))).toEqual({
        call: null,
        letter: null,
        reminder: 'reminder',
        sms: variantOf(DEFAULT_PLAN.seed, c, 'sms', ['invite', 'invitePersonal']),
      });
      const tasks = await openTasks(store, ['planstad'], at(11).toISOString());
      expect(tasks.filter((t) => t.caseId === c).map((t) => [t.action, t.partners])).toEqual([['call', ['energy']]]);
      expect(await openTasks(store, ['zonderplan'], at(11).toISOString())).toEqual([]);
    });

    it('calls a crisis signal the same day, urgent first; a reached call ends the plan', async () => {
      const crisis = await newCase('planstad', true);
      await runContactPlan(store, at(0, 1));
      expect(await steps(crisis)).toEqual(['crisis-call:open!@evening']);
      const [first] = await openTasks(store, ['planstad'], at(1).toISOString());
      expect(first?.caseId).toBe(crisis);
      // another municipality's staff cannot record it
      expect(await completeTask(store, { id: first?.id ?? '', municipalities: ['zonderplan'], staffId: 's', result: 'reached', at: at(0, 10).toISOString() })).toEqual({ kind: 'notFound' });
      expect(await completeTask(store, { id: first?.id ?? '', municipalities: ['planstad'], staffId: 's', result: 'reached', at: at(0, 10).toISOString() })).toMatchObject({ kind: 'ok', caseId: crisis });
      const attempts = await store.db.selectFrom('case_attempts').select(['kind', 'reached', 'staff_id']).where('case_id', '=', crisis).execute();
      expect(attempts).toEqual([{ kind: 'phone', reached: 1, staff_id: 's' }]);
      await runContactPlan(store, at(20));
      expect(await steps(crisis)).toEqual(['crisis-call:done!@evening']);
      // done twice is not possible
      expect(await completeTask(store, { id: first?.id ?? '', municipalities: ['planstad'], staffId: 's', result: 'reached', at: at(0, 11).toISOString() })).toEqual({ kind: 'notFound' });
    });

    it('a wrong number stops the SMS steps and calls again at another part of the day; a reached resident loses the remaining steps', async () => {
      const c = await newCase('planstad');
      await runContactPlan(store, at(10, 1));
      const call = (await openTasks(store, ['planstad'], at(11).toISOString())).find((t) => t.caseId === c);
      await completeTask(store, { id: call?.id ?? '', municipalities: ['planstad'], staffId: 's', result: 'wrong_number', at: at(10, 11).toISOString() });
      await runContactPlan(store, at(10, 12));
      expect(await steps(c)).toContain('failed-number-call:open@morning');
      // the resident was reached some other way: the visit and the rest go
      await insertAttempt(store.db, { id: randomUUID(), municipality: 'planstad', caseId: c, requestId: null, staffId: 's', kind: 'other', reached: true, at: at(11).toISOString() });
      await runContactPlan(store, at(15));
      expect((await steps(c)).filter((s) => s.includes(':open') || s.includes(':waiting'))).toEqual([]);
      expect(await steps(c)).toContain('failed-number-call:skipped(planStopped)@morning');
    });

    it('of two runs at the same time, one does the work', async () => {
      await newCase('planstad');
      const [x, y] = await Promise.all([runContactPlan(store, at(30)), runContactPlan(store, at(30))]);
      expect([x.ran, y.ran].filter(Boolean).length).toBeGreaterThanOrEqual(1);
      const counts = await store.db.selectFrom('plan_tasks').select(['case_id', 'step_id', (eb) => eb.fn.countAll().as('n')]).groupBy(['case_id', 'step_id']).execute();
      for (const r of counts) expect(Number(r.n)).toBe(1);
    });
  });
}
