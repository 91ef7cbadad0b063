// SPDX-License-Identifier: EUPL-1.2
/**
 * One contract for the storage layer, run against SQLite always and PostgreSQL when
 * TEST_DATABASE_URL is set, so both databases behave the same for every caller.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  migrateToLatest,
  migrationStatus,
  openStore,
  pingStore,
  type Store,
} from '../../src/server/store/index.ts';
import {
  createCallbackRequest,
  getCallbackRequest,
  listCallbackRequests,
  type CallbackCreatedBody,
  type CallbackRequestInput,
  type CreateCallbackResult,
} from '../../src/server/store/callbacks.ts';
import {
  getConversation,
  upsertConversationProgress,
  type ConversationProgressInput,
} from '../../src/server/store/conversations.ts';
import {
  getMunicipality,
  listMunicipalities,
  upsertMunicipality,
} from '../../src/server/store/municipalities.ts';
import {
  contractTargets,
  noticeSkipped,
  openSqliteTemp,
  seedMunicipalities,
  type Opened,
} from '../support/temp-stores.ts';

const REFERENCE = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ALL_MIGRATIONS = ['001-initial', '002-invites', '003-staff', '004-outbox', '005-ddas', '006-batch-rows', '007-ddas-contact', '008-api-key-scopes', '009-contact-plan', '010-sms', '011-sms-sent-index'];

noticeSkipped('contract tests');

// A folder that does not exist yet: openStore must create it.
const SQLITE_FILE = join('nested', 'store.db');

function callbackInput(overrides: Partial<CallbackRequestInput> = {}): CallbackRequestInput {
  return {
    municipality: 'vlissingen',
    conversationId: null,
    inviteId: null,
    channel: 'web',
    language: 'nl',
    topic: 'rent',
    urgent: false,
    answers: { checkin: 'worried', help: ['budget', 'debt'], moments: ['morning'] },
    phone: '+31612345678',
    firstName: 'Sam',
    consent: true,
    ...overrides,
  };
}

async function countCallbacks(store: Store, conversationId: string): Promise<number> {
  const row = await store.db
    .selectFrom('callback_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('conversation_id', '=', conversationId)
    .executeTakeFirstOrThrow();
  return row.n;
}

async function countKeys(store: Store, key: string): Promise<number> {
  const row = await store.db
    .selectFrom('idempotency_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return row.n;
}

function bodyOf(result: CreateCallbackResult): CallbackCreatedBody {
  if (result.conflict) throw new Error('expected a created or replayed request, got a conflict');
  return result.body;
}

const unique = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function contract(name: string, open: () => Promise<Opened>, skip = false): void {
  describe.skipIf(skip)(`store contract: ${name}`, () => {
    let opened: Opened | undefined;
    let store: Store;
    let statusBefore: { applied: string[]; pending: string[] };
    let firstRun: string[];

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      statusBefore = await migrationStatus(store);
      firstRun = await migrateToLatest(store);
      await seedMunicipalities(store, 'Vlissingen', 'Middelburg');
    });

    afterAll(async () => {
      await opened?.cleanup();
    });

    it('reports its dialect and answers a ping', async () => {
      expect(store.dialect).toBe(name);
      expect(await pingStore(store)).toBe(true);
    });

    it('applies migrations once, and a second run is a no-op', async () => {
      expect(statusBefore).toEqual({ applied: [], pending: ALL_MIGRATIONS });
      expect(firstRun).toEqual(ALL_MIGRATIONS);
      expect(await migrateToLatest(store)).toEqual([]);
      expect(await migrationStatus(store)).toEqual({ applied: ALL_MIGRATIONS, pending: [] });
    });

    it('upserts and reads municipalities', async () => {
      const config = { phone: '+31118123456', languages: ['nl', 'en'], nested: { a: [1, 2] } };
      await upsertMunicipality(store, { slug: 'goes', name: 'Goes', config });
      expect(await getMunicipality(store, 'goes')).toEqual({ slug: 'goes', name: 'Goes', config });

      await upsertMunicipality(store, { slug: 'goes', name: 'Gemeente Goes', config: { v: 2 } });
      expect(await getMunicipality(store, 'goes')).toEqual({
        slug: 'goes',
        name: 'Gemeente Goes',
        config: { v: 2 },
      });
      expect(await getMunicipality(store, 'nowhere')).toBeUndefined();
      const slugs = (await listMunicipalities(store)).map((m) => m.slug);
      expect(slugs).toEqual(['goes', 'middelburg', 'vlissingen']);
    });

    it('creates a callback request and returns the 201 body', async () => {
      const conversationId = unique('conv');
      const result = await createCallbackRequest(
        store,
        callbackInput({ conversationId, urgent: true }),
        { idempotencyKey: unique('key'), requestHash: 'h1' },
      );
      expect(result.created).toBe(true);
      if (!result.created) return;
      expect(result.status).toBe(201);
      expect(result.body.reference).toMatch(REFERENCE);
      expect(result.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.body.status).toBe('new');
      expect(result.body.createdAt).toMatch(ISO);
      expect(Object.keys(result.body).sort()).toEqual(['createdAt', 'id', 'reference', 'status']);

      const stored = await getCallbackRequest(store, result.body.id);
      expect(stored).toMatchObject({
        id: result.body.id,
        reference: result.body.reference,
        municipality: 'vlissingen',
        conversationId,
        inviteId: null,
        urgent: true,
        consent: true,
        phone: '+31612345678',
        firstName: 'Sam',
        status: 'new',
        answers: { checkin: 'worried', help: ['budget', 'debt'], moments: ['morning'] },
        createdAt: result.body.createdAt,
        closedAt: null,
        personalDataDeletedAt: null,
      });
      expect(await countCallbacks(store, conversationId)).toBe(1);
      expect(await getCallbackRequest(store, 'no-such-id')).toBeUndefined();
    });

    it('creates without an idempotency key, each call a new request', async () => {
      const conversationId = unique('conv');
      const a = await createCallbackRequest(store, callbackInput({ conversationId }), {
        requestHash: 'h',
      });
      const b = await createCallbackRequest(store, callbackInput({ conversationId }), {
        requestHash: 'h',
      });
      expect(a.created && b.created).toBe(true);
      expect(bodyOf(a).reference).not.toBe(bodyOf(b).reference);
      expect(await countCallbacks(store, conversationId)).toBe(2);
    });

    it('prepares the call-back insert once per PostgreSQL connection, and stores each request in full', async () => {
      const conversationId = unique('conv');
      for (const firstName of ['Anouk', 'Bram']) {
        expect((await createCallbackRequest(store, callbackInput({ conversationId, firstName }), {})).created).toBe(true);
      }
      const names = (await listCallbackRequests(store, 'vlissingen')).filter((r) => r.conversationId === conversationId).map((r) => r.firstName);
      expect(names.sort()).toEqual(['Anouk', 'Bram']);
      if (store.dialect !== 'postgres') return;
      // pg's pool hands an idle connection back out last-in first-out, so these ran on one connection
      const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(store.db);
      const insert = rows.filter((r) => r.statement.startsWith('insert into "callback_requests"'));
      expect(insert).toHaveLength(1);
      expect(insert[0]?.name).toMatch(/^hg_\d+$/);
    });

    it('replays the first response for a repeated key, storing nothing new', async () => {
      const conversationId = unique('conv');
      const key = unique('key');
      const first = await createCallbackRequest(store, callbackInput({ conversationId }), {
        idempotencyKey: key,
        requestHash: 'same',
      });
      const again = await createCallbackRequest(store, callbackInput({ conversationId }), {
        idempotencyKey: key,
        requestHash: 'same',
      });
      expect(first.created).toBe(true);
      expect(again).toEqual({ replay: true, status: 201, body: bodyOf(first) });
      expect(await countCallbacks(store, conversationId)).toBe(1);
      expect(await countKeys(store, key)).toBe(1);
    });

    it('answers a conflict for the same key with a different request', async () => {
      const conversationId = unique('conv');
      const key = unique('key');
      await createCallbackRequest(store, callbackInput({ conversationId }), {
        idempotencyKey: key,
        requestHash: 'first',
      });
      const other = await createCallbackRequest(
        store,
        callbackInput({ conversationId, phone: '+31687654321' }),
        { idempotencyKey: key, requestHash: 'second' },
      );
      expect(other).toEqual({ conflict: true });
      expect(await countCallbacks(store, conversationId)).toBe(1);
      const [row] = await listCallbackRequests(store, 'vlissingen').then((all) =>
        all.filter((r) => r.conversationId === conversationId),
      );
      expect(row?.phone).toBe('+31612345678');
    });

    it('stores exactly one request when 20 identical requests race', async () => {
      const conversationId = unique('conv');
      const key = unique('key');
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          createCallbackRequest(store, callbackInput({ conversationId }), {
            idempotencyKey: key,
            requestHash: 'race',
          }),
        ),
      );
      const created = results.filter((r) => r.created);
      const replays = results.filter((r) => r.replay);
      expect(created).toHaveLength(1);
      expect(replays).toHaveLength(19);
      const winner = created[0];
      if (!winner) throw new Error('no request was created');
      for (const r of replays) expect(bodyOf(r)).toEqual(bodyOf(winner));
      expect(await countCallbacks(store, conversationId)).toBe(1);
      expect(await countKeys(store, key)).toBe(1);
    });

    it('gives 20 concurrent distinct requests 20 rows with distinct references', async () => {
      const conversationId = unique('conv');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          createCallbackRequest(store, callbackInput({ conversationId }), {
            idempotencyKey: unique(`key${i}`),
            requestHash: 'x',
          }),
        ),
      );
      expect(results.every((r) => r.created)).toBe(true);
      expect(new Set(results.map((r) => bodyOf(r).reference)).size).toBe(20);
      expect(await countCallbacks(store, conversationId)).toBe(20);
    });

    it('lists a municipality queue urgent first, then oldest first', async () => {
      const slug = unique('queue');
      await upsertMunicipality(store, { slug, name: 'Queue', config: {} });
      const calm = await createCallbackRequest(store, callbackInput({ municipality: slug }), {
        requestHash: 'a',
      });
      await tick();
      const urgent = await createCallbackRequest(
        store,
        callbackInput({ municipality: slug, urgent: true }),
        { requestHash: 'b' },
      );
      const list = await listCallbackRequests(store, slug);
      expect(list.map((r) => r.id)).toEqual([bodyOf(urgent).id, bodyOf(calm).id]);
      expect(await listCallbackRequests(store, slug, { status: 'closed' })).toEqual([]);
    });

    it('refuses a callback request for an unknown municipality', async () => {
      await expect(
        createCallbackRequest(store, callbackInput({ municipality: 'atlantis' }), {
          requestHash: 'x',
        }),
      ).rejects.toThrow();
    });

    it('keeps started_at and sets finished_at once when saving conversation progress', async () => {
      const id = unique('conv');
      const base: ConversationProgressInput = {
        id,
        municipality: 'vlissingen',
        channel: 'web',
        language: 'nl',
        topic: null,
        inviteId: null,
        lastStep: 'checkin',
        answers: { checkin: 'ok' },
        outcome: null,
        finished: false,
      };
      expect(await upsertConversationProgress(store, base)).toBe(true);
      const first = await getConversation(store, id);
      expect(first).toMatchObject({ lastStep: 'checkin', finishedAt: null, topic: null });
      expect(first?.startedAt).toMatch(ISO);

      await tick();
      await upsertConversationProgress(store, {
        ...base,
        topic: 'rent',
        lastStep: 'done',
        answers: { checkin: 'ok', help: ['budget'] },
        outcome: 'self',
        finished: true,
      });
      const second = await getConversation(store, id);
      expect(second).toMatchObject({
        startedAt: first?.startedAt,
        topic: 'rent',
        lastStep: 'done',
        outcome: 'self',
        answers: { checkin: 'ok', help: ['budget'] },
      });
      expect(second?.finishedAt).toMatch(ISO);
      expect((second?.updatedAt ?? '') > (first?.startedAt ?? '')).toBe(true);

      await tick();
      // A finished conversation is final: a late report (say, from a second tab) changes nothing.
      expect(await upsertConversationProgress(store, { ...base, lastStep: 'again', outcome: null, finished: false })).toBe(false);
      const third = await getConversation(store, id);
      expect(third?.startedAt).toBe(first?.startedAt);
      expect(third?.finishedAt).toBe(second?.finishedAt);
      expect(third?.lastStep).toBe('done');
      expect(third?.outcome).toBe('self');

      // Another municipality cannot overwrite this conversation.
      const hijack = { ...base, municipality: 'middelburg', lastStep: 'hijacked' };
      expect(await upsertConversationProgress(store, hijack)).toBe(false);
      expect(await getConversation(store, id)).toEqual(third);
    });
  });
}

for (const { name, open, skip } of contractTargets('hg-store-', SQLITE_FILE)) contract(name, open, skip);

describe('store: SQLite specifics', () => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await openSqliteTemp('hg-store-', SQLITE_FILE);
    await migrateToLatest(opened.store);
  });
  afterAll(async () => {
    await opened.cleanup();
  });

  it('runs in WAL mode with durable commits and foreign keys on', async () => {
    const { db } = opened.store;
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`PRAGMA ${name}`).execute(db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(2); // FULL
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
  });

  it('keeps data across close and reopen, with nothing left to migrate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-store-'));
    const file = join(dir, 'store.db');
    try {
      const a = await openStore({ sqliteFile: file });
      await migrateToLatest(a);
      await upsertMunicipality(a, { slug: 'veere', name: 'Veere', config: { x: 1 } });
      expect(existsSync(`${file}-wal`)).toBe(true);
      await a.close();
      await a.close(); // closing twice is harmless

      const b = await openStore({ sqliteFile: file });
      expect(await migrationStatus(b)).toEqual({ applied: ALL_MIGRATIONS, pending: [] });
      expect(await getMunicipality(b, 'veere')).toEqual({
        slug: 'veere',
        name: 'Veere',
        config: { x: 1 },
      });
      await b.close();
      expect(await pingStore(b)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('store: opening', () => {
  it('refuses a database URL that is not PostgreSQL', async () => {
    await expect(openStore({ databaseUrl: 'postgress://x@localhost/db' })).rejects.toThrow(
      /postgres:\/\//,
    );
  });

  it('reports an unreachable PostgreSQL as not answering, without throwing', async () => {
    const store = await openStore({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none' });
    try {
      expect(await pingStore(store)).toBe(false);
    } finally {
      await store.close();
    }
  });
});
