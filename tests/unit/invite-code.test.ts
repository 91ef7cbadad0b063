// SPDX-License-Identifier: EUPL-1.2
// Invitation codes and check words: format, randomness, uniqueness, and what a resident may type.
import { describe, expect, it } from 'vitest';
import {
  CHECK_WORDS,
  formatInviteCode,
  generateInviteCode,
  INVITE_ALPHABET,
  INVITE_CODE_LENGTH,
  isInviteCode,
  normaliseInviteCode,
  pickCheckWord,
} from '../../src/lib/invite-code.ts';
import { isGsm7 } from '../../src/lib/gsm7.ts';

const CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{13}$/;

describe('invite codes', () => {
  it('uses 31 characters without look-alikes, for about 64 bits', () => {
    expect(INVITE_ALPHABET).toHaveLength(31);
    expect(new Set(INVITE_ALPHABET).size).toBe(31);
    for (const ch of '01OIL') expect(INVITE_ALPHABET).not.toContain(ch);
    expect(INVITE_CODE_LENGTH * Math.log2(INVITE_ALPHABET.length)).toBeGreaterThan(64);
  });

  it('generates 100,000 distinct codes of the right format with every character about equally often', () => {
    const n = 100_000;
    const codes = new Set<string>();
    const perPosition = Array.from({ length: INVITE_CODE_LENGTH }, () => new Map<string, number>());
    const overall = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const code = generateInviteCode();
      if (!CODE.test(code)) throw new Error(`bad code ${code}`);
      codes.add(code);
      [...code].forEach((ch, pos) => {
        perPosition[pos]?.set(ch, (perPosition[pos]?.get(ch) ?? 0) + 1);
        overall.set(ch, (overall.get(ch) ?? 0) + 1);
      });
    }
    expect(codes.size).toBe(n);
    // Chi-squared over all 1.3 million characters, 30 degrees of freedom: p = 0.0001 is at ~66.
    // A modulo bias (256 % 31 = 8 characters favoured by 1/8) would give thousands.
    const expected = (n * INVITE_CODE_LENGTH) / INVITE_ALPHABET.length;
    const chi2 = [...INVITE_ALPHABET].reduce((sum, ch) => sum + ((overall.get(ch) ?? 0) - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(66);
    // Every position uses every character, none more than 15% off (that is ~8 standard deviations).
    const perCell = n / INVITE_ALPHABET.length;
    for (const counts of perPosition) {
      expect(counts.size).toBe(31);
      for (const count of counts.values()) expect(Math.abs(count - perCell) / perCell).toBeLessThan(0.15);
    }
  });

  it('throws away bytes from 248 up instead of folding them onto the first characters', () => {
    const stream = [255, 248, 0, 30, 31, 247, 250, 61, 62, 5, 6, 7, 8, 9, 10, 11, 12];
    let at = 0;
    const code = generateInviteCode((bytes) => {
      for (let i = 0; i < bytes.length; i++) bytes[i] = stream[at++] ?? 0;
    });
    // 0 → '2', 30 → 'Z', 31 → '2', 247 → 'Z', 61 → 'Z', 62 → '2', then 5…11 → '7'…'D'; 255, 248 and 250 are skipped.
    expect(code).toBe('2Z2ZZ2789ABCD');
  });

  it('shows codes in groups of 4-4-5', () => {
    expect(formatInviteCode('ABCDEFGHJKMNP')).toBe('ABCD-EFGH-JKMNP');
  });

  it.each([
    ['abcd-efgh-jkmnp', 'ABCDEFGHJKMNP'],
    ['ABCDEFGHJKMNP', 'ABCDEFGHJKMNP'],
    ['  abcd efgh jkmnp ', 'ABCDEFGHJKMNP'],
    ['ABCD–EFGH—JKMNP', 'ABCDEFGHJKMNP'],
    ['ABCD.EFGH.JKMNP', 'ABCDEFGHJKMNP'],
    ['ＡＢＣＤ－ＥＦＧＨ－ＪＫＭＮＰ', 'ABCDEFGHJKMNP'],
    ['abcd\u00a0efgh\u00a0jkmnp', 'ABCDEFGHJKMNP'],
  ])('reads %j as %s', (typed, canonical) => {
    expect(normaliseInviteCode(typed)).toBe(canonical);
  });

  it.each([
    ['a look-alike O', 'ABCD-EFGH-JKMNO'],
    ['a zero', 'ABCD-EFGH-JKMN0'],
    ['a one', 'ABCD-EFGH-JKMN1'],
    ['an I', 'ABCD-EFGH-JKMNI'],
    ['an L', 'abcd-efgh-jkmnl'],
    ['one character short', 'ABCD-EFGH-JKMN'],
    ['one character long', 'ABCD-EFGH-JKMNPQ'],
    ['nothing', ''],
    ['a path', '../../etc/passwd'],
    ['something huge', 'A'.repeat(10_000)],
  ])('rejects %s', (_what, typed) => {
    expect(normaliseInviteCode(typed)).toBeNull();
  });

  it('accepts only canonical codes as canonical', () => {
    expect(isInviteCode('ABCDEFGHJKMNP')).toBe(true);
    expect(isInviteCode('abcdefghjkmnp')).toBe(false);
    expect(isInviteCode('ABCD-EFGH-JKMNP')).toBe(false);
  });
});

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

describe('check words', () => {
  it('are about 200 short, plain, distinct Dutch words', () => {
    expect(CHECK_WORDS.length).toBeGreaterThanOrEqual(190);
    expect(new Set(CHECK_WORDS).size).toBe(CHECK_WORDS.length);
    for (const w of CHECK_WORDS) expect(w).toMatch(/^[a-z]{2,8}$/);
  });

  it('never differ by one letter, so a misread word cannot look like another', () => {
    const close: string[] = [];
    CHECK_WORDS.forEach((a, i) =>
      CHECK_WORDS.slice(i + 1).forEach((b) => distance(a, b) <= 1 && close.push(`${a}/${b}`)),
    );
    expect(close).toEqual([]);
  });

  it('are picked at random from the whole list, uppercase, GSM-7', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const word = pickCheckWord();
      expect(CHECK_WORDS).toContain(word.toLowerCase());
      expect(word).toBe(word.toUpperCase());
      expect(isGsm7(word)).toBe(true);
      seen.add(word);
    }
    // 5,000 draws from ~200 words miss one with a probability of about e^-25 each.
    expect(seen.size).toBe(CHECK_WORDS.length);
  });
});
