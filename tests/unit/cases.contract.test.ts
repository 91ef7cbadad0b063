// SPDX-License-Identifier: EUPL-1.2
// DDAS cases and signals in the store, on SQLite always and PostgreSQL when TEST_DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, type Store } from '../../src/server/store/index.ts';
import { listSignals, recordCase, type SignalInput } from '../../src/server/store/cases.ts';
import { contractTargets, noticeSkipped, seedMunicipalities, type Opened } from '../support/temp-stores.ts';

noticeSkipped('case contract tests');

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const energy = (ref: string, amount = 300): SignalInput => ({ ref, partner: 'energy', amount, signalledOn: '2026-11-05' });

for (const { name, open, skip } of contractTargets('hg-cases-')) {
  describe.skipIf(skip)(`cases: ${name}`, () => {
    let opened: Opened | undefined;
    let store: Store;
    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await migrateToLatest(store);
      await seedMunicipalities(store, 'Vlissingen', 'Middelburg');
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('makes one case and one signal when the same delivery races ten times', async () => {
      const caseRef = unique('HH');
      const ref = unique('S');
      const now = new Date().toISOString();
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => recordCase(store, { municipality: 'vlissingen', caseRef, signals: [energy(ref)], now })));
      const ids = new Set(outcomes.map((o) => (o.kind === 'recorded' ? o.caseId : 'refused')));
      expect(ids.size).toBe(1);
      expect(outcomes.filter((o) => o.kind === 'recorded' && o.created)).toHaveLength(1);
      const caseId = [...ids][0] as string;
      const signals = await listSignals(store, 'vlissingen', caseId);
      expect(signals).toHaveLength(1);
      expect(signals[0]).toMatchObject({ ref, partner: 'energy', amount: 300, timesReceived: 10 });
      // another municipality sees none of it
      expect(await listSignals(store, 'middelburg', caseId)).toEqual([]);
    });

    it("refuses a signal ID of another household's case and stores nothing of that delivery", async () => {
      const ref = unique('S');
      const now = new Date().toISOString();
      const first = await recordCase(store, { municipality: 'vlissingen', caseRef: unique('HH'), signals: [energy(ref)], now });
      expect(first.kind).toBe('recorded');
      const other = unique('HH');
      const fresh = unique('S');
      expect(await recordCase(store, { municipality: 'vlissingen', caseRef: other, signals: [energy(fresh), energy(ref, 900)], now })).toEqual({ kind: 'otherCase', refs: [ref] });
      const again = await recordCase(store, { municipality: 'vlissingen', caseRef: other, signals: [energy(fresh)], now });
      expect(again).toMatchObject({ kind: 'recorded', created: true, signals: [{ ref: fresh, kind: 'new' }] });
      if (first.kind !== 'recorded') return;
      expect((await listSignals(store, 'vlissingen', first.caseId))[0]).toMatchObject({ amount: 300, timesReceived: 1 });
    });
  });
}
