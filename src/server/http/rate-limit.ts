// SPDX-License-Identifier: EUPL-1.2
/**
 * Rate limits over the shared database counters: fixed windows, and clients named by a keyed
 * hash of their network (never the IP address itself, which is personal data).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { log } from '../log.ts';
import type { Store } from '../store/index.ts';
import { deleteRateLimitsBefore, incrementRateLimit, peekRateLimit } from '../store/rate-limits.ts';
import { appConfig } from '../runtime.ts';

export interface LimitResult {
  limited: boolean;
  /** hits in this window, this one included */
  count: number;
  /** whole seconds until the window ends, for Retry-After */
  retryAfterSeconds: number;
}

export interface Limit {
  /** more hits than this in one window are refused */
  max: number;
  windowMs: number;
}

export function windowStart(now: number, windowMs: number): number {
  return Math.floor(now / windowMs) * windowMs;
}

/**
 * Counts one hit on the bucket. A fixed window lets through at most 2 × max around a window's
 * edge; for slowing guessers down that is enough, and it costs one upsert per hit.
 */
export async function hitLimit(store: Store, bucket: string, limit: Limit, now = Date.now()): Promise<LimitResult> {
  const start = windowStart(now, limit.windowMs);
  const count = await incrementRateLimit(store, bucket, new Date(start).toISOString());
  cleanUpNowAndThen(store, now);
  return {
    limited: count > limit.max,
    count,
    retryAfterSeconds: Math.max(1, Math.ceil((start + limit.windowMs - now) / 1000)),
  };
}

/** Whether the bucket is over its limit already, without counting this request. */
export async function peekLimit(store: Store, bucket: string, limit: Limit, now = Date.now()): Promise<LimitResult> {
  const start = windowStart(now, limit.windowMs);
  const count = await peekRateLimit(store, bucket, new Date(start).toISOString());
  return { limited: count > limit.max, count, retryAfterSeconds: Math.max(1, Math.ceil((start + limit.windowMs - now) / 1000)) };
}

const CLEAN_EVERY_MS = 10 * 60_000;
/** Longer than any window in use, so no live count is deleted. */
const KEEP_MS = 24 * 60 * 60_000;
let lastCleanUp = 0;

function cleanUpNowAndThen(store: Store, now: number): void {
  if (now - lastCleanUp < CLEAN_EVERY_MS) return;
  lastCleanUp = now;
  deleteRateLimitsBefore(store, new Date(now - KEEP_MS).toISOString()).catch((error: unknown) => {
    log.error({ action: 'rate-limit.clean-up', origin: 'job', err: error }, 'clearing old windows failed');
  });
}

let processSecret: Buffer | undefined;

function secret(): Buffer | string {
  const configured = appConfig().rateLimitSecret;
  if (configured) return configured;
  // Never written anywhere: after a restart the old client ids cannot be linked to anyone.
  processSecret ??= randomBytes(32);
  return processSecret;
}

/**
 * The network a client counts as: an IPv4 address as is (an IPv4-mapped IPv6 address as its
 * IPv4 address), an IPv6 address as its /64, since one household or phone is given a whole
 * /64 and could otherwise use a fresh address for every guess.
 */
export function clientNetwork(address: string | undefined): string {
  if (!address) return 'unknown';
  const bare = address.replace(/%.*$/, '').toLowerCase();
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return 'unknown';
  const groups = expandIPv6(bare);
  if (!groups) return 'unknown';
  const mapped = groups.slice(0, 6).join(':') === '0000:0000:0000:0000:0000:ffff';
  if (mapped) {
    const [hi, lo] = [parseInt(groups[6] ?? '0', 16), parseInt(groups[7] ?? '0', 16)];
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** Eight four-digit groups, from any valid textual IPv6 address (with :: or a dotted IPv4 tail). */
function expandIPv6(address: string): string[] | null {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.padStart(4, '0'));
}

/** The window of the per-client limits on the public write endpoints. */
export const WRITE_WINDOW_MS = 10 * 60_000;

/**
 * Counts one write by this client on the named endpoint; the result when it is over `max` in
 * this window, null otherwise or when the limit is off (max 0).
 */
export async function overClientLimit(
  store: Store,
  endpoint: string,
  max: number,
  clientAddress: string | undefined,
  now = Date.now(),
): Promise<LimitResult | null> {
  if (max <= 0) return null;
  const result = await hitLimit(store, `${endpoint}:${clientKey(clientAddress)}`, { max, windowMs: WRITE_WINDOW_MS }, now);
  return result.limited ? result : null;
}

const INVITE_WINDOW_MS = 24 * 3600_000;

/**
 * Call-back requests naming one invitation: a letter or SMS is for one household, so more than a
 * handful a day is someone else using its link (from many networks, past the per-client limit).
 */
export async function overInviteLimit(store: Store, inviteId: unknown, max: number, now = Date.now()): Promise<LimitResult | null> {
  if (max <= 0 || typeof inviteId !== 'string' || inviteId === '') return null;
  const result = await hitLimit(store, `callback-invite:${inviteId.slice(0, 64)}`, { max, windowMs: INVITE_WINDOW_MS }, now);
  return result.limited ? result : null;
}

/** A keyed hash of the client's network: stable while the secret lives, meaningless without it. */
export function clientKey(address: string | undefined): string {
  return createHmac('sha256', secret()).update(clientNetwork(address)).digest('hex');
}
