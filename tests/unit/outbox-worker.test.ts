// SPDX-License-Identifier: EUPL-1.2
/**
 * The delivery worker against a real local HTTP receiver, on SQLite and PostgreSQL: signed
 * POSTs, delivered once, retried with backoff until failed, timeouts, no redirects, nothing
 * without a secret, in-flight work handed back on stop, and two instances sharing the work.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/server/connector/signature.ts';
import { startOutboxWorker, type OutboxWorkerOptions } from '../../src/server/connector/worker.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';
import { createCallbackRequest, type OutboxEventInput } from '../../src/server/store/callbacks.ts';
import { migrateToLatest, type Store } from '../../src/server/store/index.ts';
import { upsertMunicipality } from '../../src/server/store/municipalities.ts';
import { contractTargets, noticeSkipped, pairTargets, type Opened, type Pair } from '../support/temp-stores.ts';

noticeSkipped('outbox worker tests');

const SECRET = 'test-secret-that-is-long-enough-0123456789';
const SECRET_ENV = 'HULPGESPREK_WEBHOOK_SECRET_TEST';
const ENV = { [SECRET_ENV]: SECRET };

type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

interface Receiver {
  url: string;
  /** every request as it arrived */
  seen: { delivery: string; body: string; headers: http.IncomingHttpHeaders; verified: boolean }[];
  behave: Behaviour;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    seen: [],
    behave: (_req, res) => res.writeHead(204).end(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const verified = verifyWebhook(SECRET, {
        body,
        timestamp: req.headers['x-hulpgesprek-timestamp'] as string | undefined,
        signature: req.headers['x-hulpgesprek-signature'] as string | undefined,
      }).ok;
      receiver.seen.push({ delivery: String(req.headers['x-hulpgesprek-delivery']), body, headers: req.headers, verified });
      receiver.behave(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}

const EVENT: OutboxEventInput = {
  eventType: 'callback_request.created',
  body: (created, deliveryId) => JSON.stringify({ event: 'callback_request.created', deliveryId, data: { reference: created.reference } }),
};

async function seed(store: Store, slug: string, url: string | null, secretEnv = SECRET_ENV): Promise<void> {
  const base = demoMunicipalities().find((m) => m.slug === 'voorbeeld')!;
  const config = { ...base, slug, name: `Gemeente ${slug}`, ...(url ? { connector: { type: 'webhook', url, secretEnv } } : {}) };
  await upsertMunicipality(store, { slug, name: config.name, config });
}

async function newRequest(store: Store, municipality: string): Promise<string> {
  const result = await createCallbackRequest(
    store,
    { municipality, channel: 'web', language: 'nl', topic: 'rent', urgent: false, answers: {}, phone: '+31612345678', firstName: null, consent: true },
    { requestHash: randomUUID(), outbox: EVENT },
  );
  if (!result.created) throw new Error('not created');
  return result.body.id;
}

async function rowOf(store: Store, requestId: string) {
  return store.db.selectFrom('outbox').selectAll().where('request_id', '=', requestId).executeTakeFirstOrThrow();
}

const options = (extra: Partial<OutboxWorkerOptions> = {}): OutboxWorkerOptions => ({ pollMs: 20, backoffBaseMs: 1, maxAttempts: 3, timeoutMs: 2_000, env: ENV, ...extra });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function suite(name: string, open: () => Promise<Opened>, skip: boolean): void {
  describe.skipIf(skip)(`outbox worker: ${name}`, () => {
    let opened: Opened | undefined;
    let store: Store;
    let receiver: Receiver;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await migrateToLatest(store);
      receiver = await startReceiver();
    });

    afterEach(() => {
      receiver.behave = (_req, res) => res.writeHead(204).end();
      receiver.seen.length = 0;
    });

    afterAll(async () => {
      await receiver?.close();
      await opened?.cleanup();
    });

    it('POSTs the stored body, signed, and marks it delivered once', async () => {
      await seed(store, 'ok-town', receiver.url);
      const requestId = await newRequest(store, 'ok-town');
      const stored = (await rowOf(store, requestId)).payload;
      const worker = startOutboxWorker(store, options(), false);
      expect(await worker.runOnce()).toBe(1);
      expect(await worker.runOnce()).toBe(0);
      await worker.stop();
      expect(receiver.seen).toHaveLength(1);
      const got = receiver.seen[0]!;
      expect(got.verified).toBe(true);
      expect(got.body).toBe(stored);
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.headers['x-hulpgesprek-event']).toBe('callback_request.created');
      expect(got.headers['x-hulpgesprek-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      const row = await rowOf(store, requestId);
      expect(got.delivery).toBe(row.id);
      expect(row).toMatchObject({ status: 'delivered', attempts: 1, payload: null, last_error: null });
      const audit = await store.db.selectFrom('audit_log').selectAll().where('object_id', '=', requestId).execute();
      expect(audit).toEqual([expect.objectContaining({ actor: 'system', action: 'handoff', origin: 'job', municipality: 'ok-town' })]);
      // The signature is over this body and this timestamp: any change fails.
      expect(verifyWebhook(SECRET, { body: `${got.body} `, timestamp: String(got.headers['x-hulpgesprek-timestamp']), signature: String(got.headers['x-hulpgesprek-signature']) }).ok).toBe(false);
      expect(verifyWebhook('another-secret-another-secret-0123', { body: got.body, timestamp: String(got.headers['x-hulpgesprek-timestamp']), signature: String(got.headers['x-hulpgesprek-signature']) }).ok).toBe(false);
    });

    it('retries a failing receiver with backoff and fails the row after the last attempt', async () => {
      await seed(store, 'down-town', receiver.url);
      const requestId = await newRequest(store, 'down-town');
      receiver.behave = (_req, res) => res.writeHead(503).end('{"phone":"+31612345678"}');
      const worker = startOutboxWorker(store, options({ backoffBaseMs: 1 }), false);
      for (let i = 0; i < 5; i++) {
        await worker.runOnce();
        await sleep(10);
      }
      await worker.stop();
      expect(receiver.seen).toHaveLength(3);
      const row = await rowOf(store, requestId);
      expect(row).toMatchObject({ status: 'failed', attempts: 3, last_error: 'HTTP 503' });
      expect(row.payload).not.toBeNull();
      const audit = await store.db.selectFrom('audit_log').select(['action', 'result']).where('object_id', '=', requestId).execute();
      expect(audit).toEqual([{ action: 'handoff', result: 'failed: HTTP 503 after 3 attempts' }]);
    });

    it('waits the backoff before the next attempt', async () => {
      await seed(store, 'slow-town', receiver.url);
      const requestId = await newRequest(store, 'slow-town');
      receiver.behave = (_req, res) => res.writeHead(500).end();
      const worker = startOutboxWorker(store, options({ backoffBaseMs: 60_000 }), false);
      await worker.runOnce();
      await worker.runOnce();
      await worker.stop();
      expect(receiver.seen).toHaveLength(1);
      const row = await rowOf(store, requestId);
      const wait = Date.parse(row.next_attempt_at) - Date.parse(row.last_attempt_at ?? '');
      expect(row.status).toBe('pending');
      expect(wait).toBeGreaterThan(45_000);
      expect(wait).toBeLessThan(75_000);
    });

    it('counts a receiver that does not answer in time, and a redirect, as not delivered', async () => {
      await seed(store, 'mute-town', receiver.url);
      const first = await newRequest(store, 'mute-town');
      receiver.behave = () => undefined; // never answers
      const worker = startOutboxWorker(store, options({ timeoutMs: 200 }), false);
      await worker.runOnce();
      expect(await rowOf(store, first)).toMatchObject({ status: 'pending', last_error: 'timeout after 200 ms' });
      await store.db.updateTable('outbox').set({ status: 'delivered', payload: null }).where('request_id', '=', first).execute();

      const second = await newRequest(store, 'mute-town');
      receiver.behave = (_req, res) => res.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere' }).end();
      await worker.runOnce();
      await worker.stop();
      expect(await rowOf(store, second)).toMatchObject({ status: 'pending', last_error: 'HTTP 302' });
    });

    it('leaves the rows of a municipality whose secret is not set alone', async () => {
      await seed(store, 'secretless', receiver.url, 'HULPGESPREK_WEBHOOK_SECRET_NOT_SET');
      const requestId = await newRequest(store, 'secretless');
      const worker = startOutboxWorker(store, options(), false);
      await worker.runOnce();
      await worker.stop();
      expect(receiver.seen.filter((s) => s.body.includes(requestId))).toEqual([]);
      expect(await rowOf(store, requestId)).toMatchObject({ status: 'pending', attempts: 0 });
      await store.db.deleteFrom('outbox').where('request_id', '=', requestId).execute();
    });

    it('hands a POST in flight back when stopped: due again at once', async () => {
      await seed(store, 'stop-town', receiver.url);
      const requestId = await newRequest(store, 'stop-town');
      receiver.behave = () => undefined;
      const worker = startOutboxWorker(store, options({ timeoutMs: 5_000 }), false);
      const round = worker.runOnce();
      while (receiver.seen.length === 0) await sleep(5);
      await worker.stop();
      await round;
      const row = await rowOf(store, requestId);
      expect(row).toMatchObject({ status: 'pending', last_error: 'interrupted: instance stopping' });
      expect(Date.parse(row.next_attempt_at)).toBeLessThanOrEqual(Date.now());
      await store.db.deleteFrom('outbox').where('request_id', '=', requestId).execute();
    });
  });
}

function shared(name: string, open: () => Promise<Pair>, skip: boolean): void {
  describe.skipIf(skip)(`outbox worker, two instances: ${name}`, () => {
    let pair: Pair | undefined;
    let receiver: Receiver;
    beforeAll(async () => {
      pair = await open();
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver?.close();
      await pair?.cleanup();
    });

    it('sends each of 40 requests exactly once between them', async () => {
      const { a, b } = pair!;
      await seed(a, 'busy-town', receiver.url);
      const ids = new Set<string>();
      for (let i = 0; i < 40; i++) ids.add(await newRequest(a, 'busy-town'));
      receiver.behave = (_req, res) => setTimeout(() => res.writeHead(200).end('ok'), 5);
      const workers = [startOutboxWorker(a, options({ batchSize: 3 })), startOutboxWorker(b, options({ batchSize: 3 }))];
      const deadline = Date.now() + 15_000;
      while (receiver.seen.length < 40 && Date.now() < deadline) await sleep(20);
      await sleep(100);
      await Promise.all(workers.map((w) => w.stop()));
      expect(receiver.seen.every((s) => s.verified)).toBe(true);
      const deliveries = receiver.seen.map((s) => s.delivery);
      expect(deliveries).toHaveLength(40);
      expect(new Set(deliveries).size).toBe(40);
      const rows = await a.db.selectFrom('outbox').select(['status']).where('municipality', '=', 'busy-town').execute();
      expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    });
  });
}

for (const { name, open, skip } of contractTargets('hg-outbox-worker-')) suite(name, open, skip);
for (const { name, open, skip } of pairTargets('hg-outbox-worker-pair-')) shared(name, open, skip);
