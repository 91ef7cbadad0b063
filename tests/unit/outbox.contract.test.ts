// SPDX-License-Identifier: EUPL-1.2
/**
 * The outbox contract on SQLite and PostgreSQL: an event is written in the request's own
 * transaction (both or neither, never on a replay), claimed by one instance only, delivered once,
 * retried, released when stuck, emptied by retention, and kept to its municipality.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallbackRequest, openRequestCounts, type CallbackRequestInput, type OutboxEventInput } from '../../src/server/store/callbacks.ts';
import { migrateToLatest, type Store } from '../../src/server/store/index.ts';
import {
  claimDueDeliveries,
  deliveriesOfRequest,
  getDelivery,
  listDeliveryProblems,
  markAttemptFailed,
  markDelivered,
  outboxBacklog,
  releaseStuckDeliveries,
  retryDelivery,
} from '../../src/server/store/outbox.ts';
import { clearPersonalData } from '../../src/server/store/staff-requests.ts';
import { contractTargets, noticeSkipped, pairTargets, seedMunicipalities, type Opened, type Pair } from '../support/temp-stores.ts';

noticeSkipped('outbox contract tests');

const EVENT: OutboxEventInput = {
  eventType: 'callback_request.created',
  body: (created, deliveryId) => JSON.stringify({ deliveryId, reference: created.reference, phone: '+31612345678' }),
};

function input(municipality: string, overrides: Partial<CallbackRequestInput> = {}): CallbackRequestInput {
  return {
    municipality,
    channel: 'web',
    language: 'nl',
    topic: 'rent',
    urgent: false,
    answers: { help: ['budget'] },
    phone: '+31612345678',
    firstName: 'Sam',
    consent: true,
    ...overrides,
  };
}

async function outboxRows(store: Store, requestId?: string) {
  let q = store.db.selectFrom('outbox').selectAll();
  if (requestId !== undefined) q = q.where('request_id', '=', requestId);
  return q.execute();
}

async function requestCount(store: Store, municipality: string): Promise<number> {
  const row = await store.db
    .selectFrom('callback_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('municipality', '=', municipality)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A fresh municipality per test, so counts never see another test's rows. */
async function freshMunicipality(store: Store): Promise<string> {
  const name = `M${randomUUID().slice(0, 8)}`;
  await seedMunicipalities(store, name);
  return name.toLowerCase();
}

async function created(store: Store, municipality: string, outbox = true): Promise<{ id: string; reference: string }> {
  const result = await createCallbackRequest(store, input(municipality), { requestHash: randomUUID(), ...(outbox ? { outbox: EVENT } : {}) });
  if (!result.created) throw new Error('not created');
  return result.body;
}

const at = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

function contract(name: string, open: () => Promise<Opened>, skip: boolean): void {
  describe.skipIf(skip)(`outbox contract: ${name}`, () => {
    let opened: Opened | undefined;
    let store: Store;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await migrateToLatest(store);
    });

    afterAll(async () => {
      await opened?.cleanup();
    });

    it('writes exactly one pending outbox row with the request, carrying the exact body', async () => {
      const m = await freshMunicipality(store);
      const body = await created(store, m);
      const rows = await outboxRows(store, body.id);
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row).toMatchObject({ municipality: m, event_type: 'callback_request.created', status: 'pending', attempts: 0, last_error: null, delivered_at: null });
      expect(JSON.parse(row.payload ?? '')).toEqual({ deliveryId: row.id, reference: body.reference, phone: '+31612345678' });
      expect(row.next_attempt_at).toBe(row.created_at);
    });

    it('writes no outbox row when the municipality has no connector', async () => {
      const m = await freshMunicipality(store);
      const body = await created(store, m, false);
      expect(await outboxRows(store, body.id)).toEqual([]);
    });

    it('stores neither request nor outbox row when the transaction fails after the request insert', async () => {
      const m = await freshMunicipality(store);
      const failing: OutboxEventInput = {
        eventType: 'callback_request.created',
        body: () => {
          throw new Error('outbox write failed');
        },
      };
      await expect(createCallbackRequest(store, input(m), { requestHash: 'x', outbox: failing })).rejects.toThrow('outbox write failed');
      expect(await requestCount(store, m)).toBe(0);
      expect((await outboxRows(store)).filter((r) => r.municipality === m)).toEqual([]);
    });

    it('stores neither when the request insert itself fails (unknown municipality)', async () => {
      const before = (await outboxRows(store)).length;
      await expect(createCallbackRequest(store, input('nowhere-at-all'), { requestHash: 'x', outbox: EVENT })).rejects.toThrow();
      expect((await outboxRows(store)).length).toBe(before);
    });

    it('writes nothing on an idempotent replay, also when 10 identical requests race', async () => {
      const m = await freshMunicipality(store);
      const key = `key-${randomUUID()}`;
      const first = await createCallbackRequest(store, input(m), { idempotencyKey: key, requestHash: 'same', outbox: EVENT });
      const again = await createCallbackRequest(store, input(m), { idempotencyKey: key, requestHash: 'same', outbox: EVENT });
      expect(first.created).toBe(true);
      expect(again.replay).toBe(true);
      const raceKey = `race-${randomUUID()}`;
      await Promise.all(Array.from({ length: 10 }, () => createCallbackRequest(store, input(m), { idempotencyKey: raceKey, requestHash: 'race', outbox: EVENT })));
      expect(await requestCount(store, m)).toBe(2);
      expect((await outboxRows(store)).filter((r) => r.municipality === m)).toHaveLength(2);
    });

    it('claims due rows of the given municipalities only, once, and delivers each once', async () => {
      const m = await freshMunicipality(store);
      const other = await freshMunicipality(store);
      const a = await created(store, m);
      const b = await created(store, other);
      const claimer = randomUUID();
      const claimed = await claimDueDeliveries(store, { municipalities: [m], now: at(), limit: 10, claimer });
      expect(claimed.map((c) => c.requestId)).toEqual([a.id]);
      expect(claimed[0]).toMatchObject({ attempts: 1, claimedBy: claimer, municipality: m });
      // Held: nobody claims it again.
      expect(await claimDueDeliveries(store, { municipalities: [m, other], now: at(), limit: 10, claimer: randomUUID() })).toHaveLength(1);
      const id = claimed[0]!.id;
      expect(await markDelivered(store, { id, claimer: randomUUID(), at: at() })).toBe(false);
      expect(await markDelivered(store, { id, claimer, at: at() })).toBe(true);
      expect(await markDelivered(store, { id, claimer, at: at() })).toBe(false);
      const [row] = await outboxRows(store, a.id);
      expect(row).toMatchObject({ status: 'delivered', payload: null, claimed_by: null });
      expect(await claimDueDeliveries(store, { municipalities: [m], now: at(60_000), limit: 10, claimer: randomUUID() })).toEqual([]);
      // b was claimed by the second call above; it is the other municipality's.
      expect((await outboxRows(store, b.id))[0]?.status).toBe('delivering');
    });

    it('puts a failed attempt back for later, and fails it when no tries are left', async () => {
      const m = await freshMunicipality(store);
      const r = await created(store, m);
      const claimer = randomUUID();
      const [row] = await claimDueDeliveries(store, { municipalities: [m], now: at(), limit: 10, claimer });
      expect(await markAttemptFailed(store, { id: row!.id, claimer, at: at(), error: 'HTTP 500', nextAttemptAt: at(60_000) })).toBe(true);
      expect(await claimDueDeliveries(store, { municipalities: [m], now: at(), limit: 10, claimer: randomUUID() })).toEqual([]);
      const again = await claimDueDeliveries(store, { municipalities: [m], now: at(61_000), limit: 10, claimer });
      expect(again[0]?.attempts).toBe(2);
      expect(await markAttemptFailed(store, { id: row!.id, claimer, at: at(), error: 'timeout after 10 ms', nextAttemptAt: null })).toBe(true);
      expect((await outboxRows(store, r.id))[0]).toMatchObject({ status: 'failed', attempts: 2, last_error: 'timeout after 10 ms' });
      expect(await claimDueDeliveries(store, { municipalities: [m], now: at(3_600_000), limit: 10, claimer })).toEqual([]);
    });

    it('releases rows a crashed run left delivering: pending again, or failed when out of tries', async () => {
      const m = await freshMunicipality(store);
      const r1 = await created(store, m);
      const r2 = await created(store, m);
      const claimed = await claimDueDeliveries(store, { municipalities: [m], now: at(), limit: 10, claimer: randomUUID() });
      expect(claimed).toHaveLength(2);
      // The run that claimed them died ten minutes ago.
      await store.db.updateTable('outbox').set({ claimed_at: at(-10 * 60_000) }).where('municipality', '=', m).execute();
      await store.db.updateTable('outbox').set({ attempts: 5 }).where('request_id', '=', r2.id).execute();
      expect(await releaseStuckDeliveries(store, { claimedBefore: at(-20 * 60_000), now: at(), maxAttempts: 5 })).toBe(0);
      expect(await releaseStuckDeliveries(store, { claimedBefore: at(-5 * 60_000), now: at(), maxAttempts: 5 })).toBeGreaterThanOrEqual(2);
      expect((await outboxRows(store, r1.id))[0]).toMatchObject({ status: 'pending', claimed_by: null });
      expect((await outboxRows(store, r2.id))[0]).toMatchObject({ status: 'failed' });
      expect((await outboxRows(store, r1.id))[0]?.last_error).toMatch(/^interrupted/);
    });

    it('lists and retries problems only within the given municipalities', async () => {
      const m = await freshMunicipality(store);
      const other = await freshMunicipality(store);
      const mine = await created(store, m);
      const theirs = await created(store, other);
      const fine = await created(store, m);
      const claimer = randomUUID();
      for (const row of await claimDueDeliveries(store, { municipalities: [m, other], now: at(), limit: 10, claimer })) {
        if (row.requestId === fine.id) continue;
        await markAttemptFailed(store, { id: row.id, claimer, at: at(), error: 'HTTP 503', nextAttemptAt: null });
      }
      const problems = await listDeliveryProblems(store, [m]);
      expect(problems.map((p) => p.requestId)).toEqual([mine.id]);
      expect(problems[0]).toMatchObject({ reference: mine.reference, status: 'failed', attempts: 1, lastError: 'HTTP 503', hasPayload: true });
      const theirId = (await deliveriesOfRequest(store, theirs.id))[0]!.id;
      expect(await getDelivery(store, theirId, [m])).toBeUndefined();
      expect(await retryDelivery(store, { id: theirId, municipalities: [m], now: at() })).toEqual({ kind: 'notFound' });
      expect((await outboxRows(store, theirs.id))[0]?.status).toBe('failed');

      const retried = await retryDelivery(store, { id: problems[0]!.id, municipalities: [m], now: at() });
      expect(retried.kind).toBe('ok');
      expect((await outboxRows(store, mine.id))[0]).toMatchObject({ status: 'pending', attempts: 0, last_error: 'HTTP 503' });
      // Still listed (pending with an error) until it goes through.
      expect((await listDeliveryProblems(store, [m])).map((p) => p.status)).toEqual(['pending']);
      // A row being sent is not retried.
      const fineId = (await deliveriesOfRequest(store, fine.id))[0]!.id;
      expect((await retryDelivery(store, { id: fineId, municipalities: [m], now: at() })).kind).toBe('notRetryable');
    });

    it('empties payloads with the personal data at retention, and fails what was not delivered', async () => {
      const m = await freshMunicipality(store);
      const waiting = await created(store, m);
      const sent = await created(store, m);
      const claimer = randomUUID();
      for (const row of await claimDueDeliveries(store, { municipalities: [m], now: at(), limit: 10, claimer })) {
        if (row.requestId === sent.id) await markDelivered(store, { id: row.id, claimer, at: at() });
        else await markAttemptFailed(store, { id: row.id, claimer, at: at(), error: 'HTTP 502', nextAttemptAt: at(60_000) });
      }
      const cleared = await clearPersonalData(store, { municipality: m, cutoff: at(1000), at: at(), limit: 10 });
      expect(cleared.sort()).toEqual([waiting.id, sent.id].sort());
      expect(await outboxRows(store, waiting.id)).toEqual([expect.objectContaining({ status: 'failed', payload: null, last_error: 'retention: personal data deleted before delivery' })]);
      expect(await outboxRows(store, sent.id)).toEqual([expect.objectContaining({ status: 'delivered', payload: null })]);
      const waitingId = (await deliveriesOfRequest(store, waiting.id))[0]!.id;
      expect((await retryDelivery(store, { id: waitingId, municipalities: [m], now: at() })).kind).toBe('notRetryable');
    });

    it('fails, not requeues, a row whose payload retention emptied while it was being sent', async () => {
      const m = await freshMunicipality(store);
      const r = await created(store, m);
      const claimer = randomUUID();
      const [row] = await claimDueDeliveries(store, { municipalities: [m], now: at(), limit: 10, claimer });
      await clearPersonalData(store, { municipality: m, cutoff: at(1000), at: at(), limit: 10 });
      expect(await markAttemptFailed(store, { id: row!.id, claimer, at: at(), error: 'HTTP 500', nextAttemptAt: at(60_000) })).toBe(true);
      expect((await outboxRows(store, r.id))[0]).toMatchObject({ status: 'failed', payload: null });
    });

    it('counts the backlog and the waiting requests per municipality', async () => {
      const m = await freshMunicipality(store);
      await created(store, m);
      await created(store, m);
      await created(store, m, false);
      const backlog = (await outboxBacklog(store)).filter((b) => b.municipality === m);
      expect(backlog).toEqual([{ municipality: m, status: 'pending', count: 2 }]);
      expect((await openRequestCounts(store)).find((c) => c.municipality === m)).toEqual({ municipality: m, count: 3 });
    });
  });
}

function twoInstances(name: string, open: () => Promise<Pair>, skip: boolean): void {
  describe.skipIf(skip)(`outbox with two instances: ${name}`, () => {
    let pair: Pair | undefined;
    beforeAll(async () => {
      pair = await open();
    });
    afterAll(async () => {
      await pair?.cleanup();
    });

    it('never gives one row to both when they claim at the same time', async () => {
      const { a, b } = pair!;
      const m = await freshMunicipality(a);
      const ids = new Set<string>();
      for (let i = 0; i < 30; i++) ids.add((await created(a, m)).id);
      const claimedBy = new Map<string, number>();
      for (let round = 0; round < 10; round++) {
        const results = await Promise.all(
          [a, b, a, b].map((s) => claimDueDeliveries(s, { municipalities: [m], now: at(), limit: 4, claimer: randomUUID() })),
        );
        for (const row of results.flat()) claimedBy.set(row.requestId, (claimedBy.get(row.requestId) ?? 0) + 1);
      }
      expect([...claimedBy.keys()].sort()).toEqual([...ids].sort());
      expect([...claimedBy.values()].every((n) => n === 1)).toBe(true);
    });
  });
}

for (const { name, open, skip } of contractTargets('hg-outbox-')) contract(name, open, skip);
for (const { name, open, skip } of pairTargets('hg-outbox-pair-')) twoInstances(name, open, skip);
