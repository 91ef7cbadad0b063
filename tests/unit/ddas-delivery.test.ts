// SPDX-License-Identifier: EUPL-1.2
// The DDAS delivery from a month of cases, and the reach page's figures against it, on SQLite
// always and PostgreSQL when TEST_DATABASE_URL is set.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/lib/csv.ts';
import { ddasDelivery, DeliveryError, type Uitwisselmodel } from '../../src/server/ddas/delivery.ts';
import { ddasValidator } from '../../src/server/ddas/validate.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';
import { seedDemoCases } from '../../src/server/seed/demo-cases.ts';
import { reachCsv, reachReport } from '../../src/server/staff/reach.ts';
import { insertAttempt } from '../../src/server/store/attempts.ts';
import { recordCase } from '../../src/server/store/cases.ts';
import { migrateToLatest, type Store } from '../../src/server/store/index.ts';
import { upsertMunicipality } from '../../src/server/store/municipalities.ts';
import { contractTargets, noticeSkipped, type Opened } from '../support/temp-stores.ts';

noticeSkipped('DDAS delivery tests');

const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };
const NOT_TAKEN_UP = ['Niet opgepakt: herhaalde melding', 'Niet opgepakt: onterecht signaal', 'Inwoner is overleden', 'Persoon is geen inwoner (meer) in de gemeente', 'Niet opgepakt: andere reden'];

/** The national figures counted straight from the delivery's JSON, without the portal's code. */
function countedFromExport(delivery: Uitwisselmodel) {
  const levering = delivery.leveringen[0];
  if (!levering) throw new Error('no levering');
  const partner = new Map(levering.vroegsignalen.map((s) => [s.ID, s.signaalpartner.type]));
  const cases = levering.vroegsignaalzaken;
  const takenUp = cases.filter((c) => !NOT_TAKEN_UP.includes(c.resultaat ?? ''));
  const reached = cases.filter((c) => c.contactpogingen.some((a) => a.bereikt));
  const tally = (key: (a: { soort: string; dagdeel: string }) => string) => {
    const out: Record<string, { attempts: number; reached: number }> = {};
    for (const a of cases.flatMap((c) => c.contactpogingen)) {
      const t = (out[key(a)] ??= { attempts: 0, reached: 0 });
      t.attempts++;
      if (a.bereikt) t.reached++;
    }
    return out;
  };
  const results: Record<string, number> = {};
  for (const c of cases) results[c.resultaat ?? 'open'] = (results[c.resultaat ?? 'open'] ?? 0) + 1;
  const partners: Record<string, number> = {};
  for (const c of cases) for (const p of new Set(c.vroegsignalen.map((s) => partner.get(s.ID) ?? '?'))) partners[p] = (partners[p] ?? 0) + 1;
  return {
    cases: cases.length,
    takenUp: takenUp.length,
    reachedCases: reached.length,
    attempts: cases.reduce((n, c) => n + c.contactpogingen.length, 0),
    byKind: tally((a) => a.soort),
    byDayPart: tally((a) => a.dagdeel),
    endResults: results,
    partners,
  };
}

for (const { name, open, skip } of contractTargets('hg-ddas-')) {
  describe.skipIf(skip)(`the DDAS delivery: ${name}`, () => {
    let opened: Opened | undefined;
    let store: Store;
    let delivery: Uitwisselmodel;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await migrateToLatest(store);
      for (const m of demoMunicipalities()) await upsertMunicipality(store, { slug: m.slug, name: m.name, config: m });
      await upsertMunicipality(store, { slug: 'zonder-code', name: 'Zonder Code', config: { ...demoMunicipalities()[0], slug: 'zonder-code', name: 'Zonder Code', ddas: {} } });
      // a month of cases in both municipalities, as the demo makes them
      const made = await seedDemoCases(store, { municipality: 'voorbeeld', count: 120, seed: 7, today: new Date('2026-11-30T16:00:00Z') });
      expect(made.cases).toBe(120);
      await seedDemoCases(store, { municipality: 'zeedorp', count: 20, seed: 8, today: new Date('2026-11-30T16:00:00Z') });
      // October: one case without November activity (not in November), one tried again in November (in it)
      const quiet = await recordCase(store, { municipality: 'voorbeeld', caseRef: 'OKT-1', signals: [{ ref: 'OKT-1-S', partner: 'water' }], now: '2026-10-05T09:00:00.000Z' });
      const again = await recordCase(store, { municipality: 'voorbeeld', caseRef: 'OKT-2', signals: [{ ref: 'OKT-2-S', partner: 'rent' }], now: '2026-10-06T09:00:00.000Z' });
      if (quiet.kind !== 'recorded' || again.kind !== 'recorded') throw new Error('not recorded');
      await insertAttempt(store.db, { id: randomUUID(), municipality: 'voorbeeld', caseId: quiet.caseId, requestId: null, staffId: 's', kind: 'phone', reached: false, at: '2026-10-07T09:00:00.000Z' });
      await insertAttempt(store.db, { id: randomUUID(), municipality: 'voorbeeld', caseId: again.caseId, requestId: null, staffId: 's', kind: 'phone', reached: false, at: '2026-10-07T09:00:00.000Z' });
      await insertAttempt(store.db, { id: randomUUID(), municipality: 'voorbeeld', caseId: again.caseId, requestId: null, staffId: 's', kind: 'home_visit', reached: true, at: '2026-11-03T18:30:00.000Z' });
      // and an attempt after the period, which the November delivery must not carry
      await insertAttempt(store.db, { id: randomUUID(), municipality: 'voorbeeld', caseId: again.caseId, requestId: null, staffId: 's', kind: 'letter', reached: false, at: '2026-12-02T09:00:00.000Z' });
      delivery = await ddasDelivery(store, { municipalities: ['voorbeeld'], period: NOVEMBER, now: new Date('2026-12-01T08:00:00Z') });
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('is valid against the official schema, with the municipality from its file and client left empty', () => {
      expect(ddasValidator()(delivery)).toEqual({ ok: true });
      expect(delivery).toMatchObject({ startdatumLevering: '2026-11-01', einddatumLevering: '2026-11-30', aanleverdatumEnTijd: '2026-12-01T08:00:00Z', codeGegevensleverancier: 'HULPGESPREK' });
      expect(delivery.leveringen).toHaveLength(1);
      expect(delivery.leveringen[0]).toMatchObject({ teller: 1, gemeentecode: '9901', aanleverende_organisatie: { naam: 'Gemeente Voorbeeld' } });
      const signals = delivery.leveringen[0]?.vroegsignalen ?? [];
      expect(signals.length).toBeGreaterThan(120);
      for (const s of signals) expect(s.client).toEqual({});
      expect(JSON.stringify(delivery)).not.toMatch(/Burgerservicenummer|Achternaam|Postcode|\+316/);
    });

    it('holds the cases of the period only, with their state at its end', () => {
      const ids = delivery.leveringen[0]?.vroegsignalen.map((s) => s.ID) ?? [];
      expect(ids).toContain('OKT-2-S');
      expect(ids).not.toContain('OKT-1-S');
      expect(ids.some((id) => id.startsWith('DEMO-ZEE'))).toBe(false);
      const october = delivery.leveringen[0]?.vroegsignaalzaken.find((c) => c.vroegsignalen[0]?.ID === 'OKT-2-S');
      expect(october).toEqual({
        datum_opgepakt: '2026-10-07',
        vroegsignalen: [{ ID: 'OKT-2-S' }],
        contactpogingen: [
          { soort: 'Telefoon', bereikt: false, datum: '2026-10-07', dagdeel: 'Ochtend' },
          { soort: 'Huisbezoek', bereikt: true, datum: '2026-11-03', dagdeel: 'Avond' },
        ],
      });
    });

    it('gives the reach page the same numbers as the export, and its CSV too', async () => {
      const report = await reachReport(store, 'voorbeeld', NOVEMBER);
      const counted = countedFromExport(delivery);
      expect(counted.cases).toBe(121);
      expect(counted.reachedCases).toBeGreaterThan(10);
      expect(report.ddas).toMatchObject({ cases: counted.cases, takenUp: counted.takenUp, reachedCases: counted.reachedCases, attempts: counted.attempts, endResults: counted.endResults });
      expect(report.ddas.reach).toBeCloseTo(counted.reachedCases / counted.takenUp, 10);
      expect(report.ddas.byKind).toEqual(counted.byKind);
      expect(report.ddas.byDayPart).toEqual(counted.byDayPart);
      expect(Object.fromEntries(report.ddas.byPartner.map((p) => [p.partner, p.cases]))).toEqual(counted.partners);
      expect(report.demoCases).toBe(120);
      const csv = parseCsv(reachCsv(report));
      const value = (section: string, key: string, measure: string) => Number(csv.find((r) => r[0] === section && r[1] === key && r[2] === measure)?.[3]);
      expect(value('ddas.total', 'total', 'cases')).toBe(counted.cases);
      expect(value('ddas.total', 'total', 'reachedCases')).toBe(counted.reachedCases);
      for (const [kind, c] of Object.entries(counted.byKind)) expect(value('ddas.soort', kind, 'attempts')).toBe(c.attempts);
      for (const [result, n] of Object.entries(counted.endResults)) expect(value('ddas.resultaat', result, 'cases')).toBe(n);
      // per week: the attempts of every week add up to all attempts
      expect(report.ddas.byWeek.reduce((n, w) => n + w.attempts, 0)).toBe(counted.attempts);
    });

    it('one levering per municipality; a municipality without gemeentecode, a missing schema or a failing check gives no delivery at all', async () => {
      const both = await ddasDelivery(store, { municipalities: ['voorbeeld', 'zeedorp'], period: NOVEMBER });
      expect(both.leveringen.map((l) => [l.teller, l.gemeentecode])).toEqual([
        [1, '9901'],
        [2, '9902'],
      ]);
      await expect(ddasDelivery(store, { municipalities: ['voorbeeld', 'zonder-code'], period: NOVEMBER })).rejects.toMatchObject({ kind: 'noCode' });
      await expect(ddasDelivery(store, { municipalities: ['voorbeeld'], period: NOVEMBER, schemaFile: '/nonexistent/schema.json' })).rejects.toMatchObject({ kind: 'noSchema' });
      const refusing = () => ({ ok: false as const, errors: ['/leveringen/0 is broken'] });
      const failed = ddasDelivery(store, { municipalities: ['voorbeeld'], period: NOVEMBER, validate: refusing });
      await expect(failed).rejects.toBeInstanceOf(DeliveryError);
      await expect(failed).rejects.toMatchObject({ kind: 'invalid', errors: ['/leveringen/0 is broken'] });
    });
  });
}
