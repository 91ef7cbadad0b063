// SPDX-License-Identifier: EUPL-1.2
// The demo month's first SMS: where the plan has wording variants, the reach page has something to compare.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { variantOf } from '../../src/lib/plan-sms.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';
import { seedDemoCases } from '../../src/server/seed/demo-cases.ts';
import { migrateToLatest, type Store } from '../../src/server/store/index.ts';
import { upsertMunicipality } from '../../src/server/store/municipalities.ts';
import { variantResults } from '../../src/server/store/variant-results.ts';
import { contractTargets, noticeSkipped, type Opened } from '../support/temp-stores.ts';

noticeSkipped('demo SMS tests');

for (const { name, open, skip } of contractTargets('hg-demo-sms-')) {
  describe.skipIf(skip)(`the demo month's SMS: ${name}`, () => {
    let opened: Opened | undefined;
    let store: Store;
    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await migrateToLatest(store);
      for (const m of demoMunicipalities()) await upsertMunicipality(store, { slug: m.slug, name: m.name, config: m });
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('gives the SMS cases of a plan with variants their drawn wording, delivered, with some links opened; none for a municipality without a plan', async () => {
      const [voorbeeld, zeedorp] = demoMunicipalities();
      const plan = voorbeeld?.contactPlan;
      if (!plan) throw new Error('the demo Voorbeeld has a plan');
      const today = new Date('2026-11-30T16:00:00Z');
      await seedDemoCases(store, { municipality: 'voorbeeld', count: 60, seed: 3, today, plan });
      await seedDemoCases(store, { municipality: 'zeedorp', count: 20, seed: 4, today, plan: zeedorp?.contactPlan });
      const portalSms = await store.db.selectFrom('case_attempts').select('case_id').where('municipality', '=', 'voorbeeld').where('kind', '=', 'sms_whatsapp').where('staff_id', 'is', null).where('reached', '=', 0).execute();
      const tasks = await store.db
        .selectFrom('plan_tasks')
        .innerJoin('cases', 'cases.id', 'plan_tasks.case_id')
        .select(['cases.case_ref as case_ref', 'step_id', 'variant', 'plan_tasks.status as status'])
        .where('plan_tasks.municipality', '=', 'voorbeeld')
        .execute();
      expect(tasks.length).toBe(portalSms.length);
      // drawn from the case reference, so the demo month is the same on SQLite and PostgreSQL
      for (const t of tasks) expect(t).toEqual({ case_ref: t.case_ref, step_id: 'sms', status: 'done', variant: variantOf(plan.seed, t.case_ref, 'sms', ['invite', 'invitePersonal']) });
      expect(await store.db.selectFrom('plan_tasks').select('id').where('municipality', '=', 'zeedorp').execute()).toEqual([]);
      const [step] = await variantResults(store, 'voorbeeld', { from: '2026-11-01', to: '2026-11-30' });
      expect(step?.step).toBe('sms');
      const sent = (step?.variants ?? []).reduce((n, v) => n + v.sent, 0);
      expect(sent).toBe(tasks.length);
      const openedLinks = (step?.variants ?? []).reduce((n, v) => n + v.opened, 0);
      expect(openedLinks).toBeGreaterThan(0);
      expect(openedLinks).toBeLessThan(sent);
    });
  });
}
