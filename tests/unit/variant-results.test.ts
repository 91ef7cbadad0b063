// SPDX-License-Identifier: EUPL-1.2
// The Wilson interval against published values, and when a difference between wordings is clear.
import { describe, expect, it } from 'vitest';
import { verdict, wilson } from '../../src/lib/variant-results.ts';

describe('the Wilson score interval (95 %)', () => {
  it('matches published values', () => {
    // Newcombe (1998), Statistics in Medicine 17, table I: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605
    const a = wilson(81, 263);
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const b = wilson(15, 148);
    expect(b.low).toBeCloseTo(0.0624, 4);
    expect(b.high).toBeCloseTo(0.1605, 4);
    // 0 of 10 still gives an upper bound (0.2775), where the normal approximation would give 0–0
    expect(wilson(0, 10).high).toBeCloseTo(0.2775, 4);
    expect(wilson(10, 10).low).toBeCloseTo(0.7225, 4);
  });

  it('says nothing is known when nothing was sent, and refuses impossible counts', () => {
    expect(wilson(0, 0)).toEqual({ share: 0, low: 0, high: 1 });
    expect(() => wilson(5, 3)).toThrow(RangeError);
    expect(() => wilson(-1, 3)).toThrow(RangeError);
    expect(() => wilson(1.5, 3)).toThrow(RangeError);
  });
});

describe('which wording works', () => {
  const row = (variant: string, sent: number, reached: number) => ({ variant, sent, opened: reached, finished: reached, callback: reached, reached });

  it('is not yet clear while the intervals overlap, and clear once one lies wholly above', () => {
    expect(verdict([row('invite', 40, 10), row('invitePersonal', 40, 14)])).toEqual({ kind: 'notYetClear' });
    expect(verdict([row('invite', 1000, 250), row('invitePersonal', 1000, 350)])).toEqual({ kind: 'better', variant: 'invitePersonal' });
    expect(verdict([row('invite', 1000, 350), row('invitePersonal', 1000, 250), row('reminder', 1000, 340)])).toEqual({ kind: 'notYetClear' });
  });

  it('needs two variants that were used', () => {
    expect(verdict([row('invite', 100, 30)])).toEqual({ kind: 'single' });
    expect(verdict([row('invite', 100, 30), row('invitePersonal', 0, 0)])).toEqual({ kind: 'single' });
  });

  it('judges the measure asked for', () => {
    const rows = [
      { variant: 'a', sent: 1000, opened: 600, finished: 300, callback: 100, reached: 250 },
      { variant: 'b', sent: 1000, opened: 400, finished: 290, callback: 100, reached: 255 },
    ];
    expect(verdict(rows, 'opened')).toEqual({ kind: 'better', variant: 'a' });
    expect(verdict(rows, 'reached')).toEqual({ kind: 'notYetClear' });
  });
});
