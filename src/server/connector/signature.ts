// SPDX-License-Identifier: EUPL-1.2
/**
 * The webhook signature: HMAC-SHA256 with the municipality's secret over `<timestamp>.<body>`,
 * sent as `X-Hulpgesprek-Signature: sha256=<hex>`. `verifyWebhook` is what a receiver does
 * (README "Hand-off to the case system"); the tests' receiver uses it as written here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const DELIVERY_HEADER = 'X-Hulpgesprek-Delivery';
export const TIMESTAMP_HEADER = 'X-Hulpgesprek-Timestamp';
export const SIGNATURE_HEADER = 'X-Hulpgesprek-Signature';
export const EVENT_HEADER = 'X-Hulpgesprek-Event';
/** A receiver refuses timestamps further than this from its own clock, so a captured request cannot be replayed later. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/**
 * What a receiver checks before it trusts a body: the timestamp is an integer within 5 minutes
 * of now, and the signature matches, compared in constant time. (Then it deduplicates on the
 * delivery id: a retry after a lost answer sends the same id again.)
 */
export function verifyWebhook(
  secret: string,
  input: { body: string; timestamp: string | null | undefined; signature: string | null | undefined },
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifyResult {
  if (!input.timestamp || !input.signature) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(input.timestamp)) return { ok: false, reason: 'stale' };
  const timestamp = Number(input.timestamp);
  if (Math.abs(nowSeconds - timestamp) > MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signature(secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}
