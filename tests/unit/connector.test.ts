// SPDX-License-Identifier: EUPL-1.2
/** The hand-off's pure parts: connector settings and secrets, the signature a receiver checks, backoff, failure wording, the event body. */
import { describe, expect, it } from 'vitest';
import { parseMunicipality } from '../../src/lib/municipality.ts';
import { connectorFor, connectorState, connectorWarnings } from '../../src/server/connector/connectors.ts';
import { callbackCreatedEvent, callbackSupplementedEvent, type CallbackCreatedEvent, type CallbackSupplementedEvent } from '../../src/server/connector/event.ts';
import { signature, verifyWebhook } from '../../src/server/connector/signature.ts';
import { backoffMs, describeFailure, MAX_BACKOFF_MS } from '../../src/server/connector/worker.ts';
import { demoMunicipalities } from '../../src/server/seed/seed.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const base = demoMunicipalities().find((m) => m.slug === 'voorbeeld')!;
const connector = { type: 'webhook', url: 'https://zaken.voorbeeld.example/hulpgesprek', secretEnv: 'HULPGESPREK_WEBHOOK_SECRET_VOORBEELD' } as const;

describe('connector settings', () => {
  it('the demo municipalities have none', () => {
    expect(demoMunicipalities().map((m) => m.connector)).toEqual(demoMunicipalities().map(() => undefined));
  });

  it('takes an https webhook with the NAME of the secret variable, and refuses the rest', () => {
    expect(parseMunicipality({ ...base, connector }, 'test').connector).toEqual(connector);
    expect(parseMunicipality({ ...base, connector: { ...connector, url: 'http://127.0.0.1:9999/hook' } }, 'test').connector?.url).toBe('http://127.0.0.1:9999/hook');
    expect(() => parseMunicipality({ ...base, connector: { ...connector, url: 'http://zaken.example/hook' } }, 'test')).toThrow(/connector\.url: url must be https/);
    expect(() => parseMunicipality({ ...base, connector: { ...connector, secretEnv: 'the secret itself' } }, 'test')).toThrow(/connector\.secretEnv/);
    expect(() => parseMunicipality({ ...base, connector: { ...connector, secret: SECRET } }, 'test')).toThrow(/connector/);
    expect(() => parseMunicipality({ ...base, connector: { ...connector, type: 'email' } }, 'test')).toThrow(/connector\.type/);
  });

  it('counts a connector without its secret (or with a short one) as none, and says so at start', () => {
    const m = parseMunicipality({ ...base, connector }, 'test');
    expect(connectorFor(m, {})).toBeNull();
    expect(connectorFor(m, { HULPGESPREK_WEBHOOK_SECRET_VOORBEELD: 'short' })).toBeNull();
    expect(connectorFor(m, { HULPGESPREK_WEBHOOK_SECRET_VOORBEELD: SECRET })).toEqual({ type: 'webhook', url: connector.url, secret: SECRET });
    expect(connectorState(undefined, {})).toEqual({ state: 'none' });
    expect(connectorWarnings([m, base], {})).toEqual([
      'municipality voorbeeld: connector not in use, HULPGESPREK_WEBHOOK_SECRET_VOORBEELD is not set; its requests wait in the staff queue only',
    ]);
    expect(connectorWarnings([m], { HULPGESPREK_WEBHOOK_SECRET_VOORBEELD: SECRET })).toEqual([]);
  });
});

describe('webhook signature', () => {
  const body = '{"event":"callback_request.created"}';
  const now = 1_800_000_000;

  it('is HMAC-SHA256 over "<timestamp>.<body>" in hex', () => {
    // printf '%s' '1800000000.{"event":"callback_request.created"}' | openssl dgst -sha256 -hmac "$SECRET"
    expect(signature(SECRET, now, body)).toBe('sha256=a9b6cca0bca2189cd1f486a8dfd618b394e6e6de939c6251b86fab082818a452');
    expect(signature(SECRET, now, body)).not.toBe(signature(SECRET, now + 1, body));
  });

  it('verifies a fresh one and refuses a changed body, another secret, an old or future timestamp, or nothing', () => {
    const sig = signature(SECRET, now, body);
    expect(verifyWebhook(SECRET, { body, timestamp: String(now), signature: sig }, now + 10)).toEqual({ ok: true });
    expect(verifyWebhook(SECRET, { body: `${body} `, timestamp: String(now), signature: sig }, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhook(`${SECRET}x`, { body, timestamp: String(now), signature: sig }, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhook(SECRET, { body, timestamp: String(now), signature: sig }, now + 301)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhook(SECRET, { body, timestamp: String(now), signature: sig }, now - 301)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhook(SECRET, { body, timestamp: '1e9', signature: sig }, now)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhook(SECRET, { body, timestamp: null, signature: sig }, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyWebhook(SECRET, { body, timestamp: String(now), signature: 'sha256=00' }, now)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('backoff and failures', () => {
  it('doubles from the base, ±20%, never over an hour', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 30_000, middle))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(1, 30_000, () => 0)).toBe(24_000);
    expect(backoffMs(1, 30_000, () => 0.999999)).toBeLessThanOrEqual(36_000);
    expect(backoffMs(9, 30_000, () => 0.999999)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(40, 30_000, middle)).toBe(MAX_BACKOFF_MS);
  });

  it('describes failures without bodies or addresses', () => {
    expect(describeFailure(new DOMException('x', 'TimeoutError'), 10_000)).toBe('timeout after 10000 ms');
    expect(describeFailure(new DOMException('x', 'AbortError'), 10_000)).toBe('interrupted: instance stopping');
    expect(describeFailure(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }), 1)).toBe('connection failed: ECONNREFUSED');
    expect(describeFailure(new TypeError('fetch failed to https://x/?token=1', { cause: { code: 'no such thing +31612345678' } }), 1)).toBe('connection failed: TypeError');
    expect(describeFailure('weird', 1)).toBe('connection failed');
  });
});

describe('the callback_request.created event', () => {
  it('carries what the case system needs to call back, and not how the resident feels', () => {
    const event = callbackCreatedEvent(
      {
        municipality: 'voorbeeld',
        channel: 'letter-qr',
        language: 'tr',
        topic: 'energy',
        urgent: true,
        answers: { checkin: 'worried', happened: 'lost_job', urgency: 'cutoff', help: ['arrangement'], moments: ['morning'], ways: ['call'], talkLanguage: 'tr', voicemail: 'yes', contactPrefs: ['woman'] },
        phone: '+31612345678',
        firstName: 'Ayşe',
        consent: true,
      },
      'ZAAK-1',
    );
    expect(event.eventType).toBe('callback_request.created');
    const body = JSON.parse(event.body({ id: 'r1', reference: 'ABCD-EFGH', status: 'new', createdAt: '2026-11-26T10:00:00.000Z' }, 'd1')) as CallbackCreatedEvent;
    expect(body).toEqual({
      event: 'callback_request.created',
      version: 1,
      deliveryId: 'd1',
      data: {
        requestId: 'r1',
        reference: 'ABCD-EFGH',
        municipality: 'voorbeeld',
        createdAt: '2026-11-26T10:00:00.000Z',
        urgent: true,
        urgency: 'cutoff',
        topic: 'energy',
        help: ['arrangement'],
        language: 'tr',
        channel: 'letter-qr',
        caseRef: 'ZAAK-1',
        phone: '+31612345678',
        firstName: 'Ayşe',
        moments: ['morning'],
        ways: ['call'],
        talkLanguage: 'tr',
        voicemail: 'yes',
        contactPrefs: ['woman'],
      },
    });
    expect(JSON.stringify(body)).not.toMatch(/worried|lost_job|checkin|happened/);
  });
});

describe('the callback_request.supplemented event', () => {
  it('carries what helps the first contact, and not how the resident feels', () => {
    const event = callbackSupplementedEvent(
      {
        id: 'r1',
        reference: 'ABCD-EFGH',
        municipality: 'voorbeeld',
        conversationId: 'c1',
        inviteId: null,
        caseId: null,
        channel: 'web',
        language: 'ar',
        topic: 'rent',
        urgent: false,
        answers: { checkin: 'hard', happened: 'family', talkLanguage: 'ar', voicemail: 'no', contactPrefs: ['woman', 'interpreter'] },
        phone: '+31612345678',
        firstName: 'Samira',
        consent: true,
        status: 'new',
        assignedTo: null,
        outcome: null,
        createdAt: '2026-11-26T10:00:00.000Z',
        updatedAt: '2026-11-26T10:05:00.000Z',
        closedAt: null,
        personalDataDeletedAt: null,
      },
      'd2',
    );
    expect(event.eventType).toBe('callback_request.supplemented');
    const body = JSON.parse(event.payload) as CallbackSupplementedEvent;
    expect(body.data).toEqual({
      requestId: 'r1',
      reference: 'ABCD-EFGH',
      municipality: 'voorbeeld',
      firstName: 'Samira',
      talkLanguage: 'ar',
      voicemail: 'no',
      contactPrefs: ['woman', 'interpreter'],
    });
    expect(event.payload).not.toMatch(/hard|family|checkin|happened|31612345678/);
  });
});
