// SPDX-License-Identifier: EUPL-1.2
/**
 * The delivery worker: sends due outbox rows to their municipality's webhook, signed, and marks
 * each delivered on a 2xx, or tries again later with exponential backoff until it gives up.
 */
import { randomUUID } from 'node:crypto';
import { parseMunicipality } from '../../lib/municipality.ts';
import { log } from '../log.ts';
import { audit } from '../staff/audit.ts';
import type { Store } from '../store/index.ts';
import { listMunicipalities } from '../store/municipalities.ts';
import { claimDueDeliveries, markAttemptFailed, markDelivered, releaseStuckDeliveries, type ClaimedDelivery } from '../store/outbox.ts';
import { connectorFor, type WebhookConnector } from './connectors.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signature, TIMESTAMP_HEADER } from './signature.ts';

export interface OutboxWorkerOptions {
  /** how often to look for due rows when there was nothing to do (OUTBOX_POLL_MS) */
  pollMs: number;
  /** the first wait after a failed attempt; it doubles each time (OUTBOX_BACKOFF_BASE_MS) */
  backoffBaseMs: number;
  /** attempts before a row is failed and waits for an administrator (OUTBOX_MAX_ATTEMPTS) */
  maxAttempts: number;
  /** how long one POST may take, answer included (OUTBOX_TIMEOUT_MS) */
  timeoutMs: number;
  /** rows sent at once per round */
  batchSize?: number;
  /** the environment that holds the connectors' secrets */
  env?: NodeJS.ProcessEnv;
}

/** The longest wait between two attempts. */
export const MAX_BACKOFF_MS = 60 * 60_000;

/**
 * The wait after the `failures`-th failed attempt: base, 2 × base, 4 × base … at most an hour,
 * each ±20% at random, so rows that failed together (a receiver that was down) do not all come back at once.
 */
export function backoffMs(failures: number, baseMs: number, random: () => number = Math.random): number {
  const plain = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(Math.min(MAX_BACKOFF_MS, plain * (0.8 + 0.4 * random())));
}

/** What went wrong, in words that never carry personal data (no response body, no URL). */
export function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return `timeout after ${timeoutMs} ms`;
    if (error.name === 'AbortError') return 'interrupted: instance stopping';
    const cause = (error as { cause?: unknown }).cause;
    const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return `connection failed: ${code}`;
    return `connection failed: ${error.name}`;
  }
  return 'connection failed';
}

export interface OutboxWorker {
  /** One round now (tests): releases stuck rows, then claims and sends due ones. Returns how many were sent. */
  runOnce(): Promise<number>;
  /** Stops looking for rows, aborts the POSTs in flight (those rows become due again) and waits for them. */
  stop(): Promise<void>;
}

export function startOutboxWorker(store: Store, options: OutboxWorkerOptions, autoStart = true): OutboxWorker {
  const env = options.env ?? process.env;
  const batchSize = options.batchSize ?? 10;
  // A row is "stuck" only when its run must have ended: well past the POST's own timeout.
  const stuckAfterMs = Math.max(5 * 60_000, 3 * options.timeoutMs);
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<number> | undefined;

  async function connectors(): Promise<Map<string, WebhookConnector>> {
    const found = new Map<string, WebhookConnector>();
    for (const record of await listMunicipalities(store)) {
      try {
        const connector = connectorFor(parseMunicipality(record.config, `the database (municipality ${record.slug})`), env);
        if (connector) found.set(record.slug, connector);
      } catch {
        // Invalid settings were reported at start; that municipality's rows simply wait.
      }
    }
    return found;
  }

  async function deliver(row: ClaimedDelivery, connector: WebhookConnector): Promise<void> {
    const timestamp = Math.floor(Date.now() / 1000);
    let failure: string;
    try {
      const response = await fetch(connector.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Hulpgesprek-Webhook/1',
          [DELIVERY_HEADER]: row.id,
          [EVENT_HEADER]: row.eventType,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signature(connector.secret, timestamp, row.payload),
        },
        body: row.payload,
        // A redirect would send the phone number somewhere nobody configured: not followed, not acknowledged.
        redirect: 'manual',
        signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(options.timeoutMs)]),
      });
      // The answer's body is not read (it might echo personal data into a log); just released.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) {
        if (await markDelivered(store, { id: row.id, claimer: row.claimedBy, at: new Date().toISOString() })) {
          // No ids in the log (its phone-number mask would mangle them); the admin page and audit log have them.
          log.info({ action: 'outbox.delivered', object: row.eventType, result: response.status, origin: 'job', municipality: row.municipality, attempts: row.attempts });
          await audit(store, {
            actor: 'system',
            action: 'handoff',
            objectType: 'callback_request',
            objectId: row.requestId,
            municipality: row.municipality,
            result: `ok: delivered to the case system (attempt ${row.attempts})`,
            origin: 'job',
          });
        }
        return;
      }
      failure = `HTTP ${response.status}`;
    } catch (error) {
      failure = describeFailure(error, options.timeoutMs);
    }
    const now = Date.now();
    const interrupted = stopping.signal.aborted;
    const giveUp = !interrupted && row.attempts >= options.maxAttempts;
    const nextAttemptAt = giveUp ? null : new Date(interrupted ? now : now + backoffMs(row.attempts, options.backoffBaseMs)).toISOString();
    const recorded = await markAttemptFailed(store, { id: row.id, claimer: row.claimedBy, at: new Date(now).toISOString(), error: failure, nextAttemptAt });
    if (!recorded) return;
    const retryInSeconds = nextAttemptAt === null ? null : Math.round((Date.parse(nextAttemptAt) - now) / 1000);
    log.warn({ action: 'outbox.attempt', object: row.eventType, result: failure, origin: 'job', municipality: row.municipality, attempts: row.attempts, retryInSeconds });
    if (giveUp) {
      await audit(store, {
        actor: 'system',
        action: 'handoff',
        objectType: 'callback_request',
        objectId: row.requestId,
        municipality: row.municipality,
        result: `failed: ${failure} after ${row.attempts} attempts`,
        origin: 'job',
      });
    }
  }

  async function once(): Promise<number> {
    const now = new Date();
    const released = await releaseStuckDeliveries(store, {
      claimedBefore: new Date(now.getTime() - stuckAfterMs).toISOString(),
      now: now.toISOString(),
      maxAttempts: options.maxAttempts,
    });
    if (released > 0) log.warn({ action: 'outbox.released', result: released, origin: 'job' }, 'deliveries left unfinished by a stopped instance are due again');
    const usable = await connectors();
    if (usable.size === 0) return 0;
    const claimed = await claimDueDeliveries(store, { municipalities: [...usable.keys()], now: now.toISOString(), limit: batchSize, claimer: randomUUID() });
    await Promise.all(
      claimed.map((row) => {
        const connector = usable.get(row.municipality);
        return connector ? deliver(row, connector) : Promise.resolve();
      }),
    );
    return claimed.length;
  }

  function runOnce(): Promise<number> {
    // One round at a time in this instance; a second caller shares the running one.
    round ??= once().finally(() => (round = undefined));
    return round;
  }

  function schedule(delayMs: number) {
    if (stopping.signal.aborted) return;
    timer = setTimeout(() => {
      runOnce().then(
        (sent) => schedule(sent >= batchSize ? 0 : options.pollMs),
        (error: unknown) => {
          log.error({ action: 'outbox.run', origin: 'job', err: error }, 'outbox round failed');
          schedule(options.pollMs);
        },
      );
    }, delayMs);
    timer.unref();
  }

  if (autoStart) schedule(0);

  return {
    runOnce,
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await round?.catch(() => undefined);
    },
  };
}
