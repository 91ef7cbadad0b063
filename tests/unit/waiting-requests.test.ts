// SPDX-License-Identifier: EUPL-1.2
// Call-back requests waiting on the device: kept in IndexedDB (fake-indexeddb here), delivered once, forgotten when sent.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyEvent, startConversation, type SavedConversation } from '../../src/lib/conversation.ts';
import {
  deliverWaiting,
  discardWaiting,
  getWaiting,
  keepWaiting,
  listWaiting,
  resetConnection,
  deliveredNote,
} from '../../src/lib/waiting-requests.ts';

function sendingConversation(): SavedConversation {
  const start = startConversation({ language: 'nl' });
  return {
    ...start,
    state: 'sending',
    context: { ...start.context, phone: '0612345678', firstName: 'Samira', consent: true },
  };
}

async function keep(conversation = sendingConversation()) {
  await keepWaiting({
    id: conversation.id,
    municipality: 'voorbeeld',
    url: '/api/v1/terugbelverzoeken',
    body: JSON.stringify({ phone: conversation.context.phone }),
    conversation,
  });
  return conversation;
}

/** A server that stores one request per Idempotency-Key, like the real API. */
function fakeServer(options: { failFirst?: number; status?: number; invalidParams?: unknown[] } = {}) {
  const stored = new Map<string, string>();
  let calls = 0;
  const send = (async (_url: string, init?: RequestInit) => {
    calls += 1;
    if (calls <= (options.failFirst ?? 0)) throw new TypeError('Failed to fetch');
    if (options.status && options.status !== 201) {
      return new Response(JSON.stringify({ status: options.status, invalidParams: options.invalidParams }), {
        status: options.status,
      });
    }
    const key = new Headers(init?.headers).get('Idempotency-Key') ?? '';
    if (!stored.has(key)) stored.set(key, String(init?.body));
    return new Response(JSON.stringify({ id: `req-${key}`, reference: 'ABCD-EFGH' }), { status: 201 });
  }) as typeof fetch;
  return { send, stored, calls: () => calls };
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  resetConnection();
});

describe('waiting call-back requests', () => {
  it('keeps a request until it can be sent, then keeps only its reference', async () => {
    const conversation = await keep();
    const offline = fakeServer({ failFirst: 99 });
    expect(await deliverWaiting(offline.send)).toEqual([{ id: conversation.id, result: 'later', reason: 'network' }]);
    const waiting = await getWaiting(conversation.id);
    expect(waiting).toMatchObject({ status: 'waiting', attempts: 1 });
    expect(waiting?.conversation.context.phone).toBe('0612345678');

    const online = fakeServer();
    expect(await deliverWaiting(online.send)).toEqual([
      { id: conversation.id, result: 'sent', reference: 'ABCD-EFGH' },
    ]);
    expect(await getWaiting(conversation.id)).toBeUndefined();
    const note = await deliveredNote(conversation.id);
    expect(note).toMatchObject({ reference: 'ABCD-EFGH', requestId: `req-${conversation.id}` });
    expect(JSON.stringify(note)).not.toContain('0612345678');
  });

  it('sends once however often delivery is started, also at the same time', async () => {
    await keep();
    await keep();
    const server = fakeServer();
    await Promise.all([deliverWaiting(server.send), deliverWaiting(server.send), deliverWaiting(server.send)]);
    await deliverWaiting(server.send);
    expect(server.calls()).toBe(2);
    expect(server.stored.size).toBe(2);
    expect(await listWaiting()).toEqual([]);
  });

  it('keeping the same conversation twice keeps one request', async () => {
    const conversation = await keep();
    await keep(conversation);
    expect(await listWaiting('voorbeeld')).toHaveLength(1);
    expect(await listWaiting('zeedorp')).toHaveLength(0);
  });

  it('waits on when the server is busy or down', async () => {
    const conversation = await keep();
    for (const status of [429, 500, 503]) {
      const server = fakeServer({ status });
      expect(await deliverWaiting(server.send)).toEqual([{ id: conversation.id, result: 'later', reason: 'server' }]);
    }
    expect(await getWaiting(conversation.id)).toMatchObject({ status: 'waiting', attempts: 3 });
  });

  it('marks a refused request for correction and stops sending it', async () => {
    const conversation = await keep();
    const params = [{ name: 'phone', code: 'notDialable', reason: 'x' }];
    const server = fakeServer({ status: 422, invalidParams: params });
    expect(await deliverWaiting(server.send)).toEqual([{ id: conversation.id, result: 'rejected' }]);
    expect(await getWaiting(conversation.id)).toMatchObject({ status: 'rejected', invalidParams: params });
    expect(await deliverWaiting(server.send)).toEqual([]);
    // the page takes the saved conversation back to the phone step
    const request = await getWaiting(conversation.id);
    const back = applyEvent(request!.conversation, { type: 'FAILED', errors: { phone: 'phone.notDialable' } });
    expect(back.state).toBe('phone');
    expect(back.context.phone).toBe('0612345678');
  });

  it('deleting a waiting request removes the phone number from the device', async () => {
    const conversation = await keep();
    await discardWaiting(conversation.id);
    expect(await getWaiting(conversation.id)).toBeUndefined();
    const server = fakeServer();
    expect(await deliverWaiting(server.send)).toEqual([]);
    expect(server.calls()).toBe(0);
  });
});
