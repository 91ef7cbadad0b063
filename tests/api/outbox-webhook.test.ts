// SPDX-License-Identifier: EUPL-1.2
/**
 * The hand-off to a case system end to end: the app (with municipalities from MUNICIPALITIES_DIR
 * and secrets in its environment) sends every new call-back request to a real local receiver that
 * checks the signature and the timestamp on its own, fails on purpose (errors, a dropped answer,
 * an answer too late) and deduplicates on the delivery id: each request is handled exactly once.
 * A receiver that keeps failing shows up for its administrator, whose retry gets it through.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppServer } from '../support/app-server.ts';
import { createStaff, dbRows, residentRequest, StaffClient } from '../support/staff.ts';

const root = new URL('../../', import.meta.url).pathname;
const SECRET_VOORBEELD = 'voorbeeld-webhook-secret-0123456789abcdef';
const SECRET_ZEEDORP = 'zeedorp-webhook-secret-0123456789abcdefgh';
const TIMEOUT_MS = 500;

interface Handled {
  deliveryId: string;
  event: { event: string; version: number; deliveryId: string; data: Record<string, unknown> };
}

/**
 * What a case system does, written here from the README rather than imported from the app, so it
 * proves the documented format: HMAC-SHA256 over "<timestamp>.<body>", constant-time compare,
 * timestamp within 5 minutes, then deduplicate on X-Hulpgesprek-Delivery.
 */
class Receiver {
  url = '';
  /** POSTs that arrived, per path */
  arrived: { path: string; deliveryId: string }[] = [];
  /** refused for a bad signature or timestamp */
  rejected: string[] = [];
  /** handled (processed) once per delivery id: the exactly-once record */
  handled = new Map<string, Handled>();
  /** how often a delivery id was processed: must end at 1 for each */
  processedCount = new Map<string, number>();
  /** the first POSTs to /hook fail on purpose, in this order */
  script: ('error' | 'drop' | 'late')[] = ['error', 'error', 'drop', 'late'];
  brokenUntilFixed = true;
  private server = http.createServer((req, res) => this.answer(req, res));

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private verify(secret: string, body: string, timestamp: string | undefined, signature: string | undefined): boolean {
    if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private process(deliveryId: string, body: string): void {
    if (this.handled.has(deliveryId)) return; // seen before: acknowledge, do nothing again
    this.handled.set(deliveryId, { deliveryId, event: JSON.parse(body) as Handled['event'] });
    this.processedCount.set(deliveryId, (this.processedCount.get(deliveryId) ?? 0) + 1);
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '';
      const deliveryId = String(req.headers['x-hulpgesprek-delivery'] ?? '');
      this.arrived.push({ path, deliveryId });
      const secret = path === '/broken' ? SECRET_ZEEDORP : SECRET_VOORBEELD;
      const timestamp = req.headers['x-hulpgesprek-timestamp'] as string | undefined;
      const signature = req.headers['x-hulpgesprek-signature'] as string | undefined;
      if (!this.verify(secret, body, timestamp, signature)) {
        this.rejected.push(deliveryId);
        res.writeHead(401).end();
        return;
      }
      if (path === '/broken' && this.brokenUntilFixed) {
        res.writeHead(503, { 'Content-Type': 'text/plain' }).end('maintenance');
        return;
      }
      const failure = path === '/hook' ? this.script.shift() : undefined;
      if (failure === 'error') {
        res.writeHead(500).end();
        return;
      }
      this.process(deliveryId, body);
      // Processed, but the sender never hears so: it must send again, and we must not process again.
      if (failure === 'drop') return void req.socket.destroy();
      if (failure === 'late') return void setTimeout(() => res.writeHead(200).end(), TIMEOUT_MS * 3);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  }
}

function municipalityFile(dir: string, slug: string, changes: Record<string, unknown>): void {
  const base = JSON.parse(readFileSync(join(root, 'src/server/seed', `${slug === 'zeedorp' ? 'zeedorp' : 'voorbeeld'}.json`), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, `${slug}.json`), JSON.stringify({ ...base, slug, ...changes }));
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let app: AppServer;
const receiver = new Receiver();

function outbox(requestId: string) {
  return dbRows(app.databaseFile, 'select id, status, attempts, last_error, payload, delivered_at from outbox where request_id = ?', requestId);
}

beforeAll(async () => {
  await receiver.start();
  const dir = join(root, 'tests/.tmp', `municipalities-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  municipalityFile(dir, 'voorbeeld', { connector: { type: 'webhook', url: `${receiver.url}/hook`, secretEnv: 'HULPGESPREK_WEBHOOK_SECRET_VOORBEELD' } });
  municipalityFile(dir, 'zeedorp', { connector: { type: 'webhook', url: `${receiver.url}/broken`, secretEnv: 'HULPGESPREK_WEBHOOK_SECRET_ZEEDORP' } });
  municipalityFile(dir, 'zonderkoppeling', { name: 'Gemeente Zonder Koppeling' });
  municipalityFile(dir, 'zondersleutel', { name: 'Gemeente Zonder Sleutel', connector: { type: 'webhook', url: `${receiver.url}/hook`, secretEnv: 'HULPGESPREK_WEBHOOK_SECRET_NERGENS' } });
  app = await startApp({
    MUNICIPALITIES_DIR: dir,
    HULPGESPREK_WEBHOOK_SECRET_VOORBEELD: SECRET_VOORBEELD,
    HULPGESPREK_WEBHOOK_SECRET_ZEEDORP: SECRET_ZEEDORP,
    OUTBOX_POLL_MS: '50',
    OUTBOX_BACKOFF_BASE_MS: '50',
    OUTBOX_TIMEOUT_MS: String(TIMEOUT_MS),
    OUTBOX_MAX_ATTEMPTS: '6',
  });
});

afterAll(async () => {
  await app?.stop();
  await receiver.stop();
});

describe('hand-off to the case system', () => {
  it('warns at start about a connector whose secret is missing', () => {
    expect(app.output()).toContain('municipality zondersleutel: connector not in use, HULPGESPREK_WEBHOOK_SECRET_NERGENS is not set');
    expect(app.output()).not.toContain(SECRET_VOORBEELD);
  });

  it('hands every request to the receiver exactly once, through errors, a dropped answer and a late one', async () => {
    const made: { id: string; reference: string }[] = [];
    for (let i = 0; i < 6; i++) made.push(await residentRequest(app.url, { municipality: 'voorbeeld', firstName: `Inwoner${'abcdef'[i]}`, phone: `061234567${i}` }));
    const ids = made.map((m) => outbox(m.id)[0]?.id as string);
    expect(ids.every(Boolean)).toBe(true);

    await until('all six delivered', () => made.every((m) => outbox(m.id)[0]?.status === 'delivered'));
    // The failures really happened, and the dropped and late ones came again under the same id.
    expect(receiver.script).toEqual([]);
    const hookPosts = receiver.arrived.filter((a) => a.path === '/hook');
    expect(hookPosts.length).toBeGreaterThanOrEqual(6 + 4);
    expect(new Set(hookPosts.map((a) => a.deliveryId))).toEqual(new Set(ids));
    // Exactly once: every delivery processed once, none twice, nothing else.
    expect([...receiver.processedCount.keys()].sort()).toEqual([...ids].sort());
    expect([...receiver.processedCount.values()].every((n) => n === 1)).toBe(true);
    expect(receiver.rejected).toEqual([]);

    for (const m of made) {
      const [row] = outbox(m.id);
      expect(row).toMatchObject({ status: 'delivered', payload: null, last_error: null });
      expect(row?.delivered_at).toBeTruthy();
      const handled = receiver.handled.get(row?.id as string);
      expect(handled?.event).toMatchObject({ event: 'callback_request.created', version: 1, deliveryId: row?.id });
      expect(handled?.event.data).toMatchObject({ requestId: m.id, reference: m.reference, municipality: 'voorbeeld', topic: 'energy', language: 'tr', channel: 'sms', caseRef: null, help: ['arrangement', 'buurtteam'], moments: ['morning'], ways: ['call', 'whatsapp'], talkLanguage: 'tr', voicemail: 'yes' });
      expect(handled?.event.data['phone']).toMatch(/^\+3161234567\d$/);
    }
    const retried = made.map((m) => outbox(m.id)[0]).filter((r) => Number(r?.attempts) > 1);
    expect(retried.length).toBeGreaterThanOrEqual(1);
    // Each hand-off is in the audit log, without personal data.
    const audited = dbRows(app.databaseFile, "select object_id, result from audit_log where action = 'handoff' and municipality = 'voorbeeld'");
    expect(audited.map((a) => a.object_id).sort()).toEqual(made.map((m) => m.id).sort());
  });

  it('adds nothing on an idempotent replay', async () => {
    const body = { municipality: 'voorbeeld', language: 'nl', topic: 'water', phone: '0612345679', consent: true };
    const post = () => fetch(`${app.url}/api/v1/terugbelverzoeken`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'outbox-replay-0001' }, body: JSON.stringify(body) });
    const first = (await (await post()).json()) as { id: string };
    await until('delivered', () => outbox(first.id)[0]?.status === 'delivered');
    const before = receiver.arrived.length;
    expect((await post()).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(outbox(first.id)).toHaveLength(1);
    expect(receiver.arrived.length).toBe(before);
  });

  it('sends nothing for a municipality without a connector, or without its secret: the request waits in the queue', async () => {
    const none = await residentRequest(app.url, { municipality: 'zonderkoppeling' });
    const secretless = await residentRequest(app.url, { municipality: 'zondersleutel' });
    expect(outbox(none.id)).toEqual([]);
    expect(outbox(secretless.id)).toEqual([]);
    expect(dbRows(app.databaseFile, 'select status from callback_requests where id in (?, ?)', none.id, secretless.id)).toEqual([{ status: 'new' }, { status: 'new' }]);
  });

  it('rejects, on the receiver, a body with a wrong signature or an old timestamp', async () => {
    const body = '{"event":"callback_request.created"}';
    const send = (timestamp: number, secret: string) =>
      fetch(`${receiver.url}/hook`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Hulpgesprek-Delivery': `forged-${timestamp}`,
          'X-Hulpgesprek-Timestamp': String(timestamp),
          'X-Hulpgesprek-Signature': `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
        },
        body,
      });
    const now = Math.floor(Date.now() / 1000);
    expect((await send(now, 'not-the-secret-not-the-secret-0123')).status).toBe(401);
    expect((await send(now - 600, SECRET_VOORBEELD)).status).toBe(401);
    expect(receiver.rejected).toEqual([`forged-${now}`, `forged-${now - 600}`]);
    receiver.rejected.length = 0;
  });

  it('shows a failed hand-off to its administrator only, and "Opnieuw proberen" gets it through once', async () => {
    const request = await residentRequest(app.url, { municipality: 'zeedorp' });
    await until('failed after 6 attempts', () => outbox(request.id)[0]?.status === 'failed');
    const [failed] = outbox(request.id);
    expect(failed).toMatchObject({ attempts: 6, last_error: 'HTTP 503' });
    expect(receiver.arrived.filter((a) => a.deliveryId === failed?.id)).toHaveLength(6);

    const admin = await createStaff(app.databaseFile, { role: 'admin', municipalities: ['zeedorp'] });
    const client = new StaffClient(app.url, 'zeedorp admin');
    await client.login(admin);
    const { html, token, status } = await client.formToken('/staff/overdracht');
    expect(status).toBe(200);
    expect(html).toContain(request.reference);
    expect(html).toContain('HTTP 503');
    expect(html).toContain('Opnieuw proberen');
    expect(html).toContain(`name="delivery" value="${failed?.id}"`);
    expect(html).toMatch(/href="\/staff\/overdracht"[^>]*aria-current="page"/);

    // Another municipality's administrator and a caseworker of this one see and retry nothing.
    const other = new StaffClient(app.url, 'voorbeeld admin');
    await other.login(await createStaff(app.databaseFile, { role: 'admin', municipalities: ['voorbeeld'] }));
    expect(await (await other.fetch('/staff/overdracht')).text()).not.toContain(request.reference);
    expect((await other.postForm('/staff/overdracht', { delivery: failed?.id as string })).status).toBe(404);
    const caseworker = new StaffClient(app.url, 'zeedorp caseworker');
    await caseworker.login(await createStaff(app.databaseFile, { role: 'caseworker', municipalities: ['zeedorp'] }));
    expect((await caseworker.fetch('/staff/overdracht')).status).toBe(403);
    expect((await caseworker.apiPost(`/api/v1/staff/overdrachten/${failed?.id}/opnieuw`, {})).status).toBe(404);
    expect(outbox(request.id)[0]).toMatchObject({ status: 'failed' });
    // Without the form's CSRF token, nothing happens.
    expect((await client.fetch('/staff/overdracht', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `delivery=${failed?.id}` })).status).toBe(403);

    receiver.brokenUntilFixed = false;
    const retry = await client.postForm('/staff/overdracht', { delivery: failed?.id as string }, token);
    expect(retry.status).toBe(303);
    expect(retry.headers.get('location')).toBe('/staff/overdracht?gedaan=opnieuw#bericht');
    await until('delivered after the retry', () => outbox(request.id)[0]?.status === 'delivered');
    expect(receiver.processedCount.get(failed?.id as string)).toBe(1);
    const after = await (await client.fetch('/staff/overdracht?gedaan=opnieuw')).text();
    expect(after).toContain('wordt nu opnieuw geprobeerd');
    expect(after).not.toContain(`value="${failed?.id}"`);
    expect(dbRows(app.databaseFile, "select actor, result, origin from audit_log where action = 'retry_delivery' and object_id = ?", failed?.id as string)).toEqual([
      { actor: admin.id, result: 'ok: due now (was failed after 6 attempts)', origin: 'staff-ui' },
    ]);
    // A delivered one cannot be retried.
    expect((await client.apiPost(`/api/v1/staff/overdrachten/${failed?.id}/opnieuw`, {})).status).toBe(409);
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await app.stop('SIGTERM')).toBe(0);
  });
});
