// SPDX-License-Identifier: EUPL-1.2
/**
 * Call-back requests that could not be sent yet wait on the device (IndexedDB) until they can
 * be: the page and the service worker both deliver them, under one lock, with the
 * conversation id as Idempotency-Key, so however often one is sent it is stored once.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SavedConversation } from './conversation.ts';

/** Background Sync tag the service worker listens for. */
export const SYNC_TAG = 'hulpgesprek-callbacks';
/** Pages listen here for "something was delivered or rejected". */
export const CHANNEL_NAME = 'hulpgesprek-waiting';
const DB_NAME = 'hulpgesprek';
const LOCK_NAME = 'hulpgesprek-deliver';
/** A delivery note (reference only, no personal data) is dropped after this. */
const DELIVERED_KEEP_MS = 30 * 24 * 3600_000;

export interface WaitingRequest {
  /** the conversation id, sent as Idempotency-Key */
  id: string;
  municipality: string;
  /** API path the request goes to */
  url: string;
  /** the JSON body exactly as first built: every try sends the same request */
  body: string;
  /** the conversation as it was when sending, so a rejected request can be corrected */
  conversation: SavedConversation;
  createdAt: number;
  attempts: number;
  lastTriedAt: number | null;
  status: 'waiting' | 'rejected';
  /** the server's invalidParams when it refused the request (422) */
  invalidParams?: { name: string; code: string }[];
}

export interface DeliveredNote {
  id: string;
  reference: string;
  requestId: string | null;
  at: number;
}

interface Schema extends DBSchema {
  waiting: { key: string; value: WaitingRequest };
  delivered: { key: string; value: DeliveredNote };
}

export type DeliveryOutcome =
  | { id: string; result: 'sent'; reference: string }
  | { id: string; result: 'rejected' }
  | { id: string; result: 'later'; reason: 'network' | 'server' | 'busy' };

let opening: Promise<IDBPDatabase<Schema>> | null = null;

function db(): Promise<IDBPDatabase<Schema>> {
  opening ??= openDB<Schema>(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore('waiting', { keyPath: 'id' });
      database.createObjectStore('delivered', { keyPath: 'id' });
    },
  }).catch((error: unknown) => {
    opening = null;
    throw error;
  });
  return opening;
}

/** For tests: forget the open connection (a fresh fake IndexedDB). */
export function resetConnection(): void {
  opening = null;
}

/** Keeps a request on the device. Throws when the device cannot store it (private mode, full). */
export async function keepWaiting(
  request: Omit<WaitingRequest, 'createdAt' | 'attempts' | 'lastTriedAt' | 'status'>,
): Promise<void> {
  const database = await db();
  const existing = await database.get('waiting', request.id);
  await database.put('waiting', {
    ...request,
    createdAt: existing?.createdAt ?? Date.now(),
    attempts: existing?.attempts ?? 0,
    lastTriedAt: existing?.lastTriedAt ?? null,
    status: 'waiting',
  });
}

export async function listWaiting(municipality?: string): Promise<WaitingRequest[]> {
  const all = await (await db()).getAll('waiting');
  return all
    .filter((r) => municipality === undefined || r.municipality === municipality)
    .sort((a, b) => a.createdAt - b.createdAt);
}

export async function getWaiting(id: string): Promise<WaitingRequest | undefined> {
  return (await db()).get('waiting', id);
}

/** The resident deletes a waiting request: phone number and name leave the device with it. */
export async function discardWaiting(id: string): Promise<void> {
  await (await db()).delete('waiting', id);
  notify();
}

/**
 * The delivery note for one conversation. It stays (every open tab of the conversation must see
 * it) until it is a month old; it holds the reference only.
 */
export async function deliveredNote(id: string): Promise<DeliveredNote | undefined> {
  return (await db()).get('delivered', id);
}

function notify(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL_NAME);
  channel.postMessage({ type: 'changed' });
  channel.close();
}

interface ProblemBody {
  id?: string;
  reference?: string;
  invalidParams?: { name: string; code: string }[];
}

/** Sends one waiting request and records what came of it. */
async function deliverOne(
  database: IDBPDatabase<Schema>,
  request: WaitingRequest,
  send: typeof fetch,
): Promise<DeliveryOutcome> {
  const tried = { ...request, attempts: request.attempts + 1, lastTriedAt: Date.now() };
  let response: Response;
  try {
    response = await send(request.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': request.id },
      body: request.body,
      credentials: 'same-origin',
    });
  } catch {
    await database.put('waiting', tried);
    return { id: request.id, result: 'later', reason: 'network' };
  }
  const body = (await response.json().catch(() => ({}))) as ProblemBody;
  if (response.ok && typeof body.reference === 'string') {
    // Delivered: the phone number and name go; only the reference stays until the page shows it.
    const tx = database.transaction(['waiting', 'delivered'], 'readwrite');
    await Promise.all([
      tx.objectStore('waiting').delete(request.id),
      tx
        .objectStore('delivered')
        .put({ id: request.id, reference: body.reference, requestId: body.id ?? null, at: Date.now() }),
      tx.done,
    ]);
    return { id: request.id, result: 'sent', reference: body.reference };
  }
  // Too many tries from this network, or the server is down: try again later.
  if (response.status === 429 || response.status >= 500) {
    await database.put('waiting', tried);
    return { id: request.id, result: 'later', reason: 'server' };
  }
  // The server refused it (a number it cannot call, …): the resident must correct it.
  await database.put('waiting', {
    ...tried,
    status: 'rejected',
    invalidParams: Array.isArray(body.invalidParams) ? body.invalidParams : [],
  });
  return { id: request.id, result: 'rejected' };
}

async function deliverAll(send: typeof fetch): Promise<DeliveryOutcome[]> {
  const database = await db();
  const outcomes: DeliveryOutcome[] = [];
  for (const request of await database.getAll('waiting')) {
    if (request.status !== 'waiting') continue;
    const outcome = await deliverOne(database, request, send);
    outcomes.push(outcome);
    // Offline: the others will not get through either.
    if (outcome.result === 'later' && outcome.reason === 'network') break;
  }
  const stale = Date.now() - DELIVERED_KEEP_MS;
  for (const note of await database.getAll('delivered'))
    if (note.at < stale) await database.delete('delivered', note.id);
  if (outcomes.some((o) => o.result !== 'later')) notify();
  return outcomes;
}

/**
 * Sends every waiting request. Page and service worker may both call this at once (page open,
 * `online`, Background Sync): a Web Lock lets one of them do it; without Web Locks, the
 * Idempotency-Key still makes a double send harmless.
 */
export async function deliverWaiting(send: typeof fetch = (...args) => fetch(...args)): Promise<DeliveryOutcome[]> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return deliverAll(send);
  const result = await locks.request(LOCK_NAME, { ifAvailable: true }, (lock) => (lock ? deliverAll(send) : null));
  return result ?? [{ id: '*', result: 'later', reason: 'busy' }];
}

/** Asks for Background Sync (where the browser has it) and persistent storage (Safari's 7 days). */
export async function askToDeliverLater(): Promise<void> {
  try {
    await navigator.storage?.persist?.();
  } catch {
    // not granted: the request still waits, Safari may just drop it after 7 days unused
  }
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    const sync = (
      registration as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined
    )?.sync;
    await sync?.register(SYNC_TAG);
  } catch {
    // no Background Sync (iOS Safari): page open and `online` deliver instead
  }
}
