// SPDX-License-Identifier: EUPL-1.2
/**
 * The device's side of a call-back request that waits (offline or the server unreachable):
 * keeping it, delivering it now, and bringing the conversation up to date with what became of
 * it (delivered, refused, deleted in another tab). Framework-free; the island loads it, with the
 * queue itself, only when something may wait.
 */
import type { ResidentEvent } from '../../flows/resident.ts';
import type { SavedConversation } from './conversation.ts';
import {
  askToDeliverLater,
  CHANNEL_NAME,
  deliveredNote,
  deliverWaiting,
  discardWaiting,
  getWaiting,
  keepWaiting,
  listWaiting,
} from './waiting-requests.ts';

/** What the queued step shows of the request that waits: so the resident knows what is kept. */
export interface WaitingShown {
  phone: string;
  firstName: string;
  /** a delivery attempt is running */
  trying: boolean;
}

/** What the island lends: its conversation, and where to show what waits. */
export interface WaitingHost {
  municipality: string;
  current(): SavedConversation;
  apply(saved: SavedConversation, event: ResidentEvent): SavedConversation;
  moveTo(next: SavedConversation): void;
  showWaiting(update: (shown: WaitingShown | null) => WaitingShown | null): void;
  /** ids of other conversations' requests still waiting on this device */
  showOthers(ids: string[]): void;
  errorsFrom(invalidParams: { name: string; code: string }[] | undefined): Record<string, string>;
  /** whether something may wait on this device (checked at every page open) */
  setMayWait(on: boolean): void;
}

export function waitingDelivery(host: WaitingHost) {
  /** the request was found neither waiting nor delivered at the last look */
  let missing = false;
  let channel: BroadcastChannel | null = null;
  let chain: Promise<void> = Promise.resolve();

  /** News from the service worker (or another tab) that a request was delivered or refused. */
  function listen(): void {
    if (channel || typeof BroadcastChannel === 'undefined') return;
    channel = new BroadcastChannel(CHANNEL_NAME);
    channel.onmessage = () => void reconcile().catch(() => undefined);
  }

  async function reconcileNow(): Promise<void> {
    listen();
    const now = host.current();
    if (now.state === 'queued') {
      let delivered = await deliveredNote(now.id);
      const request = delivered ? undefined : await getWaiting(now.id);
      // Delivery moves a request from "waiting" to "delivered" in one transaction, but these are
      // two reads: if delivery came between them, the note is there now.
      if (!delivered && !request) delivered = await deliveredNote(now.id);
      if (delivered) {
        host.showWaiting(() => null);
        host.moveTo(
          host.apply(now, {
            type: 'SENT',
            reference: delivered.reference,
            ...(delivered.requestId ? { requestId: delivered.requestId } : {}),
          }),
        );
      } else if (request?.status === 'rejected') {
        // The server refused it: back to the step to correct, with the answers as they were.
        await discardWaiting(now.id);
        host.showWaiting(() => null);
        host.moveTo(
          host.apply(request.conversation, { type: 'FAILED', errors: host.errorsFrom(request.invalidParams) }),
        );
      } else if (request) {
        host.showWaiting(() => ({
          phone: request.conversation.context.phone,
          firstName: request.conversation.context.firstName,
          trying: false,
        }));
      } else if (missing) {
        // deleted in another tab (or the browser cleared its storage): nothing will be sent
        host.showWaiting(() => null);
        host.moveTo(host.apply(now, { type: 'DISCARD' }));
      } else {
        // Not seen twice in a row yet: a delivery may be moving it right now. Look again soon.
        missing = true;
        setTimeout(() => void reconcile().catch(() => undefined), 1000);
        return;
      }
      missing = false;
    }
    const all = await listWaiting();
    if (all.length === 0) host.setMayWait(false);
    host.showOthers(
      all.filter((r) => r.municipality === host.municipality && r.id !== host.current().id).map((r) => r.id),
    );
  }

  /** One at a time: page open, `online`, the service worker's news and the retry timer all ask. */
  function reconcile(): Promise<void> {
    chain = chain.then(reconcileNow, reconcileNow);
    return chain;
  }

  async function deliverNow(): Promise<void> {
    host.showWaiting((w) => (w ? { ...w, trying: true } : w));
    try {
      await deliverWaiting();
    } finally {
      await reconcile();
    }
  }

  /** Keeps a request that could not be sent; false where the device cannot (no IndexedDB). */
  async function keep(sending: SavedConversation, url: string, body: string): Promise<boolean> {
    try {
      await keepWaiting({ id: sending.id, municipality: host.municipality, url, body, conversation: sending });
    } catch {
      return false;
    }
    host.setMayWait(true);
    listen();
    void askToDeliverLater();
    return true;
  }

  return { reconcile, deliverNow, keep, discard: discardWaiting, close: () => channel?.close() };
}

export type WaitingDelivery = ReturnType<typeof waitingDelivery>;
