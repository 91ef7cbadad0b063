// SPDX-License-Identifier: EUPL-1.2
// Which SMS wording works, from a real store (SQLite always, PostgreSQL when TEST_DATABASE_URL is set):
// per SMS step and variant the cases sent and what they did, one municipality and period only; and
// what the reach page and its CSV make of it (the table's cells, the plain sentence).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLAN } from '../../src/lib/contact-plan.ts';
import type { VariantCounts } from '../../src/lib/variant-results.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';
import { migrateToLatest, type Store } from '../../src/server/store/index.ts';
import { upsertMunicipality } from '../../src/server/store/municipalities.ts';
import { variantResults } from '../../src/server/store/variant-results.ts';
import { reachCsv, reachReport } from '../../src/server/staff/reach.ts';
import { variantCell, variantSection, verdictSentence } from '../../src/server/staff/reach-variants.ts';
import { contractTargets, noticeSkipped, type Opened } from '../support/temp-stores.ts';
import { addVariantCases } from '../support/variant-cases.ts';

noticeSkipped('SMS wording results');

const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };
const counts = (variant: string, sent: number, opened: number, finished: number, callback: number, reached: number): VariantCounts => ({ variant, sent, opened, finished, callback, reached });

for (const { name, open, skip } of contractTargets('hg-variants-')) {
  describe.skipIf(skip)(`SMS wording results: ${name}`, () => {
    let opened: Opened | undefined;
    let store: Store;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await migrateToLatest(store);
      for (const m of demoMunicipalities()) await upsertMunicipality(store, { slug: m.slug, name: m.name, config: m });
      const voorbeeld = 'voorbeeld';
      // in the period; unsent SMS (pending, failed) whose cases did everything do not count
      await addVariantCases(store, { municipality: voorbeeld, variant: 'invite', sent: 10, opened: 4, finished: 3, callback: 2, reached: 1, unsent: 3, sentAt: '2026-11-10T09:00:00.000Z' });
      // the period's last and first moment
      await addVariantCases(store, { municipality: voorbeeld, variant: 'invitePersonal', sent: 8, opened: 6, finished: 5, callback: 4, reached: 3, sentAt: '2026-11-30T23:59:59.999Z' });
      await addVariantCases(store, { municipality: voorbeeld, step: 'reminder', variant: 'reminder', sent: 5, opened: 1, sentAt: '2026-11-01T00:00:00.000Z' });
      // just outside the period
      await addVariantCases(store, { municipality: voorbeeld, variant: 'invite', sent: 2, opened: 2, finished: 2, callback: 2, reached: 2, sentAt: '2026-12-01T00:00:00.000Z' });
      await addVariantCases(store, { municipality: voorbeeld, variant: 'invitePersonal', sent: 2, opened: 2, sentAt: '2026-10-31T23:59:59.999Z' });
      // an SMS step without a drawn wording is no comparison
      await addVariantCases(store, { municipality: voorbeeld, step: 'plain', variant: null, sent: 3, opened: 3, sentAt: '2026-11-10T09:00:00.000Z' });
      // another municipality, same step and wording, the same days
      await addVariantCases(store, { municipality: 'zeedorp', variant: 'invite', sent: 7, opened: 7, finished: 7, callback: 7, reached: 7, unsent: 1, sentAt: '2026-11-10T09:00:00.000Z' });
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('counts per step and variant the cases sent in the period, and of those who opened, finished, asked for a call-back and were reached', async () => {
      expect(await variantResults(store, 'voorbeeld', NOVEMBER)).toEqual([
        { step: 'reminder', variants: [counts('reminder', 5, 1, 0, 0, 0)] },
        { step: 'sms', variants: [counts('invite', 10, 4, 3, 2, 1), counts('invitePersonal', 8, 6, 5, 4, 3)] },
      ]);
    });

    it("counts another municipality's cases only for that municipality, and a period without SMS as nothing", async () => {
      expect(await variantResults(store, 'zeedorp', NOVEMBER)).toEqual([{ step: 'sms', variants: [counts('invite', 7, 7, 7, 7, 7)] }]);
      expect(await variantResults(store, 'voorbeeld', { from: '2026-12-02', to: '2026-12-31' })).toEqual([]);
      expect(await variantResults(store, 'voorbeeld', { from: '2026-12-01', to: '2026-12-01' })).toEqual([{ step: 'sms', variants: [counts('invite', 2, 2, 2, 2, 2)] }]);
    });

    it('gives the reach report the same counts, and its CSV one row per count', async () => {
      const report = await reachReport(store, 'voorbeeld', NOVEMBER);
      expect(report.variants).toEqual(await variantResults(store, 'voorbeeld', NOVEMBER));
      const csv = reachCsv(report).split('\r\n');
      expect(csv).toEqual(expect.arrayContaining(['variants.sms,invite,sent,10', 'variants.sms,invitePersonal,reached,3', 'variants.reminder,reminder,opened,1', 'variants.sms,invite,finished,3']));
      expect(csv.filter((l) => l.startsWith('variants.'))).toHaveLength(3 * 5);
    });
  });
}

describe('the reach page section', () => {
  const plan = DEFAULT_PLAN;
  const voorbeeldSms = [counts('invite', 10, 4, 3, 2, 1), counts('invitePersonal', 8, 6, 5, 4, 3)];

  it('shows count, share and 95 % interval per cell, a dash when nothing was sent', () => {
    expect(variantCell(4, 10)).toEqual({ share: '4 · 40%', interval: '(17–69%)' });
    expect(variantCell(30, 40)).toEqual({ share: '30 · 75%', interval: '(60–86%)' });
    expect(variantCell(0, 5)).toEqual({ share: '0 · 0%', interval: '(0–43%)' });
    expect(variantCell(5, 5)).toEqual({ share: '5 · 100%', interval: '(57–100%)' });
    expect(variantCell(0, 0)).toBeNull();
  });

  it("says plainly when the difference is not clear yet, which wording is clearly better at what, and when there is nothing to compare", () => {
    expect(verdictSentence(voorbeeldSms)).toBe("Het verschil is nog niet duidelijk: er zijn meer sms'en nodig.");
    expect(verdictSentence([counts('invite', 40, 4, 10, 10, 12), counts('invitePersonal', 40, 30, 12, 10, 10)])).toBe(
      "De tekst ‘Persoonlijk’ werkt duidelijk beter voor het openen van de link. Voor het afmaken van het gesprek, het vragen om terugbellen en het bereik is het verschil nog niet duidelijk: er zijn meer sms'en nodig.",
    );
    expect(verdictSentence([counts('invite', 40, 4, 4, 10, 10), counts('invitePersonal', 40, 30, 30, 12, 12)])).toMatch(/^De tekst ‘Persoonlijk’ werkt duidelijk beter voor het openen van de link en het afmaken van het gesprek\. Voor het vragen om terugbellen en het bereik /);
    expect(verdictSentence([counts('reminder', 5, 1, 0, 0, 0)])).toBe('Er is nog niets te vergelijken: in deze periode is maar één tekst van deze stap verstuurd.');
    // a configured wording nobody got yet is nothing to compare with
    expect(verdictSentence([counts('invite', 5, 1, 0, 0, 0), counts('invitePersonal', 0, 0, 0, 0, 0)])).toMatch(/^Er is nog niets te vergelijken/);
  });

  it('is absent without variants in the plan, one line when nothing was sent, else a table per step in the plan’s order', () => {
    expect(variantSection([], undefined, 'Zeedorp', NOVEMBER)).toEqual({ kind: 'absent' });
    expect(variantSection([], plan, 'Gemeente Voorbeeld', NOVEMBER)).toEqual({ kind: 'noneSent' });
    expect(variantSection([{ step: 'sms', variants: [counts('invite', 0, 0, 0, 0, 0)] }], plan, 'Gemeente Voorbeeld', NOVEMBER)).toEqual({ kind: 'noneSent' });
    const section = variantSection(
      [
        { step: 'old', variants: [counts('invite', 2, 1, 0, 0, 0)] },
        { step: 'reminder', variants: [counts('reminder', 5, 1, 0, 0, 0)] },
        { step: 'sms', variants: [counts('invitePersonal', 8, 6, 5, 4, 3)] },
      ],
      plan,
      'Gemeente Voorbeeld',
      NOVEMBER,
    );
    if (section.kind !== 'tables') throw new Error(section.kind);
    expect(section.tables.map((t) => t.step)).toEqual(['sms', 'reminder', 'old']);
    const [sms, , old] = section.tables;
    expect(section.period).toEqual(NOVEMBER);
    expect(sms?.caption).toBe('Sms-stap ‘sms’ (dag 0)');
    expect(old?.caption).toBe('Sms-stap ‘old’ (niet meer in het contactplan)');
    // the plan's other wording shows, at 0
    expect(sms?.rows.map((r) => [r.label, r.sent, r.cells.opened])).toEqual([
      ['Standaard', 0, null],
      ['Persoonlijk', 8, { share: '6 · 75%', interval: '(41–93%)' }],
    ]);
    expect(sms?.sentence).toMatch(/^Er is nog niets te vergelijken/);
    expect(sms?.wordings[1]).toEqual({ label: 'Persoonlijk', text: 'Gemeente Voorbeeld: achter met betalen? Dat overkomt veel mensen. Gratis hulp: [link] Controlewoord: [controlewoord] Stop? Stuur STOP' });
  });
});
