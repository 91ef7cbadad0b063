// SPDX-License-Identifier: EUPL-1.2
/**
 * A batch's mobile number and language on the case, on SQLite always and PostgreSQL when
 * TEST_DATABASE_URL is set: stored in E.164, no "link sent by SMS" attempt for a case the plan's
 * SMS will reach, the number gone when the case closes and at retention.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLAN } from '../../src/lib/contact-plan.ts';
import { parseConfig } from '../../src/server/config.ts';
import {
  batchOptionsFor,
  createInviteBatch,
  parseInviteCsv,
  type BatchOptions,
} from '../../src/server/invitations/batch.ts';
import { runRetention } from '../../src/server/jobs/retention.ts';
import { forgetCachedMunicipalities } from '../../src/server/municipalities.ts';
import { useRuntime } from '../../src/server/runtime.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';
import { closeCase } from '../../src/server/store/cases.ts';
import { migrateToLatest, type Store } from '../../src/server/store/index.ts';
import { upsertMunicipality } from '../../src/server/store/municipalities.ts';
import type { InviteChannel } from '../../src/server/store/schema.ts';
import { contractTargets, noticeSkipped, type Opened } from '../support/temp-stores.ts';

noticeSkipped('batch contact tests');

const DAY = 86_400_000;
let serial = 0;
/** A case reference no other test uses. */
const ref = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++serial}`;

for (const { name, open, skip } of contractTargets('hg-batch-contact-')) {
  describe.skipIf(skip)(`a batch's mobile number and language: ${name}`, () => {
    let opened: Opened | undefined;
    let store: Store;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await migrateToLatest(store);
      useRuntime(parseConfig({ PUBLIC_URL: 'https://hulp.example.nl' }), store);
      forgetCachedMunicipalities();
      const [voorbeeld, zeedorp] = demoMunicipalities();
      await upsertMunicipality(store, {
        slug: 'smsstad',
        name: 'Smsstad',
        config: { ...voorbeeld, slug: 'smsstad', name: 'Smsstad', contactPlan: DEFAULT_PLAN },
      });
      const lettersOnly = { ...DEFAULT_PLAN, steps: DEFAULT_PLAN.steps.filter((s) => s.action !== 'sms') };
      await upsertMunicipality(store, {
        slug: 'briefdorp',
        name: 'Briefdorp',
        config: { ...zeedorp, slug: 'briefdorp', name: 'Briefdorp', contactPlan: lettersOnly },
      });
      await upsertMunicipality(store, {
        slug: 'zonderplan',
        name: 'Zonder plan',
        config: { ...zeedorp, slug: 'zonderplan', name: 'Zonder plan', contactPlan: undefined },
      });
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    async function batch(
      csv: string,
      channel: InviteChannel = 'sms',
      municipality = 'smsstad',
      options: BatchOptions = { smsPhone: true },
    ) {
      const parsed = parseInviteCsv(csv, options);
      if (!parsed.ok) throw new Error(parsed.detail);
      const outcome = await createInviteBatch(store, {
        municipality,
        createdBy: 'test',
        channel,
        rows: parsed.rows,
        requestBody: csv,
      });
      if (outcome.kind !== 'created') throw new Error(`expected a batch, got ${outcome.kind}`);
      return outcome;
    }
    const caseOf = (caseRef: string) =>
      store.db
        .selectFrom('cases')
        .select(['id', 'sms_phone', 'language', 'status'])
        .where('municipality', '=', 'smsstad')
        .where('case_ref', '=', caseRef)
        .executeTakeFirstOrThrow();
    const attempts = async (caseRef: string) =>
      (
        await store.db
          .selectFrom('case_attempts')
          .select('kind')
          .where('case_id', '=', (await caseOf(caseRef)).id)
          .execute()
      ).map((a) => a.kind);

    it("takes the number only where the municipality's plan sends SMS", async () => {
      expect(await batchOptionsFor(store, 'smsstad')).toEqual({ smsPhone: true });
      expect(await batchOptionsFor(store, 'briefdorp')).toEqual({ smsPhone: false });
      expect(await batchOptionsFor(store, 'zonderplan')).toEqual({ smsPhone: false });
    });

    it('stores the number in E.164 and the language on the case; a household without one keeps none', async () => {
      const [a, b] = [ref('A'), ref('B')];
      const outcome = await batch(
        `case_ref;signaal_id;signaalpartner;telefoon;taal\n${a};${a}-S1;Energie;06 12 34 56 78;TR\n${a};${a}-S2;Huur;;\n${b};${b}-S1;Water;;\n`,
      );
      expect(outcome.counts).toMatchObject({ made: 3, refused: 0, newLinks: 2 });
      expect(await caseOf(a)).toMatchObject({ sms_phone: '+31612345678', language: 'tr', status: 'open' });
      expect(await caseOf(b)).toMatchObject({ sms_phone: null, language: null });
    });

    it('records "link sent by SMS" for a household without a number, not for one the plan will text', async () => {
      const [withPhone, without] = [ref('P'), ref('N')];
      await batch(
        `case_ref,signaal_id,signaalpartner,telefoon\n${withPhone},${withPhone}-S,Huur,+31 6 2345 6789\n${without},${without}-S,Huur,\n`,
      );
      expect(await attempts(withPhone)).toEqual([]);
      expect(await attempts(without)).toEqual(['sms_whatsapp']);
      // a letter batch: the letter goes out whatever the number, so its attempt is recorded
      const letter = ref('L');
      await batch(`case_ref,telefoon\n${letter},0634567890\n`, 'letter-qr');
      expect(await caseOf(letter)).toMatchObject({ sms_phone: '+31634567890' });
      expect(await attempts(letter)).toEqual(['letter']);
    });

    it('keeps no number for a row refused for it, and records that household as before', async () => {
      const caseRef = ref('R');
      const outcome = await batch(`case_ref,telefoon\n${caseRef},020 123 4567\n${caseRef},\n`);
      expect(outcome.counts).toMatchObject({ made: 1, refused: 1 });
      expect(outcome.refused[0]?.reason).toContain('vast nummer');
      expect(outcome.refused[0]?.reason).not.toContain('123');
      expect(await caseOf(caseRef)).toMatchObject({ sms_phone: null });
      expect(await attempts(caseRef)).toEqual(['sms_whatsapp']);
    });

    it('takes no number for a resident who said STOP, nor for a closed case', async () => {
      const stopped = ref('STOP');
      await batch(`case_ref\n${stopped}\n`);
      await store.db
        .updateTable('cases')
        .set({ sms_stopped_at: new Date().toISOString() })
        .where('id', '=', (await caseOf(stopped)).id)
        .execute();
      await batch(`case_ref,telefoon\n${stopped},0612345678\n`);
      expect(await caseOf(stopped)).toMatchObject({ sms_phone: null });
      expect(await attempts(stopped)).toEqual(['sms_whatsapp', 'sms_whatsapp']);
    });

    it('clears the number when the case is closed, and keeps the language', async () => {
      const caseRef = ref('C');
      await batch(`case_ref,telefoon,taal\n${caseRef},0612345678,en\n`);
      const { id } = await caseOf(caseRef);
      expect((await caseOf(caseRef)).sms_phone).toBe('+31612345678');
      expect(
        await closeCase(store, {
          id,
          municipalities: ['smsstad'],
          endResult: 'advice_quick_fix',
          staffId: 'staff-1',
          at: new Date().toISOString(),
        }),
      ).toBe('ok');
      expect(await caseOf(caseRef)).toMatchObject({ status: 'closed', sms_phone: null, language: 'en' });
      // a later batch does not bring it back to a closed case
      await batch(`case_ref,telefoon\n${caseRef},0612345678\n`);
      expect((await caseOf(caseRef)).sms_phone).toBeNull();
    });

    it('has the retention job clear the number of an old case, with or without signals', async () => {
      const [signalled, bare, young] = [ref('OLD'), ref('BARE'), ref('NEW')];
      await batch(
        `case_ref,signaal_id,signaalpartner,telefoon\n${signalled},${signalled}-S,Huur,0612345678\n${bare},,,0623456789\n${young},,,0634567890\n`,
      );
      const longAgo = new Date(Date.now() - 400 * DAY).toISOString();
      for (const old of [signalled, bare])
        await store.db
          .updateTable('cases')
          .set({ created_at: longAgo })
          .where('id', '=', (await caseOf(old)).id)
          .execute();
      const report = await runRetention(store, new Date());
      expect(report.signalsCleared.smsstad).toBeGreaterThanOrEqual(2);
      expect((await caseOf(signalled)).sms_phone).toBeNull();
      expect((await caseOf(bare)).sms_phone).toBeNull();
      // a case still within the period keeps its number
      expect((await caseOf(young)).sms_phone).toBe('+31634567890');
    });
  });
}
