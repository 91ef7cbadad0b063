// SPDX-License-Identifier: EUPL-1.2
/**
 * Which SMS wording works: per variant, of the SMS sent, how many residents opened the link,
 * finished the conversation, asked for a call-back and were reached — each with a 95 % Wilson
 * score interval — and whether the difference between variants is clear yet. Counts only.
 */

export interface Interval {
  /** the share, 0–1 (0 when nothing was sent) */
  share: number;
  low: number;
  high: number;
}

/** z for a two-sided 95 % interval */
const Z95 = 1.959963984540054;

/** The Wilson score interval of `k` out of `n` (Wilson 1927): sound near 0 and 1 and for small n. */
export function wilson(k: number, n: number, z = Z95): Interval {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) throw new RangeError(`wilson(${k}, ${n}): 0 ≤ k ≤ n, whole numbers`);
  if (n === 0) return { share: 0, low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { share: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export const VARIANT_MEASURES = ['opened', 'finished', 'callback', 'reached'] as const;
export type VariantMeasure = (typeof VARIANT_MEASURES)[number];

export interface VariantCounts {
  variant: string;
  sent: number;
  opened: number;
  finished: number;
  callback: number;
  reached: number;
}

export type VariantVerdict =
  /** fewer than two variants with SMS sent */
  | { kind: 'single' }
  /** the intervals overlap: not yet clear which works better */
  | { kind: 'notYetClear' }
  /** this variant's interval lies wholly above every other's */
  | { kind: 'better'; variant: string };

/**
 * For one measure (reached, by default): a variant is clearly better only when its interval lies
 * wholly above every other variant's. Overlapping intervals are a conservative test (it waits
 * longer than a significance test would), which is what a plain sentence to staff needs.
 */
export function verdict(rows: readonly VariantCounts[], measure: VariantMeasure = 'reached'): VariantVerdict {
  const used = rows.filter((r) => r.sent > 0);
  if (used.length < 2) return { kind: 'single' };
  const intervals = used.map((r) => ({ variant: r.variant, ...wilson(r[measure], r.sent) }));
  for (const a of intervals) if (intervals.every((b) => b === a || a.low > b.high)) return { kind: 'better', variant: a.variant };
  return { kind: 'notYetClear' };
}
