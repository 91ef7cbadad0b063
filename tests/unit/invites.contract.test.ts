// SPDX-License-Identifier: EUPL-1.2
/**
 * The contract of the invitation, API key and rate limit repositories, run against SQLite
 * always and PostgreSQL when TEST_DATABASE_URL is set, like tests/unit/store.contract.test.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateInviteCode } from '../../src/lib/invite-code.ts';
import { findApiKeyByHash, insertApiKey, listApiKeys, revokeApiKey } from '../../src/server/store/api-keys.ts';
import { isUniqueViolation } from '../../src/server/store/callbacks.ts';
import type { Store } from '../../src/server/store/index.ts';
import {
  findInviteByCode,
  getInvite,
  getInviteBatch,
  insertInvites,
  listBatchLines,
  recordInviteOpened,
  type NewInvite,
} from '../../src/server/store/invites.ts';
import { deleteRateLimitsBefore, incrementRateLimit, peekRateLimit } from '../../src/server/store/rate-limits.ts';
import { contractTargets, noticeSkipped, useMigratedStore, type Opened } from '../support/temp-stores.ts';

noticeSkipped('invitation contract tests');

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

function invite(overrides: Partial<NewInvite> = {}): NewInvite {
  const now = Date.now();
  return {
    id: randomUUID(),
    code: generateInviteCode(),
    municipality: 'vlissingen',
    topic: 'energy',
    channel: 'sms',
    caseRef: `Z-${randomBytes(3).toString('hex')}`,
    checkWord: 'APPEL',
    createdAt: iso(now),
    expiresAt: iso(now + 90 * DAY),
    ...overrides,
  };
}

async function countInvites(store: Store, where: { batchId?: string; caseRef?: string }): Promise<number> {
  let query = store.db.selectFrom('invites').select((eb) => eb.fn.countAll<number>().as('n'));
  if (where.batchId !== undefined) query = query.where('batch_id', '=', where.batchId);
  if (where.caseRef !== undefined) query = query.where('case_ref', '=', where.caseRef);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

function contract(name: string, open: () => Promise<Opened>, skip = false): void {
  describe.skipIf(skip)(`invitation store contract: ${name}`, () => {
    let store: Store;
    useMigratedStore(open, (opened) => (store = opened), 'Vlissingen', 'Middelburg');

    it('stores an invitation and finds it by code and by id, never opened yet', async () => {
      const input = invite({ topic: null, caseRef: null });
      expect(await insertInvites(store, [input])).toEqual({ kind: 'inserted' });
      const expected = {
        ...input,
        caseId: null,
        batchId: null,
        batchRow: null,
        openedCount: 0,
        firstOpenedAt: null,
        lastOpenedAt: null,
      };
      expect(await findInviteByCode(store, input.code)).toEqual(expected);
      expect(await getInvite(store, input.id)).toEqual(expected);
      expect(await findInviteByCode(store, generateInviteCode())).toBeUndefined();
      expect(await findInviteByCode(store, input.code.toLowerCase())).toBeUndefined();
      expect(await getInvite(store, randomUUID())).toBeUndefined();
    });

    it('refuses a taken code as a unique violation, and stores nothing of that call', async () => {
      const first = invite();
      await insertInvites(store, [first]);
      const caseRef = `dup-${randomBytes(3).toString('hex')}`;
      const error = await insertInvites(store, [invite({ caseRef }), invite({ caseRef, code: first.code })]).catch(
        (e: unknown) => e,
      );
      expect(isUniqueViolation(error)).toBe(true);
      expect(await countInvites(store, { caseRef })).toBe(0);
    });

    it('refuses a lowercase code, an unknown channel and an unknown municipality', async () => {
      await expect(insertInvites(store, [invite({ code: generateInviteCode().toLowerCase() })])).rejects.toThrow();
      await expect(insertInvites(store, [invite({ channel: 'fax' as 'sms' })])).rejects.toThrow();
      await expect(insertInvites(store, [invite({ municipality: 'atlantis' })])).rejects.toThrow();
    });

    it('stores a batch of 1,200 in one go and reads it back in CSV order', async () => {
      const batchId = randomUUID();
      const createdAt = new Date().toISOString();
      const invites = Array.from({ length: 1200 }, (_, i) =>
        invite({ batchId, batchRow: i + 1, caseRef: `B-${i + 1}`, createdAt }),
      );
      // Shuffled going in: the order comes from batch_row, not from insertion.
      const shuffled = [...invites].sort(() => Math.random() - 0.5);
      const batch = { id: batchId, municipality: 'vlissingen', createdAt, size: 1200, createdBy: 'api-key:test', channel: 'sms' as const };
      // Shuffled too: the order comes from the line, not from insertion.
      const lines = [...invites]
        .sort(() => Math.random() - 0.5)
        .map((i) => ({ line: (i.batchRow ?? 0) + 1, caseRef: i.caseRef, signalRef: null, inviteId: i.id, outcome: 'made' as const, reason: null }));
      const refused = { line: 1202, caseRef: null, signalRef: null, inviteId: null, outcome: 'refused' as const, reason: 'Rij 1202: case_ref is leeg.' };
      expect(await insertInvites(store, shuffled, { batch: { ...batch, lines: [...lines, refused] } })).toEqual({ kind: 'inserted' });
      expect(await getInviteBatch(store, batchId)).toEqual(batch);
      const back = await listBatchLines(store, batchId);
      expect(back.map((l) => l.invite?.caseRef ?? null)).toEqual([...invites.map((i) => i.caseRef), null]);
      expect(back.at(-1)).toMatchObject({ line: 1202, outcome: 'refused', reason: 'Rij 1202: case_ref is leeg.', invite: null });
      expect(new Set(back.map((l) => l.invite?.code)).size).toBe(1201);
      expect(await getInviteBatch(store, randomUUID())).toBeUndefined();
      expect(await listBatchLines(store, randomUUID())).toEqual([]);
    });

    it('stores neither batch nor invitations when one of them fails', async () => {
      const batchId = randomUUID();
      const taken = invite();
      await insertInvites(store, [taken]);
      const invites = [invite({ batchId, batchRow: 1 }), invite({ batchId, batchRow: 2, code: taken.code })];
      const batch = {
        id: batchId,
        municipality: 'vlissingen',
        createdAt: iso(Date.now()),
        size: 2,
        createdBy: 'api-key:test',
        channel: 'sms' as const,
        lines: [],
      };
      await expect(insertInvites(store, invites, { batch })).rejects.toThrow();
      expect(await getInviteBatch(store, batchId)).toBeUndefined();
      expect(await countInvites(store, { batchId })).toBe(0);
    });

    it('counts openings: first_opened_at once, last_opened_at every time', async () => {
      const input = invite();
      await insertInvites(store, [input]);
      const t1 = iso(Date.now());
      const t2 = iso(Date.now() + 1000);
      expect(await recordInviteOpened(store, input.id, t1)).toBe(true);
      expect(await recordInviteOpened(store, input.id, t2)).toBe(true);
      expect(await getInvite(store, input.id)).toMatchObject({ openedCount: 2, firstOpenedAt: t1, lastOpenedAt: t2 });
    });

    it('counts 20 concurrent openings as 20', async () => {
      const input = invite();
      await insertInvites(store, [input]);
      const at = iso(Date.now());
      await Promise.all(Array.from({ length: 20 }, () => recordInviteOpened(store, input.id, at)));
      expect((await getInvite(store, input.id))?.openedCount).toBe(20);
    });

    it('does not count an opening of an expired invitation', async () => {
      const now = Date.now();
      const input = invite({ createdAt: iso(now - 100 * DAY), expiresAt: iso(now - DAY) });
      await insertInvites(store, [input]);
      expect(await recordInviteOpened(store, input.id, iso(now))).toBe(false);
      expect(await getInvite(store, input.id)).toMatchObject({
        openedCount: 0,
        firstOpenedAt: null,
        lastOpenedAt: null,
      });
      expect(await recordInviteOpened(store, randomUUID(), iso(now))).toBe(false);
    });

    it('replays an idempotent batch, refuses the key with another request, and lets only one of 10 racing calls store', async () => {
      const key = `key-${randomBytes(6).toString('hex')}`;
      const claim = { scope: 'invites:vlissingen', key, requestHash: 'h1', body: '{"batch":"first"}' };
      const caseRef = `idem-${randomBytes(3).toString('hex')}`;
      const results = await Promise.all(
        Array.from({ length: 10 }, () => insertInvites(store, [invite({ caseRef })], { idempotency: claim })),
      );
      expect(results.filter((r) => r.kind === 'inserted')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'replay')).toEqual(
        Array(9).fill({ kind: 'replay', body: '{"batch":"first"}' }),
      );
      expect(await countInvites(store, { caseRef })).toBe(1);
      expect(
        await insertInvites(store, [invite({ caseRef })], { idempotency: { ...claim, requestHash: 'h2' } }),
      ).toEqual({ kind: 'conflict' });
      // The same key in another municipality's scope is another key.
      expect(
        await insertInvites(store, [invite({ municipality: 'middelburg' })], {
          idempotency: { ...claim, scope: 'invites:middelburg' },
        }),
      ).toEqual({ kind: 'inserted' });
      expect(await countInvites(store, { caseRef })).toBe(1);
    });

    it('keeps API keys by hash: finds, lists and revokes them', async () => {
      const hash = randomBytes(32).toString('hex');
      const id = randomUUID();
      const createdAt = iso(Date.now());
      await insertApiKey(store, { id, municipality: 'middelburg', name: 'zaaksysteem', keyHash: hash, createdAt, scopes: ['invites', 'ddas'] });
      expect(await findApiKeyByHash(store, hash)).toEqual({
        id,
        municipality: 'middelburg',
        name: 'zaaksysteem',
        keyHash: hash,
        createdAt,
        revokedAt: null,
        scopes: ['invites', 'ddas'],
      });
      expect(await findApiKeyByHash(store, randomBytes(32).toString('hex'))).toBeUndefined();
      await expect(
        insertApiKey(store, { id: randomUUID(), municipality: 'vlissingen', name: 'x', keyHash: hash, createdAt, scopes: ['invites'] }),
      ).rejects.toThrow();
      await expect(
        insertApiKey(store, {
          id: randomUUID(),
          municipality: 'atlantis',
          name: 'x',
          keyHash: randomBytes(32).toString('hex'),
          createdAt,
          scopes: ['invites'],
        }),
      ).rejects.toThrow();
      expect((await listApiKeys(store, 'middelburg')).map((k) => k.id)).toContain(id);
      expect(await listApiKeys(store, 'middelburg')).not.toContainEqual(
        expect.objectContaining({ keyHash: expect.anything() }),
      );
      const at = iso(Date.now());
      expect(await revokeApiKey(store, id, at)).toBe(true);
      expect(await revokeApiKey(store, id, iso(Date.now() + 1000))).toBe(false);
      expect((await findApiKeyByHash(store, hash))?.revokedAt).toBe(at);
    });

    it('counts rate limit hits per bucket and window, also when they race', async () => {
      const bucket = `test:${randomBytes(4).toString('hex')}`;
      const w1 = '2026-01-01T10:00:00.000Z';
      const w2 = '2026-01-01T10:10:00.000Z';
      expect(await peekRateLimit(store, bucket, w1)).toBe(0);
      expect(await incrementRateLimit(store, bucket, w1)).toBe(1);
      expect(await incrementRateLimit(store, bucket, w1)).toBe(2);
      expect(await incrementRateLimit(store, bucket, w2)).toBe(1);
      expect(await incrementRateLimit(store, `${bucket}:other`, w1)).toBe(1);
      const counts = await Promise.all(Array.from({ length: 20 }, () => incrementRateLimit(store, bucket, w2)));
      expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      expect(await peekRateLimit(store, bucket, w2)).toBe(21);
      expect(await deleteRateLimitsBefore(store, w2)).toBeGreaterThanOrEqual(2);
      expect(await peekRateLimit(store, bucket, w1)).toBe(0);
      expect(await peekRateLimit(store, bucket, w2)).toBe(21);
    });
  });
}

for (const { name, open, skip } of contractTargets('hg-invites-')) contract(name, open, skip);
